// @vitest-environment node
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { afterAll, describe, expect, it } from 'vitest';
import { openDatabase } from './database';

/**
 * The embedded database is what `npm start` runs on a fresh machine, so it is proven on every run, even when
 * DATABASE_URL points the rest of the server's tests at a PostgreSQL server (as CI does).
 */
const root = mkdtempSync(join(tmpdir(), 'threadline-pglite-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('the embedded PostgreSQL (PGlite)', () => {
  it('creates its folder on a fresh machine, migrates, and keeps the data across a restart', async () => {
    const dataDir = join(root, 'nested', 'pglite'); // parents missing, as .data/ is on a fresh clone
    const first = await openDatabase({ dataDir });
    expect(first.engine).toBe('pglite');
    await sql`insert into teams (id, name, created_at) values ('team-1', 'Northwind', 1)`.execute(first.db);
    await first.close();

    const again = await openDatabase({ dataDir });
    const rows = await sql<{ name: string }>`select name from teams where id = 'team-1'`.execute(again.db);
    expect(rows.rows).toEqual([{ name: 'Northwind' }]);
    await again.close();
  }, 60_000);
});
