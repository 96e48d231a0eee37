// @vitest-environment node
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSandbox, type Sandbox } from '../../../tools/sandbox/server';
import { createGraphProvider } from './provider';

// threadPeople against the mail sandbox's Graph over real HTTP: the addresses Outlook does not show for the
// rep's colleagues (it shows their names alone) come from the conversation's messages.

const REP = 'riley.chen@northwind.example';
let sandbox: Sandbox;

beforeAll(async () => {
  sandbox = await startSandbox({ port: 0 });
  sandbox.addMailbox(REP, 'graph');
});
afterAll(() => sandbox.stop());

const graph = () =>
  createGraphProvider({
    mailbox: REP,
    baseUrl: sandbox.graphBase,
    getAccessToken: async () => sandbox.tokenFor(REP),
    fetch: globalThis.fetch,
    clock: () => Date.now(),
    sleep: async () => {},
    random: () => 0.5,
  });

describe('the people of a Graph conversation', () => {
  it('lists senders, To and Cc of every message once each, with their names', async () => {
    const opening = await sandbox.inject(
      REP,
      [
        'From: Priya Shah <Priya.Shah@northwind.example>',
        `To: Riley Chen <${REP}>, "Ada Lovelace" <ada.lovelace@acme.example>`,
        'Cc: Sam Rivera <sam.rivera@northwind.example>',
        'Subject: Acme renewal',
        'Message-ID: <renewal-1@northwind.example>',
        'Date: Wed, 18 Nov 2026 10:05:00 +0000',
        'Content-Type: text/plain; charset=utf-8',
        '',
        'Adding Sam from legal.',
        '',
      ].join('\r\n'),
    );
    await sandbox.inject(REP, {
      from: 'Jordan Lee <jordan.lee@northwind.example>',
      subject: 'Re: Acme renewal',
      text: 'Thanks Priya.',
      inReplyTo: '<renewal-1@northwind.example>',
      references: ['<renewal-1@northwind.example>'],
    });
    const people = await graph().threadPeople!(opening.threadId);
    expect(people.map((p) => p.address).sort()).toEqual([
      'ada.lovelace@acme.example',
      'jordan.lee@northwind.example',
      'priya.shah@northwind.example',
      REP,
      'sam.rivera@northwind.example',
    ]);
    // Senders come with their names (the sandbox's recipients carry addresses only; Graph's carry both).
    expect(people).toContainEqual({ address: 'priya.shah@northwind.example', name: 'Priya Shah' });
    expect(people).toContainEqual({ address: 'jordan.lee@northwind.example', name: 'Jordan Lee' });
  });

  it('is empty for a conversation the mailbox does not have', async () => {
    expect(await graph().threadPeople!('AAQkAGnothere-_=')).toEqual([]);
  });
});
