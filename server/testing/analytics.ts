import type { Db } from '../db/database';
import { ANALYTICS_VERSION } from '../analytics/facts';

/** As after an upgrade that raised ANALYTICS_VERSION: the team's analytics rows are of an older derivation. */
export async function makeStale(db: Db, team: string): Promise<void> {
  await db
    .updateTable('analytics_teams')
    .set({ version: ANALYTICS_VERSION - 1 })
    .where('team_id', '=', team)
    .execute();
}
