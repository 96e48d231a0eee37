import { describe, expect, it } from 'vitest';
import { newText } from './quotes';

// What follows the cut in these samples is never a `>` line: a client that quotes without marks (Outlook) or a
// forward below the attribution would otherwise leak the whole thread.
const QUOTED = 'Hi Ada, our budget is frozen, do not tell Sam yet.\nLena';

describe('newText cuts Outlook header blocks in the languages Outlook is used in', () => {
  it.each([
    ['English', 'From: Sam Rep <sam@example.com>\nSent: Monday, December 7, 2026 10:00 AM\nTo: Ada'],
    ['German', 'Von: Sam Rep <sam@example.com>\nGesendet: Montag, 7. Dezember 2026 10:00\nAn: Ada'],
    ['French', 'De : Sam Rep <sam@example.com>\nEnvoyé : lundi 7 décembre 2026 10:00\nÀ : Ada'],
    ['Swedish', 'Från: Sam Rep <sam@example.com>\nSkickat: den 7 december 2026 10:00\nTill: Ada'],
    ['Danish', 'Fra: Sam Rep <sam@example.com>\nSendt: 7. december 2026 10:00\nTil: Ada'],
    ['Norwegian', 'Fra: Sam Rep <sam@example.com>\nSendt: mandag 7. desember 2026 10:00\nTil: Ada'],
    [
      'Finnish',
      'Lähettäjä: Sam Rep <sam@example.com>\nLähetetty: maanantai 7. joulukuuta 2026 10.00\nVastaanottaja: Ada',
    ],
    ['Polish', 'Od: Sam Rep <sam@example.com>\nWysłano: poniedziałek, 7 grudnia 2026 10:00\nDo: Ada'],
    ['Dutch', 'Van: Sam Rep <sam@example.com>\nVerzonden: maandag 7 december 2026 10:00\nAan: Ada'],
    ['Italian', 'Da: Sam Rep <sam@example.com>\nInviato: lunedì 7 dicembre 2026 10:00\nA: Ada'],
    ['Spanish', 'De: Sam Rep <sam@example.com>\nEnviado el: lunes, 7 de diciembre de 2026 10:00\nPara: Ada'],
    [
      'Portuguese',
      'De: Sam Rep <sam@example.com>\nEnviado: segunda-feira, 7 de dezembro de 2026 10:00\nPara: Ada',
    ],
    [
      'Brazilian Portuguese',
      'De: Sam Rep <sam@example.com>\nEnviada em: segunda-feira, 7 de dezembro de 2026 10:00',
    ],
    ['Czech', 'Od: Sam Rep <sam@example.com>\nOdesláno: pondělí 7. prosince 2026 10:00\nKomu: Ada'],
    ['Russian', 'От: Sam Rep <sam@example.com>\nОтправлено: 7 декабря 2026 г. 10:00\nКому: Ada'],
    ['Japanese', '差出人: Sam Rep <sam@example.com>\n送信日時: 2026年12月7日 10:00\n宛先: Ada'],
    ['Chinese (simplified)', '发件人: Sam Rep <sam@example.com>\n发送时间: 2026年12月7日 10:00\n收件人: Ada'],
    ['Chinese (full-width colons)', '发件人： Sam Rep <sam@example.com>\n日期： 2026年12月7日 10:00'],
    [
      'Chinese (traditional)',
      '寄件者: Sam Rep <sam@example.com>\n寄件日期: 2026年12月7日 10:00\n收件者: Ada',
    ],
    [
      'Korean',
      '보낸 사람: Sam Rep <sam@example.com>\n보낸 날짜: 2026년 12월 7일 월요일 오전 10:00\n받는 사람: Ada',
    ],
    ['bold plain text', '*From:* Sam Rep <sam@example.com>\n*Sent:* Monday, December 7, 2026 10:00 AM'],
    [
      'a Mac forward (Subject before Date)',
      'From: Sam Rep <sam@example.com>\nSubject: Hello\nDate: 7 December 2026 at 10:00:00 CET',
    ],
  ])('%s', (_lang, header) => {
    expect(newText(`Thursday works.\n\n${header}\n\n${QUOTED}`)).toBe('Thursday works.');
  });
});

