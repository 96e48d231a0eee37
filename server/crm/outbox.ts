/**
 * The CRM outbox's entry: the hook the sync push calls for each mutation it applied, in the same
 * transaction. A team without a CRM connection costs one query per push. Activities of addresses on the
 * never-log list are not queued at all. A deal mutation marks the deal as waiting to be written to HubSpot
 * (deals-sync.ts), with deal sync on or off: while it is off the deal waits (no round runs), so turning it on
 * later sends the changes made meanwhile.
 */
import type { Db } from '../db/database';
import type { Caller } from '../http';
import type { ChangeWriter } from '../sync/changes';
import { activitiesOf } from './activities';
import { settingsOf } from './connection';
import { dealIdsOf, enqueueDeals } from './deals-sync';
import { crmDb } from './schema';
import { neverLogReason } from './settings';

export interface CrmHook {
  enqueue(w: ChangeWriter, name: string, args: unknown): Promise<void>;
}

const CRM_MUTATIONS = new Set(['events.record', 'task.complete']);

/** The hook for one push, or undefined when the team has no CRM connection. */
export async function crmOutboxFor(trx: Db, caller: Caller, now: number): Promise<CrmHook | undefined> {
  const db = crmDb(trx);
  const conn = await db
    .selectFrom('crm_connections')
    .select('settings')
    .where('team_id', '=', caller.teamId)
    .executeTakeFirst();
  if (!conn) return undefined;
  const settings = settingsOf(conn);
  let teamDomains: Set<string> | undefined;
  return {
    async enqueue(w, name, args) {
      const deals = dealIdsOf(name, args);
      if (deals.length) await enqueueDeals(trx, caller.teamId, deals, now);
      if (!CRM_MUTATIONS.has(name)) return;
      const get = async (kind: Parameters<ChangeWriter['get']>[0], id: string) => {
        const row = await w.get(kind, id);
        return row && !row.deleted && row.data ? row.data : undefined;
      };
      const planned = await activitiesOf(name, args, get, caller.email);
      if (!planned.length) return;
      teamDomains ??= new Set(
        (await db.selectFrom('users').select('email').where('team_id', '=', caller.teamId).execute()).map(
          (u) => u.email.slice(u.email.lastIndexOf('@') + 1).toLowerCase(),
        ),
      );
      const rows = planned
        .filter((p) => !neverLogReason(p.activity.contact.email, settings, teamDomains!))
        .map((p) => ({
          team_id: caller.teamId,
          id: p.activity.id,
          kind: p.activity.kind,
          user_id: caller.id,
          contact_id: p.contactId,
          payload: JSON.stringify(p.activity),
          state: 'pending' as const,
          last_error: null,
          crm_id: null,
          created_at: now,
          updated_at: now,
          next_at: now,
        }));
      if (!rows.length) return;
      // The same touch sent again (a device's retry, a replayed event) is already queued: nothing new.
      await db
        .insertInto('crm_outbox')
        .values(rows)
        .onConflict((oc) => oc.columns(['team_id', 'id']).doNothing())
        .execute();
    },
  };
}
