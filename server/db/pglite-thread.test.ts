// @vitest-environment node
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { openDatabase } from './database';

const root = mkdtempSync(join(tmpdir(), 'threadline-pglite-thread-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

/** The server runs PGlite in a worker thread (`thread: true`): it must behave as the in-process one does. */
describe('the embedded PostgreSQL in a worker thread', () => {
  it('migrates, keeps its data across a restart, and answers while this thread keeps running', async () => {
    const dataDir = join(root, 'data');
    const first = await openDatabase({ dataDir, thread: true });
    expect(first.engine).toBe('pglite');
    await sql`insert into teams (id, name, created_at) values ('team-1', 'Northwind', 1)`.execute(first.db);
    // A slow statement runs in the worker: this thread's timers fire meanwhile.
    let ticks = 0;
    const timer = setInterval(() => ticks++, 5);
    await sql`select pg_sleep(0.3)`.execute(first.db);
    clearInterval(timer);
    expect(ticks).toBeGreaterThan(3);
    await first.close();

    const again = await openDatabase({ dataDir, thread: true });
    const rows = await sql<{ name: string }>`select name from teams where id = 'team-1'`.execute(again.db);
    expect(rows.rows).toEqual([{ name: 'Northwind' }]);
    await again.close();
  }, 240_000);

  it('reports database errors with their SQLSTATE, and rolls a failed transaction back', async () => {
    const database = await openDatabase({ thread: true });
    await sql`insert into teams (id, name, created_at) values ('t', 'A', 1)`.execute(database.db);
    const duplicate = await sql`insert into teams (id, name, created_at) values ('t', 'B', 1)`
      .execute(database.db)
      .catch((e: unknown) => e);
    expect(duplicate).toBeInstanceOf(pg.DatabaseError);
    expect(duplicate).toMatchObject({ code: '23505', constraint: expect.any(String) });
    await expect(
      database.db.transaction().execute(async (trx) => {
        await sql`update teams set name = 'C' where id = 't'`.execute(trx);
        await sql`select 1 / 0`.execute(trx);
      }),
    ).rejects.toMatchObject({ code: '22012' });
    const rows = await sql<{ name: string }>`select name from teams`.execute(database.db);
    expect(rows.rows).toEqual([{ name: 'A' }]);

    // Its files, dumped, start another instance (in a thread or not) with the same data.
    const files = await database.dump!();
    await database.close();
    for (const thread of [true, false]) {
      const copy = await openDatabase({ loadDataDir: files, thread });
      const copied = await sql<{ name: string }>`select name from teams`.execute(copy.db);
      expect(copied.rows).toEqual([{ name: 'A' }]);
      await copy.close();
    }
  }, 240_000);
});
