import { sql } from 'kysely';
import type { EntityKind } from '../../lib/contract/sync';
import type { Db } from '../db/database';
import { ingestEvents } from '../analytics/facts';

export interface StoredRow {
  ownerId: string;
  shared: boolean;
  deleted: boolean;
  data: Record<string, unknown> | null;
}

/**
 * Writes to a team's synced rows inside one transaction, as a unit of work: rows read once are served from
 * memory, writes are kept and flushed in a few multi-row statements by `finish`. It holds the team row's
 * lock, so the team's writers take turns and versions become visible in order: a pull at cursor N never
 * misses a row that commits later with a smaller version. Each write takes its own version, so a pull can
 * page through them.
 */
export class ChangeWriter {
  private readonly cache = new Map<string, StoredRow | null>();
  /** Events this transaction stored for the first time: analytics takes them in at `finish`. */
  private readonly newEvents: string[] = [];
  private readonly pending = new Map<
    string,
    { kind: EntityKind; id: string; row: StoredRow; version: number }
  >();
  /** Inside `isolated`: what the cache held before the mutation changed it (undefined: nothing). */
  private undo: Map<string, StoredRow | null | undefined> | undefined;

  private constructor(
    private readonly trx: Db,
    readonly teamId: string,
    private version: number,
  ) {}

  static async open(trx: Db, teamId: string): Promise<ChangeWriter> {
    const team = await trx
      .selectFrom('teams')
      .select('version')
      .where('id', '=', teamId)
      .forUpdate()
      .executeTakeFirstOrThrow();
    return new ChangeWriter(trx, teamId, team.version);
  }

  /** Reads many rows in one query ahead of the mutations that will ask for them. */
  async prefetch(keys: { kind: EntityKind; id: string }[]): Promise<void> {
    const wanted = keys.filter((k) => !this.cache.has(key(k.kind, k.id)));
    for (let i = 0; i < wanted.length; i += 1000) {
      const chunk = wanted.slice(i, i + 1000);
      const rows = await this.trx
        .selectFrom('entities')
        .select(['kind', 'id', 'owner_id', 'shared', 'deleted', 'data'])
        .where('team_id', '=', this.teamId)
        .where('kind', 'in', [...new Set(chunk.map((k) => k.kind))])
        .where('id', 'in', [...new Set(chunk.map((k) => k.id))])
        .execute();
      for (const k of chunk) this.cache.set(key(k.kind, k.id), null);
      for (const r of rows)
        this.cache.set(key(r.kind, r.id), {
          ownerId: r.owner_id,
          shared: r.shared,
          deleted: r.deleted,
          data: r.data,
        });
    }
  }

  async get(kind: EntityKind, id: string): Promise<StoredRow | undefined> {
    const k = key(kind, id);
    if (!this.cache.has(k)) {
      const row = await this.trx
        .selectFrom('entities')
        .select(['owner_id', 'shared', 'deleted', 'data'])
        .where('team_id', '=', this.teamId)
        .where('kind', '=', kind)
        .where('id', '=', id)
        .executeTakeFirst();
      this.cache.set(
        k,
        row ? { ownerId: row.owner_id, shared: row.shared, deleted: row.deleted, data: row.data } : null,
      );
    }
    return this.cache.get(k) ?? undefined;
  }

  async put(kind: EntityKind, id: string, row: StoredRow): Promise<void> {
    const k = key(kind, id);
    this.remember(k);
    this.cache.set(k, row);
    this.pending.set(k, { kind, id, row, version: ++this.version });
  }

  /** Inserts rows that are written once (events); ids already present are left alone. */
  async insertNew(kind: EntityKind, rows: { id: string; row: StoredRow }[]): Promise<void> {
    for (const { id, row } of rows) {
      const k = key(kind, id);
      if (this.cache.get(k)) continue;
      this.remember(k);
      this.cache.set(k, row);
    }
    for (let i = 0; i < rows.length; i += 1000) {
      const inserted = await this.trx
        .insertInto('entities')
        .values(
          rows.slice(i, i + 1000).map(({ id, row }) => ({
            team_id: this.teamId,
            kind,
            id,
            version: ++this.version,
            owner_id: row.ownerId,
            shared: row.shared,
            deleted: false,
            data: JSON.stringify(row.data),
          })),
        )
        .onConflict((oc) => oc.columns(['team_id', 'kind', 'id']).doNothing())
        .returning('id')
        .execute();
      if (kind === 'event') for (const r of inserted) this.newEvents.push(r.id);
    }
  }

  /**
   * Runs one mutation so that a database error in it undoes it alone: under a savepoint, with its writes
   * flushed and its events taken into analytics before the savepoint is released. On any error the
   * database and this writer's memory are back where they were, and the error is thrown on. Slower than
   * batching (a few statements per mutation): a push uses it only after a batched attempt failed.
   */
  async isolated(work: () => Promise<void>): Promise<void> {
    const version = this.version;
    this.undo = new Map();
    await sql`savepoint mutation`.execute(this.trx);
    try {
      await work();
      await this.flush();
      await sql`release savepoint mutation`.execute(this.trx);
    } catch (error) {
      try {
        await sql`rollback to savepoint mutation`.execute(this.trx);
      } catch {
        throw error; // the transaction is lost anyway: report why it failed first
      }
      for (const [k, before] of this.undo) {
        if (before === undefined) this.cache.delete(k);
        else this.cache.set(k, before);
      }
      this.pending.clear();
      this.newEvents.length = 0;
      this.version = version;
      throw error;
    } finally {
      this.undo = undefined;
    }
  }

  /** Writes what was put and moves the team's counter past every version taken. */
  async finish(): Promise<void> {
    await this.flush();
    await this.trx
      .updateTable('teams')
      .set({ version: this.version })
      .where('id', '=', this.teamId)
      .execute();
  }

  private remember(k: string): void {
    if (this.undo && !this.undo.has(k)) this.undo.set(k, this.cache.get(k));
  }

  /** Writes what was put, and takes the new events into analytics. */
  private async flush(): Promise<void> {
    const writes = [...this.pending.values()];
    for (let i = 0; i < writes.length; i += 1000) {
      await this.trx
        .insertInto('entities')
        .values(
          writes.slice(i, i + 1000).map((w) => ({
            team_id: this.teamId,
            kind: w.kind,
            id: w.id,
            version: w.version,
            owner_id: w.row.ownerId,
            shared: w.row.shared,
            was_shared: w.row.shared,
            deleted: w.row.deleted,
            data: w.row.data === null ? null : JSON.stringify(w.row.data),
          })),
        )
        .onConflict((oc) =>
          oc.columns(['team_id', 'kind', 'id']).doUpdateSet((eb) => ({
            version: eb.ref('excluded.version'),
            owner_id: eb.ref('excluded.owner_id'),
            shared: eb.ref('excluded.shared'),
            was_shared: sql<boolean>`excluded.shared or entities.was_shared`,
            deleted: eb.ref('excluded.deleted'),
            data: eb.ref('excluded.data'),
          })),
        )
        .execute();
    }
    this.pending.clear();
    await ingestEvents(this.trx, this.teamId, this.newEvents.splice(0));
  }
}

const key = (kind: string, id: string) => `${kind}\u0000${id}`;
