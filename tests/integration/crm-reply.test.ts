// @vitest-environment node
/**
 * A reply, end to end: the contact answers in the mail sandbox (Gmail and Graph), the rep's device reads it,
 * syncs through the backend, and the CRM worker logs it to the HubSpot sandbox as an incoming email whose
 * body is the reply's own words, without the quoted thread, once.
 */
import 'fake-indexeddb/auto';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Session } from '../../lib/contract/auth';
import { enrollContacts } from '../../lib/runner/enroll';
import { watchMailbox } from '../../lib/runner/reply-watcher';
import { addSequence, ANY_TIME, emailStep, runUntil } from '../../lib/runner/testing';
import { enableSync } from '../../lib/sync/dexie-store';
import { createSyncClient } from '../../lib/sync/sync-client';
import { createDexieSyncStore } from '../../lib/sync/dexie-store';
import type { CrmConfig } from '../../server/crm/config';
import { createCrmWorker } from '../../server/crm/worker';
import { crmSandboxForTests } from '../../server/testing/crm';
import { createTestServer, type TestServer } from '../../server/testing/harness';
import type { HubSpotSandbox } from '../../tools/sandbox/hubspot/server';
import { startSandbox, type Sandbox } from '../../tools/sandbox/server';
import { sandboxRunner, type ProviderKind } from './harness';

const MONDAY = Date.parse('2026-03-02T10:00:00Z');
let mail: Sandbox;
let hs: HubSpotSandbox;
let config: CrmConfig;
let server: TestServer;

beforeAll(async () => {
  mail = await startSandbox({ port: 0 });
  ({ hs, config } = await crmSandboxForTests());
  server = await createTestServer({ crm: config });
}, 120_000);
afterAll(async () => {
  await server?.close();
  await hs?.stop();
  await mail?.stop();
});

/** A rep whose team connected HubSpot, with their device (runner on the mail sandbox) synced to the backend. */
async function repWithDevice(kind: ProviderKind) {
  const { admin } = await server.newTeam();
  const connect = await server.call('POST', '/crm/hubspot/private-app', {
    token: admin.accessToken,
    body: { token: hs.privateAppToken() },
  });
  expect(connect.status).toBe(200);
  await server.call('PATCH', '/crm/settings', { token: admin.accessToken, body: { createContacts: true } });
  const runner = sandboxRunner(mail, kind, MONDAY, admin.user.email);
  // Ids of this device's own (both tests log to one HubSpot portal, where activity ids are unique).
  let ids = 0;
  const t = { ...runner, deps: { ...runner.deps, newId: () => `${kind}-${++ids}` } };
  await enableSync(t.db, admin.user.id);
  const sync = createSyncClient({
    baseUrl: 'http://threadline.test',
    fetch: (input, init) => Promise.resolve(server.app.request(String(input), init)),
    token: () => admin.accessToken,
    clientId: `device-${kind}`,
    store: createDexieSyncStore(t.db),
    now: () => t.clock.now,
  });
  return { t, sync, admin: admin as Session };
}

describe.each(['gmail', 'graph'] as const)('a reply read through %s', (kind) => {
  it('is logged to HubSpot as an incoming email with the reply’s own words and without the quoted thread', async () => {
    const { t, sync, admin } = await repWithDevice(kind);
    const contact = `ada.${kind}@acme.example`;
    await addSequence(t.db, {
      settings: ANY_TIME,
      steps: [emailStep('one'), emailStep('two', { value: 2, unit: 'days' })],
    });
    await enrollContacts(t.deps, { sequenceId: 'seq-1', contacts: [{ email: contact, firstName: 'Ada' }] });
    await t.provider
      .changesSince(undefined)
      .then((c) => t.db.meta.put({ key: `watch-cursor:${admin.user.email}`, value: c.cursor }));
    await runUntil(t, MONDAY + 1000, t.deps);
    const first = mail.sent(admin.user.email)[0]!;
    await mail.inject(admin.user.email, {
      from: `Ada <${contact}>`,
      subject: `Re: ${first.subject}`,
      text: [
        'Thursday at 3pm works for me.',
        'Bring the pricing sheet, please.',
        '',
        `On Mon, 2 Mar 2026 at 10:00, Rep <${admin.user.email}> wrote:`,
        '> Hello Ada, do you have 15 minutes this week?',
        '> Our confidential pricing is attached.',
      ].join('\r\n'),
      inReplyTo: first.messageId,
    });
    expect((await watchMailbox(t.deps, admin.user.email)).signals).toEqual([
      { email: contact, kind: 'human_reply' },
    ]);
    const synced = await sync.syncOnce();
    expect(synced.error).toBeUndefined();
    expect(synced.rejected).toEqual([]);

    const worker = createCrmWorker({
      db: server.database.db,
      log: pino({ level: 'silent' }),
      now: server.now,
      config,
    });
    await worker.runTeam(admin.user.teamId);
    // Run again: nothing is logged twice.
    await worker.runTeam(admin.user.teamId);
    const hsContact = hs.records('contacts').find((c) => c.properties.email === contact)!;
    const incoming = hs
      .records('emails')
      .filter(
        (e) =>
          e.associations.contacts?.includes(hsContact.id) &&
          e.properties.hs_email_direction === 'INCOMING_EMAIL',
      );
    expect(incoming).toHaveLength(1);
    expect(incoming[0]!.properties.hs_email_text).toBe(
      'Thursday at 3pm works for me.\nBring the pricing sheet, please.',
    );
    expect(incoming[0]!.properties.hs_email_subject).toBe(`Re: ${first.subject}`);
    expect(JSON.stringify(incoming[0]!.properties)).not.toContain('confidential pricing');
  });
});
