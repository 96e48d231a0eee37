// @vitest-environment node
import fc from 'fast-check';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import type { Session } from '../../lib/contract/auth';
import { MutationArgs } from '../../lib/contract/mutations';
import type { PushResponse } from '../../lib/contract/sync';
import { createTestServer, type TestServer } from '../testing/harness';
import type { HubSpotSandbox } from '../../tools/sandbox/hubspot/server';
import { crmSandboxForTests } from '../testing/crm';
import { arbitraryOf, hostileValues, jsonText, replaceNode, type JsonSchema } from './json-schema-arbitrary';

/**
 * Every route of /openapi.json that takes a JSON body gets bodies generated from its own schema (a push's
 * mutations from each mutation's argument schema), most of them with one node replaced by something hostile:
 * a wrong type, a huge string, deep nesting, odd unicode, null, NUL bytes. No answer may be a 500, and a
 * refusal (4xx, or a push whose mutations were all rejected) must leave every table as it was.
 * `FC_SEED=<n>` replays a run; RUNS requests per route.
 */
const SEED = Number(process.env.FC_SEED ?? 20261207);
const RUNS = 24;

let t: TestServer;
let admin: Session;
let rep: Session;
let doc: {
  paths: Record<
    string,
    Record<string, { requestBody?: { content?: Record<string, { schema: JsonSchema }> } }>
  >;
};

let hs: HubSpotSandbox | undefined;

beforeAll(async () => {
  // The CRM routes are fuzzed as a configured server has them (a token key and HubSpot: the sandbox).
  const crm = await crmSandboxForTests();
  hs = crm.hs;
  t = await createTestServer({ crm: crm.config });
  ({
    admin,
    members: [rep],
  } = (await t.newTeam('rep')) as { admin: Session; members: [Session] });
  doc = (await t.call<typeof doc>('GET', '/openapi.json')).body;
}, 60_000);
afterAll(async () => {
  await t?.close();
  await hs?.stop();
});

/** Rows per table, in one statement. */
async function rowCounts(): Promise<Record<string, number>> {
  const tables = await sql<{ name: string }>`
    select table_name as name from information_schema.tables
    where table_schema = current_schema() and table_type = 'BASE TABLE' order by 1`.execute(t.database.db);
  const counts = await sql<Record<string, string>>`select ${sql.join(
    tables.rows.map(({ name }) => sql`(select count(*) from ${sql.table(name)}) as ${sql.id(name)}`),
  )}`.execute(t.database.db);
  return Object.fromEntries(Object.entries(counts.rows[0]!).map(([k, v]) => [k, Number(v)]));
}

/** A push's mutations: a known name with arguments from its own schema. */
const mutationArb = fc.oneof(
  ...Object.entries(MutationArgs).map(([name, schema]) =>
    arbitraryOf(z.toJSONSchema(schema, { unrepresentable: 'any', io: 'input' }) as JsonSchema).map(
      (args) => ({
        name,
        args,
      }),
    ),
  ),
);
const pushArb = fc
  .tuple(fc.string({ minLength: 1, maxLength: 20 }), fc.array(mutationArb, { minLength: 1, maxLength: 4 }))
  .map(([clientId, ms]) => ({
    clientId: `fuzz-${clientId}`,
    mutations: ms.map((m, i) => ({ id: i + 1, ...m })),
  }));

/** A body for the route: valid by its schema, or (three times in four) with one node made hostile. */
function bodyArb(route: string, schema: JsonSchema): fc.Arbitrary<{ body: unknown; hostile: boolean }> {
  const valid = route === 'POST /sync/push' ? pushArb : arbitraryOf(schema);
  return fc
    .tuple(valid, fc.nat(), hostileValues, fc.integer({ min: 0, max: 3 }))
    .map(([body, index, hostile, mode]) => {
      const sent = mode === 0 ? body : replaceNode(body, index, hostile);
      // fast-check prints a failing value with its own (recursive) printer: deep nesting would overflow it.
      return {
        body: sent,
        hostile: mode !== 0,
        [fc.toStringMethod]: () => jsonText(sent).slice(0, 300),
      };
    });
}

const concrete = (path: string) =>
  path.replace('{userId}', rep.user.id).replace('{mailbox}', encodeURIComponent('rep@example.com'));

describe('every JSON route of /openapi.json, fuzzed from its own schema', () => {
  it(`answers no 500 and writes nothing when it refuses (FC_SEED=${SEED}, ${RUNS} runs per route)`, async () => {
    const routes = Object.entries(doc.paths).flatMap(([path, ops]) =>
      Object.entries(ops).flatMap(([method, op]) => {
        const schema = op.requestBody?.content?.['application/json']?.schema;
        return schema
          ? [{ route: `${method.toUpperCase()} ${path}`, method: method.toUpperCase(), path, schema }]
          : [];
      }),
    );
    expect(routes.length).toBeGreaterThanOrEqual(13);
    let before = await rowCounts();
    const seen: Record<string, number[]> = {};
    for (const [i, { route, method, path, schema }] of routes.entries()) {
      await fc.assert(
        fc.asyncProperty(bodyArb(route, schema), async ({ body }) => {
          // Signing out ends the session it is sent with: its own, not the admin's.
          const token = route === 'POST /auth/sign-out' ? (await t.signIn()).accessToken : admin.accessToken;
          if (route === 'POST /auth/sign-out') before = await rowCounts();
          const res = await t.call<unknown>(method, concrete(path), { token, raw: jsonText(body) });
          (seen[route] ??= []).push(res.status);
          expect(res.status, `${route} ${jsonText(body).slice(0, 300)}`).toBeLessThan(500);
          const after = await rowCounts();
          const pushRefused =
            route === 'POST /sync/push' &&
            res.status === 200 &&
            (res.body as PushResponse).results.every((r) => r.status !== 'applied');
          if (res.status >= 400 || pushRefused) {
            // A refused push still records the device's last mutation id (so it is not sent again).
            const { sync_clients: _a, ...was } = before;
            const { sync_clients: _b, ...now } = after;
            expect(pushRefused ? now : after, `${route} refused (${res.status}) but wrote`).toEqual(
              pushRefused ? was : before,
            );
          }
          before = after;
        }),
        { seed: SEED + i, numRuns: RUNS, endOnFailure: true },
      );
    }
    // The runs reached past validation somewhere: not every answer was a 400.
    const accepted = Object.entries(seen).filter(([, statuses]) => statuses.some((s) => s < 300));
    expect(accepted.length, JSON.stringify(seen)).toBeGreaterThanOrEqual(8);
  }, 600_000);
});
