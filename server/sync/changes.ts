import type { EntityKind } from '../../lib/contract/sync';
import type { Db } from '../db/database';

export interface StoredRow {
  ownerId: string;
  shared: boolean;
  deleted: boolean;
  data: Record<string, unknown> | null;
}

/**
 * Writes to a team's synced rows inside one transaction. It holds the team row's lock, so the team's writers
 * take turns and versions become visible in order: a pull at cursor N never misses a row that commits later
 * with a smaller version. Each write takes its own version, so a pull can page through them.
 */
export class ChangeWriter {
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

  async get(kind: EntityKind, id: string): Promise<StoredRow | undefined> {
    const row = await this.trx
      .selectFrom('entities')
      .select(['owner_id', 'shared', 'deleted', 'data'])
      .where('team_id', '=', this.teamId)
      .where('kind', '=', kind)
      .where('id', '=', id)
      .executeTakeFirst();
    return row && { ownerId: row.owner_id, shared: row.shared, deleted: row.deleted, data: row.data };
  }

  async put(kind: EntityKind, id: string, row: StoredRow): Promise<void> {
    const values = {
      version: ++this.version,
      owner_id: row.ownerId,
      shared: row.shared,
      deleted: row.deleted,
      data: row.data === null ? null : JSON.stringify(row.data),
    };
    await this.trx
      .insertInto('entities')
      .values({ team_id: this.teamId, kind, id, ...values })
      .onConflict((oc) => oc.columns(['team_id', 'kind', 'id']).doUpdateSet(values))
      .execute();
  }

  /** Inserts rows that are written once (events); ids already present are left alone. */
  async insertNew(kind: EntityKind, rows: { id: string; row: StoredRow }[]): Promise<void> {
    if (!rows.length) return;
    await this.trx
      .insertInto('entities')
      .values(
        rows.map(({ id, row }) => ({
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
      .execute();
  }

  async finish(): Promise<void> {
    await this.trx
      .updateTable('teams')
      .set({ version: this.version })
      .where('id', '=', this.teamId)
      .execute();
  }
}
