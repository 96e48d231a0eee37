// @vitest-environment node
import { randomBytes } from 'node:crypto';
import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { openDatabase, type Database } from './database';
import { migrations } from './migrations';

/** Opens a database at the given migrations; on a server, in a schema of its own. */
async function open(
  upTo: string[],
  from?: { dump: Blob; schema?: string },
): Promise<Database & { schema?: string }> {
  const url = process.env.DATABASE_URL;
  const schema = url ? (from?.schema ?? `threadline_migrate_${randomBytes(6).toString('hex')}`) : undefined;
  const wanted = Object.fromEntries(Object.entries(migrations).filter(([name]) => upTo.includes(name)));
  const database = await openDatabase({
    url,
    schema,
    migrations: wanted,
    ...(from && !url ? { loadDataDir: from.dump } : {}),
  });
  return Object.assign(database, schema ? { schema } : {});
}

describe('migrations', () => {
  it('0002 marks the rows that were shared before it, keeping the data', async () => {
    const v1 = await open(['0001_initial']);
    await sql`insert into teams (id, name, created_at) values ('t', 'T', 1)`.execute(v1.db);
    await sql`insert into entities (team_id, kind, id, owner_id, shared, version, deleted, data) values
      ('t', 'sequence', 'shared', 'u', true, 1, false, '{"name":"A"}'),
      ('t', 'sequence', 'private', 'u', false, 2, false, '{"name":"B"}')`.execute(v1.db);
    const dump = v1.dump ? await v1.dump() : new Blob();
    await v1.close();

    const v2 = await open(Object.keys(migrations), { dump, ...(v1.schema ? { schema: v1.schema } : {}) });
    try {
      const rows = await v2.db
        .selectFrom('entities')
        .select(['id', 'was_shared', 'data'])
        .orderBy('id')
        .execute();
      expect(rows).toEqual([
        { id: 'private', was_shared: false, data: { name: 'B' } },
        { id: 'shared', was_shared: true, data: { name: 'A' } },
      ]);
    } finally {
      if (v2.schema) await sql`drop schema ${sql.id(v2.schema)} cascade`.execute(v2.db);
      await v2.close();
    }
  }, 60_000);
});
