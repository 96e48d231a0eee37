// @vitest-environment node
import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { classify, parseInbound } from '../../../lib/replies';
import type { Sandbox } from '../server';
import type { DemoConversation, DemoMailbox } from './client/types';
import { startDemoSandbox } from './demo-sandbox';
import { DEMO_MAILBOX, PEOPLE } from './people';

let sandbox: Sandbox;

beforeAll(async () => {
  ({ sandbox } = await startDemoSandbox({ port: 0 }));
});
afterAll(() => sandbox.stop());

const mailbox = async (): Promise<DemoMailbox> => (await fetch(`${sandbox.url}/demo/api/mailbox`)).json();
const conversation = async (subject: string): Promise<DemoConversation> => {
  const found = (await mailbox()).conversations.find((c) => c.subject === subject);
  if (!found) throw new Error(`no conversation ${subject}`);
  return found;
};
const simulate = (body: unknown, headers: Record<string, string> = {}) =>
  fetch(`${sandbox.url}/demo/api/simulate`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(body),
  });

/** The newest message of the mailbox, classified as Threadline's reply watcher would. */
async function lastArrival() {
  const inbox = sandbox.inbox(DEMO_MAILBOX);
  const raw = inbox[inbox.length - 1]!.raw;
  return classify(await parseInbound(raw), { repAddresses: [DEMO_MAILBOX] });
}

/** A raw request, for the headers fetch will not let a caller set (Host). */
function rawGet(path: string, host: string): Promise<number> {
  const u = new URL(sandbox.url);
  return new Promise((resolve, reject) => {
    request({ host: u.hostname, port: u.port, path, headers: { host } }, (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    })
      .on('error', reject)
      .end();
  });
}

