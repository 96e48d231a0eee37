// @vitest-environment node
/** What a sent or replied event logs: the body as sent (bounded), the HTML cleaned, the reply's own text. */
import { describe, expect, it } from 'vitest';
import { activitiesOf, type RowReader } from './activities';

const rows: Record<string, Record<string, unknown>> = {
  'contact:c1': { id: 'c1', email: 'ada@acme.test', firstName: 'Ada' },
  'enrollment:e1': { id: 'e1', contactId: 'c1', mailbox: 'rep@team.test', threadSubject: 'Intro' },
};
const get: RowReader = async (kind, id) => rows[`${kind}:${id}`];
const event = (type: string, data: Record<string, unknown>) => ({
  name: 'events.record',
  args: { events: [{ id: `${type}:1`, type, at: 1_000, enrollmentId: 'e1', stepIndex: 0, data }] },
});

async function one(type: string, data: Record<string, unknown>) {
  const { name, args } = event(type, data);
  const [planned] = await activitiesOf(name, args, get, 'rep@team.test');
  return planned!.activity as Record<string, unknown>;
}

describe('email bodies', () => {
  it('logs a sent email with its subject, text and HTML, from the rep to the contact at the send time', async () => {
    const a = await one('sent', { subject: 'Hi Ada', text: 'Hello Ada', html: '<p>Hello <b>Ada</b></p>' });
    expect(a).toMatchObject({
      id: 'email:sent:1',
      kind: 'email',
      direction: 'outgoing',
      at: 1_000,
      subject: 'Hi Ada',
      text: 'Hello Ada',
      html: '<p>Hello <b>Ada</b></p>',
      from: { email: 'rep@team.test' },
      to: [{ email: 'ada@acme.test', firstName: 'Ada' }],
    });
  });

  it('logs a sent email’s HTML cleaned: scripts, handlers, javascript: links, frames and images go, the text stays', async () => {
    for (const [html, clean] of [
      ['<p>x</p><script>alert(1)</script>', '<p>x</p>'],
      ['<p>x</p><img src=x onerror="alert(1)">', '<p>x</p>'],
      ['<a href="javascript:alert(1)">x</a>', '<a rel="noopener noreferrer">x</a>'],
      ['<p>x</p><iframe src="https://evil.test"></iframe>', '<p>x</p>'],
      ['<p>x</p><img src="https://tracker.test/p.gif">', '<p>x</p>'],
    ]) {
      const a = await one('sent', { subject: 'Hi', text: 'plain', html });
      expect(a.html, html).toBe(clean);
      expect(a.text).toBe('plain');
    }
  });

  it('leaves out HTML over its bound or with nothing left once cleaned, and bounds the text', async () => {
    for (const html of [`<p>${'x'.repeat(20_000)}</p>`, '<script>alert(1)</script>']) {
      const a = await one('sent', { subject: 'Hi', text: 'plain', html });
      expect(a.html, html.slice(0, 40)).toBeUndefined();
      expect(a.text).toBe('plain');
    }
    const long = await one('sent', { subject: 'Hi', text: 'y'.repeat(50_000) });
    expect((long.text as string).length).toBe(8_000);
  });

  it('logs a reply with its text, incoming, from the contact', async () => {
    const a = await one('replied', { text: 'Thursday works' });
    expect(a).toMatchObject({
      kind: 'email',
      direction: 'incoming',
      subject: 'Re: Intro',
      text: 'Thursday works',
      from: { email: 'ada@acme.test' },
      to: [{ email: 'rep@team.test' }],
    });
  });

  it('logs a reply’s HTML only as cleaned, and its text bounded', async () => {
    const a = await one('replied', {
      text: 'z'.repeat(9_000),
      html: '<p onclick="x()">Thursday <b>works</b></p><img src="https://tracker.test/p.gif">',
    });
    expect(a.html).toBe('<p>Thursday <b>works</b></p>');
    expect((a.text as string).length).toBe(8_000);
  });

  it('logs a reply without a body when the device recorded none (an older extension)', async () => {
    const a = await one('replied', {});
    expect(a).toMatchObject({ kind: 'email', direction: 'incoming' });
    expect(a.text).toBeUndefined();
    expect(a.html).toBeUndefined();
  });
});
