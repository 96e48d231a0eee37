import { createRoute } from '@hono/zod-openapi';
import {
  PullQuery,
  PullResponse,
  PushRequest,
  PushResponse,
  type ChangedRow,
  type EntityKind,
  type MutationResult,
} from '../../lib/contract/sync';
import { Id } from '../../lib/domain/common';
import type { AppDeps } from '../deps';
import type { Db } from '../db/database';
import { createRouter, errors, json, jsonBody, noQuery, type Caller } from '../http';
import { ChangeWriter } from './changes';
import { applyParsed, parseMutation, Rejection, rowsReadBy, type ParsedMutation } from './mutations';
import { refusalOf } from './storable';
import { crmOutboxFor } from '../crm/outbox';

const security = [{ session: [] }];

const pushRoute = createRoute({
  method: 'post',
  path: '/sync/push',
  summary: 'Apply a client’s queued mutations, in order, each exactly once',
  description:
    'Mutations with an id at or below the client’s last applied id are answered `duplicate` and not applied ' +
    'again. An unknown or invalid mutation, or one whose data the database refuses (a NUL character, a number ' +
    'out of range), is `rejected` with its reason, and the ones after it still apply. All of it, with the ' +
    'client’s new last mutation id, commits in one transaction; any other failure answers 500 and applies ' +
    'nothing.',
  security,
  request: { ...jsonBody(PushRequest), query: noQuery },
  responses: { 200: json(PushResponse, 'What happened to each mutation'), ...errors(400, 401, 413) },
});

const pullRoute = createRoute({
  method: 'get',
  path: '/sync/pull',
  summary: 'Rows changed since a cursor, tombstones included',
  security,
  request: { query: PullQuery.extend({ clientId: Id.optional() }).strict() },
  responses: { 200: json(PullResponse, 'Changed rows and the next cursor'), ...errors(400, 401) },
});

/**
 * One attempt at a push, in one transaction. Batched (`isolated` false), the mutations' writes go out
 * together at the end: fast, but a database error cannot be pinned on one mutation. Isolated, each runs
 * under its own savepoint, and a database error its data caused rejects it alone.
 */
function applyPush(
  db: Db,
  now: number,
  caller: Caller,
  { clientId, mutations }: PushRequest,
  isolated: boolean,
): Promise<PushResponse> {
  return db.transaction().execute(async (trx) => {
    const w = await ChangeWriter.open(trx, caller.teamId);
    await trx
      .insertInto('sync_clients')
      .values({ user_id: caller.id, client_id: clientId, last_mutation_id: 0 })
      .onConflict((oc) => oc.columns(['user_id', 'client_id']).doNothing())
      .execute();
    const client = await trx
      .selectFrom('sync_clients')
      .select('last_mutation_id')
      .where('user_id', '=', caller.id)
      .where('client_id', '=', clientId)
      .forUpdate()
      .executeTakeFirstOrThrow();
    let last = client.last_mutation_id;
    // Each new mutation validated once; the rows their handlers read fetched in one go.
    const parsed = new Map<number, ParsedMutation | Rejection>();
    for (const m of mutations)
      if (m.id > last)
        parsed.set(
          m.id,
          attempt(() => parseMutation(m.name, m.args)),
        );
    await w.prefetch(
      rowsReadBy([...parsed.values()].filter((p): p is ParsedMutation => !(p instanceof Rejection))),
    );
    const results: MutationResult[] = [];
    const colleagues = mutations.some((m) => m.id > last && m.name === 'enroll')
      ? new Set(
          (
            await trx
              .selectFrom('users')
              .select('email')
              .where('team_id', '=', caller.teamId)
              .where('id', '!=', caller.id)
              // An unverified claim may name anyone's address (the caller's own included): it blocks nobody.
              .where('email_verified', '=', true)
              .execute()
          ).map((u) => u.email.toLowerCase()),
        )
      : undefined;
    const ctx = { w, caller, now, ...(colleagues ? { colleagues } : {}) };
    const crm = await crmOutboxFor(trx, caller, now); // the CRM outbox (server/crm/outbox.ts)
    for (const m of mutations) {
      if (m.id <= last) {
        results.push({ id: m.id, status: 'duplicate' });
        continue;
      }
      try {
        const p = parsed.get(m.id)!;
        if (p instanceof Rejection) throw p;
        if (isolated) await w.isolated(() => applyParsed(ctx, p));
        else await applyParsed(ctx, p);
        await crm?.enqueue(w, m.name, m.args);
        results.push({ id: m.id, status: 'applied' });
      } catch (error) {
        const reason = error instanceof Rejection ? error.message : isolated ? refusalOf(error) : undefined;
        if (reason === undefined) throw error;
        results.push({ id: m.id, status: 'rejected', reason });
      }
      last = m.id;
    }
    await trx
      .updateTable('sync_clients')
      .set({ last_mutation_id: last })
      .where('user_id', '=', caller.id)
      .where('client_id', '=', clientId)
      .execute();
    await w.finish();
    return { lastMutationId: last, results };
  });
}