describe('the demo inbox', () => {
  it('serves a page with Outlook on the web’s anchors, its script from its own files only', async () => {
    const res = await fetch(`${sandbox.url}/demo/mail/inbox/id/anything`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-security-policy')).toContain("script-src 'self'");
    const html = await res.text();
    for (const anchor of [
      'role="listbox"',
      'role="main" data-app-section="MailReadCompose"',
      'id="primaryMailboxRoot_',
      'Threadline demo inbox:',
    ])
      expect(html).toContain(anchor);
    const script = await fetch(`${sandbox.url}/demo/assets/main.js`);
    expect(script.headers.get('content-type')).toMatch(/^text\/javascript/);
    // Compiled from TypeScript, imports rewritten to what the browser can load.
    expect(await script.text()).toMatch(/from "\.\/render\.js"/);
    // Only the page's own files: nothing else of the repository, however the path is written.
    expect((await fetch(`${sandbox.url}/demo/assets/routes.ts`)).status).toBe(404);
    const escaped = await fetch(`${sandbox.url}/demo/assets/..%2F..%2Fserver.ts`);
    expect(await escaped.text()).not.toContain('startSandbox');
  });

  it('shows the seeded threads of rep@contoso.example, with Graph ids and Outlook’s EWS form of them', async () => {
    const box = await mailbox();
    expect(box).toMatchObject({ address: DEMO_MAILBOX, name: 'Sam Rivera' });
    expect(box.conversations.map((c) => c.subject).sort()).toEqual([
      'Analytics pilot for Acme',
      'Following up from the webinar',
      'Notes from the Northwind call',
      'Pricing for 40 seats',
    ]);
    const acme = await conversation('Analytics pilot for Acme');
    expect(acme.contacts.map((p) => p.name)).toEqual(['Ada Lovelace', 'Ben Okafor']);
    expect(acme.ewsId).toBe(acme.id.replaceAll('_', '+').replaceAll('-', '/'));
    const stored = sandbox.inbox(DEMO_MAILBOX).find((m) => m.subject.includes('Analytics'));
    expect(acme.id).toBe(stored?.threadId);
    // The colleague's thread has nobody outside to simulate.
    expect((await conversation('Notes from the Northwind call')).contacts).toEqual([]);
    // Dated over the past days, newest first.
    const dates = box.conversations.map((c) => c.lastAt);
    expect(dates).toEqual([...dates].sort((a, b) => b - a));
    expect(dates[dates.length - 1]).toBeLessThan(Date.now() - 2 * 86_400_000);
  });

  it('changes as mail arrives', async () => {
    const before = await mailbox();
    await sandbox.inject(DEMO_MAILBOX, {
      from: 'Lin Park <lin@wingtip.example>',
      subject: 'Question about seats',
      text: 'Do you have a team plan?',
    });
    const after = await mailbox();
    expect(after.version).not.toBe(before.version);
    expect(after.conversations[0]).toMatchObject({
      subject: 'Question about seats',
      preview: 'Do you have a team plan?',
    });
  });

  it('simulates a reply from a contact, in their thread, that Threadline classifies as a person’s reply', async () => {
    const acme = await conversation('Analytics pilot for Acme');
    const res = await simulate({ conversationId: acme.ewsId, contact: PEOPLE.ada.address, kind: 'reply' });
    expect(res.status).toBe(201);
    expect((await res.json()).threadId).toBe(acme.id);
    const reply = (await conversation('Analytics pilot for Acme')).messages[0]!;
    expect(reply).toMatchObject({
      from: { address: PEOPLE.ada.address },
      subject: 'Re: Analytics pilot for Acme',
    });
    expect((await lastArrival()).kind).toBe('human_reply');
  });

  it('simulates an out-of-office with a return date, and an Exchange bounce naming the contact', async () => {
    const webinar = await conversation('Following up from the webinar');
    const contact = PEOPLE.tomas.address;
    expect((await simulate({ conversationId: webinar.id, contact, kind: 'out_of_office' })).status).toBe(201);
    const ooo = await lastArrival();
    expect(ooo.kind).toBe('out_of_office');
    expect(ooo.returnDate).toBe(new Date(Date.now() + 7 * 86_400_000).toISOString().slice(0, 10));
    expect((await simulate({ conversationId: webinar.id, contact, kind: 'bounce' })).status).toBe(201);
    const bounce = await lastArrival();
    expect(bounce.kind).toBe('bounce');
    expect(bounce.bounce).toMatchObject({ recipient: contact, permanent: true });
  });

  it('refuses bad requests with a reason naming the problem', async () => {
    const acme = await conversation('Analytics pilot for Acme');
    const refused = async (body: unknown, status: number, error: RegExp) => {
      const res = await simulate(body);
      expect(res.status).toBe(status);
      expect((await res.json()).error).toMatch(error);
    };
    await refused(
      { conversationId: acme.id, contact: PEOPLE.grace.address, kind: 'reply' },
      400,
      /not an outside person/,
    );
    await refused(
      { conversationId: acme.id, contact: 'priya.shah@contoso.example', kind: 'reply' },
      400,
      /not an outside/,
    );
    await refused({ conversationId: acme.id, contact: PEOPLE.ada.address, kind: 'complaint' }, 400, /^kind:/);
    await refused(
      { conversationId: 'AAQkADnope', contact: PEOPLE.ada.address, kind: 'reply' },
      404,
      /no conversation/,
    );
    await refused({ conversationId: acme.id, contact: 'not an address', kind: 'reply' }, 400, /^contact:/);
  });

  it('answers only this machine: another site’s page cannot simulate mail, a rebinding host name gets nothing', async () => {
    const acme = await conversation('Analytics pilot for Acme');
    const count = sandbox.inbox(DEMO_MAILBOX).length;
    const res = await simulate(
      { conversationId: acme.id, contact: PEOPLE.ada.address, kind: 'reply' },
      { origin: 'https://attacker.example' },
    );
    expect(res.status).toBe(403);
    const form = await fetch(`${sandbox.url}/demo/api/simulate`, {
      method: 'POST',
      headers: { 'content-type': 'text/plain' },
      body: JSON.stringify({ conversationId: acme.id, contact: PEOPLE.ada.address, kind: 'reply' }),
    });
    expect(form.status).toBe(415);
    expect(sandbox.inbox(DEMO_MAILBOX)).toHaveLength(count);
    // DNS rebinding: a name of the attacker's that resolves to 127.0.0.1 still carries its own Host.
    expect(await rawGet('/demo/api/mailbox', 'attacker.example')).toBe(403);
    expect(await rawGet('/demo/api/mailbox', `localhost:${new URL(sandbox.url).port}`)).toBe(200);
  });
});
