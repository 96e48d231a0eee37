// @vitest-environment node
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, type Database } from '../db/database';
import { createLogger } from '../log';
import { createHitBatcher, type BatcherOptions, type Hit } from './batcher';

/**
 * While the pixel is busy the writer takes one batch and pauses (a bounded share of the time), and past its
 * cap it writes at full speed; either way every hit it was given is written, once.
 */
let database: Database;
beforeAll(async () => {
  database = await openDatabase({});
}, 120_000);
afterAll(() => database?.close());

const T0 = Date.UTC(2026, 11, 7, 9, 0);

async function team(id: string) {
  await sql`insert into teams (id, name, created_at) values (${id}, ${id}, 1)`.execute(database.db);
  await database.db
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
}

const hits = (teamId: string, n: number): Hit[] =>
  Array.from({ length: n }, (_, i) => ({
    id: `opened:e1:0:${teamId}-${i}`,
    teamId,
    ownerId: `${teamId}-rep`,
    type: 'opened',
    enrollmentId: 'e1',
    stepIndex: 0,
    at: T0 + i,
    sentAt: T0 - 3_600_000,
    userAgent: 'Mozilla/5.0 (Macintosh) AppleWebKit/605.1.15 Safari/605.1.15',
  }));

async function written(teamId: string): Promise<string[]> {
  const rows = await database.db
    .selectFrom('entities')
    .select('id')
    .where('team_id', '=', teamId)
    .where('kind', '=', 'event')
    .execute();
  return rows.map((r) => r.id);
}

async function until(check: () => Promise<boolean>, ms = 20_000) {
  const end = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > end) throw new Error('timed out');
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

// Every arrival counts as busy; a pause of 999 times the write (seconds) after each batch of 10.
const paced: BatcherOptions = {
  holdMs: 0,
  maxDelayMs: 1,
  maxBatch: 10,
  busyPerSecond: 1,
  busyDuty: 0.001,
};

describe('the hit writer under load', () => {
  it('writes one batch and pauses while hits keep coming, and writes the rest on flush, each once', async () => {
    await team('paced');
    const batcher = createHitBatcher(database.db, createLogger('silent'), paced);
    for (const h of hits('paced', 100)) batcher.add(h);
    await until(async () => (await written('paced')).length > 0);
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(await written('paced')).toHaveLength(10);
    await batcher.flush();
    const ids = await written('paced');
    expect(ids).toHaveLength(100);
    expect(new Set(ids)).toEqual(new Set(hits('paced', 100).map((h) => h.id)));
  });

  it('past its cap writes at full speed instead of pausing, losing none', async () => {
    await team('capped');
    const batcher = createHitBatcher(database.db, createLogger('silent'), { ...paced, maxQueued: 20 });
    for (const h of hits('capped', 100)) batcher.add(h);
    await until(async () => (await written('capped')).length === 100);
    const ids = await written('capped');
    expect(new Set(ids)).toEqual(new Set(hits('capped', 100).map((h) => h.id)));
    await batcher.flush();
    expect(await written('capped')).toHaveLength(100);
  });
});