function attempt<T>(parse: () => T): T | Rejection {
  try {
    return parse();
  } catch (error) {
    if (error instanceof Rejection) return error;
    throw error;
  }
}

export function syncRoutes({ db, log, now }: AppDeps) {
  const router = createRouter();

  router.openapi(pushRoute, async (c) => {
    const caller = c.get('caller');
    const push = c.req.valid('json');
    let response;
    try {
      response = await applyPush(db, now(), caller, push, false);
    } catch (error) {
      if (refusalOf(error) === undefined) throw error;
      // Some mutation's data was refused (text PostgreSQL cannot hold, a number out of range): the whole
      // attempt rolled back. Again, one mutation at a time under a savepoint, so that only it is rejected
      // and the device is not stuck resending it.
      log.warn({ err: error, team: caller.teamId }, 'sync: a push the database refused, applied one by one');
      response = await applyPush(db, now(), caller, push, true);
    }
    return c.json(response, 200);
  });

  router.openapi(pullRoute, async (c) => {
    const caller = c.get('caller');
    const { cursor, limit, clientId } = c.req.valid('query');
    const seesTeam = caller.role !== 'rep';
    // One snapshot for the rows and the team's version, so the new cursor covers exactly what was read.
    const response = await db
      .transaction()
      .setIsolationLevel('repeatable read')
      .execute(async (trx) => {
        const rows = await trx
          .selectFrom('entities')
          .select(['kind', 'id', 'version', 'deleted', 'data', 'owner_id', 'shared'])
          .where('team_id', '=', caller.teamId)
          .where('version', '>', cursor)
          // A row that was shared and is not any more comes as a tombstone: a colleague who had it drops
          // it; its new content never leaves.
          .$if(!seesTeam, (q) =>
            q.where((eb) => eb.or([eb('owner_id', '=', caller.id), eb('was_shared', '=', true)])),
          )
          .orderBy('version')
          .limit(limit + 1)
          .execute();
        const more = rows.length > limit;
        const page = more ? rows.slice(0, limit) : rows;
        let next = cursor;
        if (more) next = page[page.length - 1]!.version;
        else {
          const team = await trx
            .selectFrom('teams')
            .select('version')
            .where('id', '=', caller.teamId)
            .executeTakeFirstOrThrow();
          next = Math.max(cursor, team.version);
        }
        const client = clientId
          ? await trx
              .selectFrom('sync_clients')
              .select('last_mutation_id')
              .where('user_id', '=', caller.id)
              .where('client_id', '=', clientId)
              .executeTakeFirst()
          : undefined;
        return {
          rows: page.map((r): ChangedRow =>
            seesTeam || r.owner_id === caller.id || r.shared
              ? {
                  kind: r.kind as EntityKind,
                  id: r.id,
                  version: r.version,
                  deleted: r.deleted,
                  data: r.data,
                  mine: r.owner_id === caller.id,
                }
              : { kind: r.kind as EntityKind, id: r.id, version: r.version, deleted: true, data: null },
          ),
          cursor: next,
          more,
          ...(clientId ? { lastMutationId: client?.last_mutation_id ?? 0 } : {}),
        };
      });
    return c.json(response, 200);
  });

  return router;
}
