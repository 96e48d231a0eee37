// The words mail clients write where the quoted original starts, in every language we cut on: the one place
// to add a language (quotes.ts builds its line patterns from these lists). Lower case; matched without regard
// to case, with runs of whitespace squeezed to one space.

/** Outlook's header block, first line: the "From" label (Outlook, Outlook on the web, Outlook for Mac). */
export const FROM_LABELS = [
  'from', // en
  'von', // de
  'de', // fr, es, pt
  'van', // nl
  'da', // it
  'od', // pl, cs, sk
  'fra', // da, nb
  'från', // sv
  'lähettäjä', // fi
  'от', // ru
  'від', // uk
  'feladó', // hu
  'kimden', // tr
  'από', // el
  '差出人', // ja
  '发件人', // zh-CN
  '寄件者', // zh-TW
  '보낸 사람', // ko
];

/** Outlook's header block, the line giving when the quoted message was sent. */
export const SENT_LABELS = [
  'sent', // en
  'date', // en (Outlook for Mac, forwards), fr
  'gesendet', // de
  'datum', // de, nl, sv, cs
  'envoyé', // fr
  "date d'envoi", // fr
  'enviado', // es, pt
  'enviado el', // es (Outlook on the web)
  'enviada em', // pt-BR
  'fecha', // es
  'data', // it, pl, pt
  'verzonden', // nl
  'verstuurd', // nl
  'inviato', // it
  'sendt', // da, nb
  'dato', // da, nb
  'skickat', // sv
  'lähetetty', // fi
  'päivämäärä', // fi
  'wysłano', // pl
  'odesláno', // cs
  'odoslané', // sk
  'отправлено', // ru
  'дата', // ru, uk
  'надіслано', // uk
  'elküldve', // hu
  'dátum', // hu
  'gönderildi', // tr
  'tarih', // tr
  'στάλθηκε', // el
  '送信日時', // ja
  '日時', // ja
  '发送时间', // zh-CN
  '日期', // zh
  '寄件日期', // zh-TW
  '보낸 날짜', // ko
  '날짜', // ko
];

/** How an "On <date>, <name> wrote:" line starts, in the clients that put the date first. */
export const ATTRIBUTION_OPENERS = ['on', 'am', 'le', 'el', 'em', 'op', 'il', 'den', 'w dniu', 'dne'];

/**
 * The "wrote" of an attribution line ("On …, Sam wrote:", "Sam <sam@…> kirjoitti:", "…님이 작성:").
 * A trailing "(a)" or "(а)" (napisał(a), написал(а)) is allowed by the pattern, not listed here.
 */
export const WROTE = [
  'wrote', // en
  'writes', // en
  'schrieb', // de
  'geschrieben', // de (Yahoo: "hat … Folgendes geschrieben")
  'a écrit', // fr
  'escribió', // es
  'escreveu', // pt
  'schreef', // nl
  'ha scritto', // it
  'skrev', // da, nb, sv
  'kirjoitti', // fi
  'napisał', // pl
  'napisała', // pl
  'pisze', // pl (Thunderbird)
  'napsal', // cs
  'napsala', // cs
  'написал', // ru
  'написала', // ru
  'пишет', // ru (Thunderbird)
  'пише', // uk
  'ezt írta', // hu
  'yazdı', // tr
  'έγραψε', // el
  '写道', // zh-CN
  '寫道', // zh-TW
  'のメール', // ja (Apple Mail)
  '작성', // ko
];

/** Outlook's and Gmail's "-----Original Message-----" / "---------- Forwarded message ---------" lines. */
export const SEPARATORS = [
  'original message',
  'forwarded message',
  'ursprüngliche nachricht',
  'weitergeleitete nachricht',
  "message d'origine",
  'message transféré',
  'mensaje original',
  'mensaje reenviado',
  'mensagem original',
  'mensagem encaminhada',
  'oorspronkelijk bericht',
  'doorgestuurd bericht',
  'messaggio originale',
  'messaggio inoltrato',
  'ursprungligt meddelande',
  'vidarebefordrat meddelande',
  'oprindelig meddelelse',
  'videresendt meddelelse',
  'opprinnelig melding',
  'videresendt melding',
  'alkuperäinen viesti',
  'välitetty viesti',
  'wiadomość oryginalna',
  'oryginalna wiadomość',
  'wiadomość przekazana dalej',
  'původní zpráva',
  'přeposlaná zpráva',
  'исходное сообщение',
  'пересылаемое сообщение',
  'eredeti üzenet',
  'orijinal ileti',
  '原始邮件',
  '原始郵件',
  '转发的邮件',
  '元のメッセージ',
  '転送されたメッセージ',
  '원본 메시지',
  '전달된 메시지',
];
