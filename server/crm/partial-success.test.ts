// @vitest-environment node
/**
 * HubSpot answers a batch create with 207 Multi-Status: some records created, some refused. The outbox records
 * the created ones once, keeps the refused ones failed with HubSpot's own message for Settings → CRM, and a
 * retry (the admin's, or after a lost answer) sends only what HubSpot does not hold: nothing is logged twice.
 */
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Session } from '../../lib/contract/auth';
import type { HubSpotSandbox } from '../../tools/sandbox/hubspot/server';
import { crmSandboxForTests } from '../testing/crm';
import { oneEnrollment } from '../testing/fixtures';
import { createTestServer, type TestServer } from '../testing/harness';
import type { CrmConfig } from './config';
import { ACTIVITY_ID_PROPERTY } from './hubspot/mapping';
import { crmDb } from './schema';
import { createCrmWorker } from './worker';

const logFile = join(mkdtempSync(join(tmpdir(), 'crm-207-')), 'hubspot.jsonl');
let hs: HubSpotSandbox;
let config: CrmConfig;
let server: TestServer;
const log = pino({ level: 'silent' });

beforeAll(async () => {
  ({ hs, config } = await crmSandboxForTests({ logFile }));
  server = await createTestServer({ crm: config });
}, 120_000);
afterAll(async () => {
  await server?.close();
  await hs?.stop();
});

const REFUSAL = 'Property values were not valid: [{"isValid":false,"name":"hs_email_subject"}]';

/** A connected team that pushed three sent emails to one contact (`prefix:1..3`). */
async function teamWithThreeEmails(prefix: string): Promise<Session> {
  const { admin } = await server.newTeam();
  const token = hs.privateAppToken();
  await server.call('POST', '/crm/hubspot/private-app', { token: admin.accessToken, body: { token } });
  await server.call('PATCH', '/crm/settings', { token: admin.accessToken, body: { createContacts: true } });
  const ids = { contact: `${prefix}c`, sequence: `${prefix}q`, enrollment: `${prefix}e` };
  const pushed = await server.call<{ results: { status: string }[] }>('POST', '/sync/push', {
    token: admin.accessToken,
    body: {
      clientId: `device-${prefix}`,
      mutations: [
        ...oneEnrollment({ mailbox: admin.user.email, email: `${prefix}@acme.test`, ids }),
        {
          name: 'events.record',
          args: {
            events: [1, 2, 3].map((n) => ({
              id: `${prefix}:${n}`,
              type: 'sent',
              at: server.now() + n,
              enrollmentId: ids.enrollment,
              stepIndex: 0,
              data: { subject: `Email ${n}`, text: `Body ${n}` },
            })),
          },
        },
      ].map((m, i) => ({ ...m, id: i + 1 })),
    },
  });
  expect(pushed.body.results.every((r) => r.status === 'applied')).toBe(true);
  return admin;
}

const logged = (prefix: string) =>
  hs
    .records('emails')
    .map((e) => e.properties[ACTIVITY_ID_PROPERTY]!)
    .filter((id) => id.startsWith(`email:${prefix}:`))
    .sort();

const outbox = (teamId: string) =>
  crmDb(server.database.db)
    .selectFrom('crm_outbox')
    .select(['id', 'state', 'crm_id', 'last_error'])
    .where('team_id', '=', teamId)
    .orderBy('id')
    .execute();

/** The activity ids each emails batch create sent to HubSpot, in order. */
function createdBatches(prefix: string): string[][] {
  return readFileSync(logFile, 'utf8')
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as { method: string; path: string; body: { inputs?: unknown[] } | null })
    .filter((r) => r.method === 'POST' && r.path === '/crm/v3/objects/emails/batch/create')
    .map((r) =>
      (r.body?.inputs ?? []).map(
        (i) => (i as { properties: Record<string, string> }).properties[ACTIVITY_ID_PROPERTY]!,
      ),
    )
    .filter((ids) => ids.some((id) => id.startsWith(`email:${prefix}:`)));
}

describe('a 207 partial success', () => {
  it('records the created activities once, keeps the refused one failed with HubSpot’s message, and the admin’s retry sends only it', async () => {
    const admin = await teamWithThreeEmails('p');
    hs.refuseRecords({ type: 'emails', ids: ['email:p:2'], message: REFUSAL });
    const worker = createCrmWorker({ db: server.database.db, log, now: server.now, config });
    expect(await worker.runTeam(admin.user.teamId)).toMatchObject({ logged: 2, failed: 1, waiting: 0 });
    expect(logged('p')).toEqual(['email:p:1', 'email:p:3']);
    const rows = await outbox(admin.user.teamId);
    expect(rows.map((r) => [r.id, r.state, r.last_error])).toEqual([
      ['email:p:1', 'logged', null],
      ['email:p:2', 'failed', REFUSAL],
      ['email:p:3', 'logged', null],
    ]);
    const failures = await server.call<{ failures: { id: string; message: string }[] }>(
      'GET',
      '/crm/failures',
      { token: admin.accessToken },
    );
    expect(failures.body.failures).toEqual([expect.objectContaining({ id: 'email:p:2', message: REFUSAL })]);
    // Another round changes nothing: the refused one waits for the admin.
    expect(await worker.runTeam(admin.user.teamId)).toMatchObject({ logged: 0, failed: 0 });

    const retried = await server.call<{ retried: number }>('POST', '/crm/failures/retry', {
      token: admin.accessToken,
      body: {},
    });
    expect(retried.body.retried).toBe(1);
    expect(await worker.runTeam(admin.user.teamId)).toMatchObject({ logged: 1, failed: 0 });
    expect(logged('p')).toEqual(['email:p:1', 'email:p:2', 'email:p:3']);
    expect(createdBatches('p')).toEqual([['email:p:1', 'email:p:2', 'email:p:3'], ['email:p:2']]);
    const after = await outbox(admin.user.teamId);
    expect(after.every((r) => r.state === 'logged')).toBe(true);
    // The ones logged first keep their HubSpot ids.
    expect(after.filter((r) => r.id !== 'email:p:2').map((r) => r.crm_id)).toEqual(
      rows.filter((r) => r.id !== 'email:p:2').map((r) => r.crm_id),
    );
  });

  it('logs nothing twice when the 207’s answer is lost: the batch sent again finds the created ones by their ids', async () => {
    const admin = await teamWithThreeEmails('q');
    hs.refuseRecords({ type: 'emails', ids: ['email:q:2'], message: REFUSAL });
    // HubSpot creates q:1 and q:3, refuses q:2, and the answer never arrives.
    hs.fault({ route: 'POST /crm/v3/objects/emails/batch/create', kind: 'drop', when: 'after' });
    const worker = createCrmWorker({ db: server.database.db, log, now: server.now, config });
    expect(await worker.runTeam(admin.user.teamId)).toMatchObject({ logged: 3, failed: 0 });
    // The whole batch went again; HubSpot refused the repeated ids as taken and holds each once.
    expect(createdBatches('q')).toEqual([
      ['email:q:1', 'email:q:2', 'email:q:3'],
      ['email:q:1', 'email:q:2', 'email:q:3'],
    ]);
    expect(logged('q')).toEqual(['email:q:1', 'email:q:2', 'email:q:3']);
    const rows = await outbox(admin.user.teamId);
    expect(rows.every((r) => r.state === 'logged' && r.crm_id)).toBe(true);
    expect(new Set(rows.map((r) => r.crm_id)).size).toBe(3);
  });
});
