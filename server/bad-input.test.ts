// @vitest-environment node
import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Session } from '../lib/contract/auth';
import type { HubSpotSandbox } from '../tools/sandbox/hubspot/server';
import { crmSandboxForTests } from './testing/crm';
import { createTestServer, type TestServer } from './testing/harness';

/**
 * Every route of the OpenAPI document that takes a JSON body, sent a malformed one, one with an unknown field
 * and one over the size limit: each answers 4xx with an error that names the problem, and nothing is written.
 */
type Operation = { requestBody?: { content?: Record<string, unknown> } };
type Refusal = { error: { code: string; message: string } };

let t: TestServer;
let admin: Session, rep: Session;
let operations: { method: string; path: string; op: Operation }[];
let hs: HubSpotSandbox;
beforeAll(async () => {
  // The CRM routes as a configured server has them: a token key, and HubSpot (its sandbox).
  const crm = await crmSandboxForTests();
  hs = crm.hs;
  t = await createTestServer({ crm: crm.config });
  ({
    admin,
    members: [rep],
  } = (await t.newTeam('rep')) as { admin: Session; members: [Session] });
  const doc = await t.call<{ paths: Record<string, Record<string, Operation>> }>('GET', '/openapi.json');
  operations = Object.entries(doc.body.paths).flatMap(([path, ops]) =>
    Object.entries(ops).map(([method, op]) => ({ method: method.toUpperCase(), path, op })),
  );
}, 60_000);
afterAll(async () => {
  await t?.close();
  await hs?.stop();
});

/** What each path parameter stands for in these requests. */
const concrete = (path: string) =>
  path
    .replace('{userId}', rep.user.id)
    .replace('{mailbox}', encodeURIComponent('rep@example.com'))
    .replace('{token}', 'not-a-token');

/** A body each route with a JSON body accepts; a new route missing here fails the suite. */
async function acceptedBodies(): Promise<Record<string, unknown>> {
  const { nonce } = (await t.call<{ nonce: string }>('POST', '/auth/nonce')).body;
  return {
    'POST /auth/nonce': {},
    'POST /auth/signin': {
      nonce,
      idToken: await t.issuer.idToken({ sub: randomUUID(), email: 'new@example.com', nonce }),
    },
    'POST /auth/refresh': { refreshToken: admin.refreshToken },
    'POST /auth/sign-out': {},
    'POST /team/suppressions/lift': { email: 'lead@acme.test', reason: 'they asked to hear from us' },
    'POST /team/invites': { role: 'rep' },
    'PATCH /team/members/{userId}': { role: 'manager' },
    'DELETE /team/members/{userId}': {},
    'POST /sync/push': {
      clientId: 'laptop',
      mutations: [{ id: 1, name: 'contact.upsert', args: { id: 'c1', email: 'lead@acme.test' } }],
    },
    'POST /leases/{mailbox}': { holder: 'laptop', ttlMs: 60_000 },
    'DELETE /leases/{mailbox}': { holder: 'laptop' },
    'POST /tracking/links': { enrollmentId: 'e1', stepIndex: 0 },
    'POST /tracking/views': { enrollmentIds: [] },
    'POST /crm/hubspot/authorize': {},
    'POST /crm/hubspot/private-app': { token: hs.privateAppToken() },
    'PATCH /crm/settings': {},
    'PUT /crm/owners/{userId}': { ownerId: null },
    'POST /crm/failures/retry': {},
    'DELETE /crm/connection': {},
    'POST /crm/lookup': { emails: ['lead@acme.test'] },
    'POST /crm/deals/refresh': { dealId: 'no-such-deal' },
  };
}

