import type { Db } from '../db/database';
import { ApiError, type Caller } from '../http';

/**
 * Whose records a caller may read in a team-wide report (analytics, process analytics), given the `repId`
 * they asked for: a rep only their own, whatever they ask (another rep's id is refused); a manager or an admin
 * the whole team (`undefined`: the report is scoped to `caller.teamId` and to no owner), or one member of it.
 * A member of another team is answered as if absent, so that ids cannot be probed across teams.
 *
 * `what` names the records in the refusal ("numbers", "deals").
 */
export async function ownersInScope(
  db: Db,
  caller: Pick<Caller, 'id' | 'teamId' | 'role'>,
  repId: string | undefined,
  what: string,
): Promise<string[] | undefined> {
  if (caller.role === 'rep') {
    if (repId !== undefined && repId !== caller.id)
      throw new ApiError(403, 'forbidden', `query.repId: a rep sees only their own ${what}`);
    return [caller.id];
  }
  if (repId === undefined) return undefined;
  const member = await db
    .selectFrom('users')
    .select('id')
    .where('id', '=', repId)
    .where('team_id', '=', caller.teamId)
    .executeTakeFirst();
  if (!member) throw new ApiError(404, 'not_found', `query.repId: no member ${repId} in your team`);
  return [repId];
}
