/**
 * HubSpot's daily request limit, reached: the team's CRM writes (activities and deals alike) wait until the
 * count resets, and Settings → CRM says why. One rule for both workers.
 */
import type { CrmDb } from './schema';

/** The next UTC midnight: HubSpot's daily count resets at midnight in the portal's zone (UTC assumed). */
export const nextMidnight = (ms: number) => Math.floor(ms / 86_400_000 + 1) * 86_400_000;

/** Holds the team's CRM writes until the next midnight, with HubSpot's message. */
export async function blockUntilMidnight(
  db: CrmDb,
  teamId: string,
  now: number,
  message: string,
): Promise<void> {
  await db
    .updateTable('crm_connections')
    .set({ blocked_until: nextMidnight(now), last_error: `HubSpot: ${message}` })
    .where('team_id', '=', teamId)
    .execute();
}
