// @vitest-environment node
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Event } from '../../lib/domain/event';
import { SLOT_MS } from '../analytics/contributions';
import { markBuilt } from '../analytics/facts';
import { openDatabase, type Database } from '../db/database';
import { ChangeWriter } from '../sync/changes';
import { insertHits, type HitEvent } from './hit-writes';

/**
 * The pixel's write path (insertHits: one JSON parameter, analytics folded in memory) must leave exactly what
 * the general one (ChangeWriter.insertNew, then analytics' ingestEvents) leaves: the same events, versions
 * and analytics rows. Two teams get the same history, one through each path, and every table is compared.
 */
let database: Database;
beforeAll(async () => {
  database = await openDatabase({});
}, 120_000);
afterAll(() => database?.close());

const T0 = Date.UTC(2026, 11, 7, 9, 0);

function history(): { before: Event[]; batches: Event[][] } {
  const at = (min: number) => T0 + min * 60_000;
  const named = (e: string) => ({
    enrollmentId: e,
    sequenceId: e === 'e3' ? 'seq-2' : 'seq-1',
    contactId: `c-${e}`,
    ...(e === 'e2' ? {} : { mailbox: 'rep@example.com' }),
  });
  const before: Event[] = ['e1', 'e2', 'e3'].flatMap((e) => [
    { id: `enrolled:${e}`, at: at(0), type: 'enrolled' as const, ...named(e) },
    { id: `sent:${e}:0`, at: at(1), type: 'sent' as const, stepIndex: 0, ...named(e) },
    { id: `sent:${e}:1`, at: at(100), type: 'sent' as const, stepIndex: 1, ...named(e) },
  ]);
  let n = 0;
  const hit = (e: string, type: 'opened' | 'clicked', step: number, min: number, machine = false): Event => ({
    id: `${type}:${e}:${step}:${String(++n).padStart(4, '0')}`,
    at: at(min),
    type,
    ...named(e),
    stepIndex: step,
    data: {
      ...(machine ? { machine: true, flag: 'proxy' } : {}),
      ...(type === 'clicked' ? { url: 'https://x.test/' } : {}),
    },
  });
  const batches = [
    // First opens and clicks, several per quarter hour, one flagged, two steps.
    [
      hit('e1', 'opened', 0, 5),
      hit('e1', 'opened', 0, 7),
      hit('e1', 'opened', 0, 5, true),
      hit('e2', 'clicked', 0, 30),
    ],
    // Later ones (no count changes), an earlier one in a known quarter hour, a new step and a new contact.
    [
      hit('e1', 'opened', 0, 9),
      hit('e1', 'opened', 0, 4),
      hit('e2', 'opened', 1, 120),
      hit('e3', 'opened', 0, 3),
    ],
    // The same instant twice (the first by id decides), and a quarter hour later.
    [hit('e3', 'clicked', 0, 3), hit('e3', 'clicked', 0, 3), hit('e1', 'opened', 0, 5 + SLOT_MS / 60_000)],
  ];
  return { before, batches };
}

async function team(id: string) {
  const db = database.db;
  await sql`insert into teams (id, name, created_at) values (${id}, ${id}, 1)`.execute(db);
  await db
    .insertInto('users')
    .values({
      id: `${id}-rep`,
      team_id: id,
      email: `${id}@x.test`,
      name: null,
      role: 'rep',
      issuer: 'x',
      subject: id,
      created_at: 1,
    })
    .execute();
  await markBuilt(db, id);
}

const rowsOf = (e: Event, owner: string): HitEvent => ({ id: e.id, ownerId: owner, event: e });

async function general(teamId: string, events: Event[]) {
  await database.db.transaction().execute(async (trx) => {
    const w = await ChangeWriter.open(trx, teamId);
    await w.insertNew(
      'event',
      events.map((e) => ({
        id: e.id,
        row: { ownerId: `${teamId}-rep`, shared: false, deleted: false, data: e },
      })),
    );
    await w.finish();
  });
}

async function snapshot(teamId: string) {
  const out: Record<string, unknown[]> = {};
  for (const table of [
    'entities',
    'analytics_events',
    'analytics_hits',
    'analytics_contacts',
    'analytics_funnel',
    'analytics_daily',
    'analytics_ab',
  ]) {
    const { rows } = await sql<
      Record<string, unknown>
    >`select * from ${sql.table(table)} where team_id = ${teamId}`.execute(database.db);
    out[table] = rows
      .map(({ team_id, owner_id, ...rest }) => ({
        ...rest,
        ...(owner_id === undefined ? {} : { owner: String(owner_id).replace(`${String(team_id)}-`, '') }),
      }))
      .map((r) => JSON.stringify(r))
      .sort();
  }
  const { rows } = await sql<{ version: number }>`select version from teams where id = ${teamId}`.execute(
    database.db,
  );
  out.version = rows;
  return out;
}

describe('the pixel’s write path', () => {
  it('stores and counts opens and clicks exactly as the general write path does', async () => {
    await team('fast');
    await team('slow');
    const { before, batches } = history();
    for (const t of ['fast', 'slow']) await general(t, before);
    for (const batch of batches) {
      await database.db.transaction().execute((trx) =>
        insertHits(
          trx,
          'fast',
          batch.map((e) => rowsOf(e, 'fast-rep')),
        ),
      );
      await general('slow', batch);
    }
    const fast = await snapshot('fast');
    const slow = await snapshot('slow');
    expect(fast.analytics_hits!.length).toBeGreaterThan(4);
    expect(fast.analytics_funnel!.length).toBeGreaterThan(0);
    expect(fast.entities).toHaveLength(before.length + batches.flat().length);
    expect(fast).toEqual(slow);
  }, 120_000);

  it('stores an event once however often its batch is written, and counts it once', async () => {
    await team('again');
    const { before, batches } = history();
    await general('again', before);
    const batch = batches[0]!.map((e) => rowsOf(e, 'again-rep'));
    const first = await database.db.transaction().execute((trx) => insertHits(trx, 'again', batch));
    const once = await snapshot('again');
    const second = await database.db.transaction().execute((trx) => insertHits(trx, 'again', batch));
    expect(first.size).toBe(batch.length);
    expect(second.size).toBe(0);
    const twice = await snapshot('again');
    expect({ ...twice, version: [] }).toEqual({ ...once, version: [] });
  }, 120_000);
});