/** Rows per table of the test's database schema. */
async function rowCounts(): Promise<Record<string, number>> {
  const db = t.database.db;
  const tables = await sql<{ name: string }>`
    select table_name as name from information_schema.tables
    where table_schema = current_schema() and table_type = 'BASE TABLE'`.execute(db);
  const counts: Record<string, number> = {};
  for (const { name } of tables.rows)
    counts[name] = Number(
      (await sql<{ n: string }>`select count(*) as n from ${sql.table(name)}`.execute(db)).rows[0]!.n,
    );
  return counts;
}

describe('every route with a JSON body', () => {
  it('refuses malformed JSON, an unknown field and an oversized body, naming the problem, and writes nothing', async () => {
    const bodies = await acceptedBodies();
    const withJson = operations
      .filter(({ op }) => op.requestBody?.content?.['application/json'])
      .map(({ method, path }) => `${method} ${path}`);
    expect(withJson.sort()).toEqual(Object.keys(bodies).sort());

    const before = await rowCounts();
    expect(Object.keys(before)).toEqual(
      expect.arrayContaining(['users', 'teams', 'nonces', 'refresh_tokens', 'invites', 'entities', 'leases']),
    );
    for (const route of withJson) {
      const [method, path] = route.split(' ') as [string, string];
      const send = (raw: string) =>
        t.call<Refusal>(method, concrete(path), { token: admin.accessToken, raw });
      const accepted = bodies[route] as Record<string, unknown>;

      const malformed = await send(JSON.stringify(accepted).slice(0, -1));
      expect(malformed.status, `${route}: malformed`).toBe(400);
      expect(malformed.body.error, `${route}: malformed`).toMatchObject({
        code: 'invalid_request',
        message: expect.stringMatching(/malformed JSON/i),
      });

      const unknown = await send(JSON.stringify({ ...accepted, unexpectedField: 1 }));
      expect(unknown.status, `${route}: unknown field`).toBe(400);
      expect(unknown.body.error, `${route}: unknown field`).toEqual({
        code: 'invalid_request',
        message: 'json: Unrecognized key: "unexpectedField"',
      });

      const huge = await send(JSON.stringify({ ...accepted, padding: 'x'.repeat(1024 * 1024) }));
      expect(huge.status, `${route}: oversized`).toBe(413);
      expect(huge.body.error, `${route}: oversized`).toEqual({
        code: 'payload_too_large',
        message: 'the body is larger than 1048576 bytes',
      });
    }
    expect(await rowCounts()).toEqual(before);

    // The same bodies without the fault pass validation (so the refusals above were the fault's).
    for (const route of withJson) {
      const [method, path] = route.split(' ') as [string, string];
      // Signing out ends the session it is sent with: a session of its own, not the admin's.
      const token = route === 'POST /auth/sign-out' ? (await t.signIn()).accessToken : admin.accessToken;
      const res = await t.call(method, concrete(path), { token, body: bodies[route] });
      expect(res.status, route).toBeLessThan(500);
      expect([400, 413, 415], route).not.toContain(res.status);
    }
  });
});

describe('every signed-in or sign-in route', () => {
  /** Tracking links are public URLs in emails: mail clients and proxies may add parameters to them. */
  const anyQuery = (path: string) => path.startsWith('/t/');

  it('refuses an unknown query parameter with 400 naming it, and writes nothing', async () => {
    const before = await rowCounts();
    const tried = operations.filter(({ path }) => !anyQuery(path));
    expect(tried.length).toBeGreaterThan(10);
    for (const { method, path } of tried) {
      const separator = path === '/sync/pull' || path === '/analytics' ? '&' : '?';
      const query =
        path === '/sync/pull' ? '?cursor=0' : path === '/analytics' ? '?from=2025-03-01&to=2025-03-31' : '';
      const res = await t.call<Refusal>(method, `${concrete(path)}${query}${separator}unexpectedParam=1`, {
        token: admin.accessToken,
      });
      expect(res.status, `${method} ${path}`).toBe(400);
      expect(res.body.error.message, `${method} ${path}`).toMatch(/query.*unexpectedParam/);
    }
    expect(await rowCounts()).toEqual(before);
  });
});
