import { describe, expect, it } from 'vitest';
import { fixtures } from './fixtures.test-helper';
import { newText } from './quotes';
import { parseInbound } from './parse';

const raw = (name: string): string => fixtures.find((f) => f.name === name)?.raw ?? '';

describe('parseInbound', () => {
  it('keeps every header, lower-cased and repeated ones included', async () => {
    const m = await parseInbound(
      'Received: a\r\nReceived: b\r\nX-Thing: 1\r\nFrom: A <A@Example.org>\r\n\r\nhi',
    );
    expect(m.headers.filter((h) => h.name === 'received').map((h) => h.value)).toEqual(['a', 'b']);
    expect(m.from).toEqual({ address: 'a@example.org', name: 'A' });
  });

  it('accepts bytes as well as a string', async () => {
    const m = await parseInbound(new TextEncoder().encode(raw('en-back-on.eml')));
    expect(m.subject).toBe('Out of Office: Quick question about onboarding');
    expect(m.inReplyTo).toBe('<tl-enr42-step1@example.com>');
    expect(m.references).toEqual(['<tl-enr42-step1@example.com>']);
  });

  it('reads the delivery-status fields of a DSN and the returned headers', async () => {
    const m = await parseInbound(raw('rfc3464-multi-recipient.eml'));
    expect(m.reportType).toBe('delivery-status');
    expect(m.deliveryStatus?.recipients.map((r) => [r.finalRecipient, r.action, r.status])).toEqual([
      ['arathib@example.org', 'relayed', '2.0.0'],
      ['wsnell@example.org', 'failed', '5.1.1'],
      ['mrose@example.org', 'delayed', '4.4.1'],
    ]);
    expect(m.originalHeaders?.find((h) => h.name === 'message-id')?.value).toBe(
      '<tl-enr42-step1@example.com>',
    );
  });

  it('keeps a returned message/rfc822 out of the body text', async () => {
    const m = await parseInbound(raw('postfix-user-unknown.eml'));
    expect(m.text).not.toContain('unsubscribe here');
    expect(m.originalHeaders?.find((h) => h.name === 'to')?.value).toContain('jane.doe@example.org');
  });

  it('reads iTIP method, organizer and attendee answers, inline or attached, folded or base64', async () => {
    const google = await parseInbound(raw('google-calendar-invitation.eml'));
    expect(google.calendars[0]).toMatchObject({ method: 'REQUEST', organizer: 'jane.doe@example.org' });
    expect(google.calendars[0]?.attendees[0]).toEqual({
      address: 'sam.rep@example.com',
      partstat: 'NEEDS-ACTION',
    });
    const outlook = await parseInbound(raw('outlook-accepted.eml'));
    expect(outlook.calendars[0]?.attendees).toEqual([
      { address: 'jane.doe@example.org', partstat: 'ACCEPTED' },
    ]);
  });

  it('reads ARF and MDN report fields', async () => {
    expect((await parseInbound(raw('rfc5965-arf.eml'))).feedbackReport?.[0]).toEqual({
      name: 'feedback-type',
      value: 'abuse',
    });
    const mdn = await parseInbound(raw('mdn-read-receipt.eml'));
    expect(mdn.dispositionNotification?.find((f) => f.name === 'disposition')?.value).toContain('displayed');
  });

  it('turns an HTML-only body into text with quoted blocks marked', async () => {
    const m = await parseInbound(raw('html-gmail-unsubscribe.eml'));
    expect(m.text.split('\n')[0]).toBe('unsubscribe');
    expect(m.text).toMatch(/^> Hi Mara/m);
    expect(newText(m.text)).toBe('unsubscribe');
  });

  it('decodes legacy charsets and encoded-word subjects', async () => {
    const m = await parseInbound(raw('de-zurueck-am-latin1.eml'));
    expect(m.subject).toBe('Automatische Antwort: Quick question about onboarding');
    expect(m.text).toContain('Zurück am 4. März');
  });
});

describe('newText', () => {
  it.each([
    ['Yes.\n\nOn Mon, 2 Mar 2026 at 10:00, Sam <s@example.com> wrote:\n> hi', 'Yes.'],
    ['Yes.\n\nOn Mon, 2 Mar 2026 at 10:00, Sam Rep <sam.rep@example.com>\nwrote:\n> hi', 'Yes.'],
    ['Ja.\n\nAm 02.03.2026 um 10:00 schrieb Sam Rep:\n> hallo', 'Ja.'],
    ['Oui.\n\nLe lun. 2 mars 2026 à 10:00, Sam a écrit :\n> salut', 'Oui.'],
    ['Sí.\n\nEl lun, 2 mar 2026 a las 10:00, Sam escribió:\n> hola', 'Sí.'],
    ['Sim.\n\nEm seg., 2 de mar. de 2026 às 10:00, Sam escreveu:\n> olá', 'Sim.'],
    ['Ja.\n\nOp ma 2 mrt 2026 om 10:00 schreef Sam:\n> hoi', 'Ja.'],
    ['Yes.\n\n-----Original Message-----\nFrom: Sam\nunsubscribe', 'Yes.'],
    [
      'Yes.\n\nFrom: Sam Rep <sam.rep@example.com>\nSent: Monday, March 2, 2026 10:00 AM\nTo: Jane\n\nunsubscribe',
      'Yes.',
    ],
    ['Yes.\n\nDe : Sam Rep\nEnvoyé : lundi 2 mars 2026 10:00\nÀ : Jane\n\nbonjour', 'Yes.'],
    ['> quoted first\nMy answer inline.\n> more quote', 'My answer inline.'],
  ])('%j', (text, expected) => {
    expect(newText(text)).toBe(expected);
  });
});