describe('newText cuts attribution lines', () => {
  it.each([
    ['Japanese Gmail', '2026年12月7日(月) 10:00 Sam Rep <sam@example.com>:'],
    ['Russian Gmail', 'пн, 7 дек. 2026 г. в 10:00, Sam Rep <sam@example.com>:'],
    ['Swedish Gmail', 'Den mån 7 dec. 2026 kl 10:00 skrev Sam Rep <sam@example.com>:'],
    ['Norwegian Gmail', 'man. 7. des. 2026 kl. 10:00 skrev Sam Rep <sam@example.com>:'],
    ['Danish Gmail', 'Den man. 7. dec. 2026 kl. 10.00 skrev Sam Rep <sam@example.com>:'],
    ['Finnish Gmail', 'ma 7. jouluk. 2026 klo 10.00 Sam Rep <sam@example.com> kirjoitti:'],
    ['Polish Gmail', 'pon., 7 gru 2026 o 10:00 Sam Rep <sam@example.com> napisał(a):'],
    ['Czech Gmail', 'po 7. 12. 2026 v 10:00 odesílatel Sam Rep <sam@example.com> napsal:'],
    ['Italian Gmail', 'Il giorno lun 7 dic 2026 alle ore 10:00 Sam Rep <sam@example.com> ha scritto:'],
    ['Spanish Gmail', 'El lun, 7 dic 2026 a las 10:00, Sam Rep (<sam@example.com>) escribió:'],
    ['Portuguese Gmail', 'Em seg., 7 de dez. de 2026 às 10:00, Sam Rep <sam@example.com> escreveu:'],
    ['Dutch Gmail', 'Op ma 7 dec 2026 om 10:00 schreef Sam Rep <sam@example.com>:'],
    ['German Gmail', 'Am Mo., 7. Dez. 2026 um 10:00 Uhr schrieb Sam Rep <sam@example.com>:'],
    ['French Gmail', 'Le lun. 7 déc. 2026 à 10:00, Sam Rep <sam@example.com> a écrit :'],
    ['Korean Gmail', '2026년 12월 7일 (월) 오전 10:00, Sam Rep <sam@example.com>님이 작성:'],
    ['Chinese Gmail', 'Sam Rep <sam@example.com> 于2026年12月7日周一 10:00写道：'],
    ['Turkish Gmail', 'Sam Rep <sam@example.com>, 7 Ara 2026 Pzt, 10:00 tarihinde şunu yazdı:'],
    ['Hungarian Gmail', 'Sam Rep <sam@example.com> ezt írta (időpont: 2026. dec. 7., H, 10:00):'],
    ['Japanese Apple Mail', '2026/12/07 10:00、Sam Rep <sam@example.com>のメール:'],
    ['Russian Apple Mail', '7 дек. 2026 г., в 10:00, Sam Rep <sam@example.com> написал(а):'],
    ['Czech Thunderbird (no address)', 'Dne 07. 12. 26 v 10:00 Sam Rep napsal(a):'],
    ['Polish Thunderbird (no address)', 'W dniu 7.12.2026 o 10:00, Sam Rep pisze:'],
    ['Swedish Thunderbird (no address)', 'Den 2026-12-07 kl. 10:00, skrev Sam Rep:'],
    ['Italian Thunderbird (no address)', 'Il 07/12/26 10:00, Sam Rep ha scritto:'],
    ['English, wrapped after the name', 'On Mon, 7 Dec 2026 at 10:00, Sam Rep\n<sam@example.com> wrote:'],
    ['Japanese, wrapped before the address', '2026年12月7日(月) 10:00 Sam Rep\n<sam@example.com>:'],
    [
      'Finnish, wrapped after the address',
      'ma 7. jouluk. 2026 klo 10.00 Sam Rep <sam@example.com>\nkirjoitti:',
    ],
  ])('%s', (_client, attribution) => {
    expect(newText(`Thursday works.\n\n${attribution}\n\n${QUOTED}`)).toBe('Thursday works.');
  });

  it('cuts a dated line ending with a verb of writing right before quoted lines (Thunderbird without an address)', () => {
    expect(newText('Да, в четверг.\n\n07.12.2026 10:00, Sam Rep пишет:\n> Привет\nНиже ещё текст')).toBe(
      'Да, в четверг.',
    );
  });

  it('cuts the Outlook "Original Message" separator in other languages', () => {
    for (const separator of [
      '-----Ursprungligt meddelande-----',
      '-----Oprindelig meddelelse-----',
      '-----Opprinnelig melding-----',
      '-----Alkuperäinen viesti-----',
      '-----Wiadomość oryginalna-----',
      '-----Messaggio originale-----',
      '-----Původní zpráva-----',
      '-----Исходное сообщение-----',
      '-----原始邮件-----',
      '-----元のメッセージ-----',
      '-----원본 메시지-----',
    ])
      expect(newText(`Thursday works.\n\n${separator}\n${QUOTED}`), separator).toBe('Thursday works.');
  });
});

describe('newText keeps the person’s own words', () => {
  it.each([
    ['a line starting with "From:" and no header after it', 'From: our side, we agree.\nSee you Thursday.'],
    [
      'a "From:" line and a "Date:" line without a date',
      'From: our side, we agree.\nDate: whichever suits you best.\nSee you.',
    ],
    [
      'a "From:" line whose date line comes too late',
      'From: our side, we agree.\n\nOne.\nTwo.\nThree.\nSent: 7 December 2026',
    ],
    [
      'an address followed by a colon mid-text',
      'Please write to Lena <lena@example.se>: she decides.\nThanks',
    ],
    [
      'a line with an address ending in a colon, without any "wrote"',
      'Copy these two, Lena <lena@example.se> and me:\n- a\n- b',
    ],
    [
      'a colon line with a date before ordinary text',
      'The options for 7 December, as you wrote:\n1. morning\n2. afternoon',
    ],
  ])('%s', (_name, text) => {
    expect(newText(text)).toBe(text);
  });

  it('does not take the person’s last line for part of a wrapped attribution', () => {
    expect(
      newText('Call me on 0701 234 567.\n2026年12月7日(月) 10:00 Sam Rep <sam@example.com>:\n> hi'),
    ).toBe('Call me on 0701 234 567.');
    expect(
      newText('On Monday we can meet.\nOn Mon, 7 Dec 2026 at 10:00, Sam Rep <sam@example.com> wrote:\n> hi'),
    ).toBe('On Monday we can meet.');
    expect(
      newText('See you at 10.\nOn Mon, 7 Dec 2026 at 10:00, Sam Rep <sam@example.com> wrote:\n> hi'),
    ).toBe('See you at 10.');
  });
});
