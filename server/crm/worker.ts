/**
 * The CRM outbox worker: for each connected team, the activities waiting (oldest first, up to 1,000 a
 * round) go to the CRM in batches; each outcome is recorded after the CRM answered. A crash between the
 * answer and the record leaves the rows waiting; sent again, the CRM recognises them by their ids
 * (provider.ts) and nothing is logged twice. Each round first finds or creates the contacts of the activities
 * due, then writes the team's waiting deals and reads HubSpot's stage moves (deals-sync.ts), so the deals
 * associate with those contacts and the activities that follow associate with the deals.
 */
import { sql } from 'kysely';
import type { Db } from '../db/database';
import type { Logger } from '../log';
import type { PlannedActivity } from './activities';
import type { CrmConfig } from './config';
import type { ContactsAhead } from './deals-associate';
import { loadConnection, openSession, settingsOf } from './connection';
import { blockUntilMidnight } from './daily-limit';
import { createDealSync, type DealCrashPoint, type DealRoundResult } from './deals-sync';
import { CrmDailyLimitError, CrmError, type CrmActivity, type LogOutcome } from './provider';
import { crmDb, ownerIdsByUser, type CrmDb } from './schema';

const ROUND = 1000;
const MAX_ATTEMPTS = 8;
const backoff = (attempts: number) => Math.min(60 * 60_000, 30_000 * 2 ** Math.max(0, attempts - 1));

export interface WorkerDeps {
  db: Db;
  log: Logger;
  now: () => number;
  config: CrmConfig;
  /** Fault-injection tests: called at each point of the send path; throwing there is a crash. */
  crashPoint?: (point: 'claimed' | 'answered' | 'recording' | DealCrashPoint) => void;
  /** How often each team's HubSpot deals are polled for stage moves (default one minute). */
  dealPollMs?: number;
}

export interface RoundResult {
  logged: number;
  skipped: number;
  failed: number;
  waiting: number;
}

/** Open deals in the CRM that a contact is on (the behavior layer's deals, once they carry a CRM id). */
async function dealLinks(db: CrmDb, teamId: string, contactIds: string[]): Promise<Map<string, string[]>> {
  const out = new Map<string, string[]>();
  if (!contactIds.length) return out;
  const rows = await db
    .selectFrom('entities')
    .select('data')
    .where('team_id', '=', teamId)
    .where('kind', '=', 'deal')
    .where('deleted', '=', false)
    .where(sql<boolean>`data->'crm'->>'provider' = 'hubspot'`)
    .execute();
  const wanted = new Set(contactIds);
  for (const { data } of rows) {
    const deal = data as {
      status?: string;
      crm?: { id: string; removedAt?: number };
      contacts?: { contactId: string }[];
    };
    // A deal removed in HubSpot has nothing there to associate with.
    if (!deal.crm || deal.crm.removedAt !== undefined || (deal.status && deal.status !== 'open')) continue;
    for (const c of deal.contacts ?? [])
      if (wanted.has(c.contactId)) out.set(c.contactId, [...(out.get(c.contactId) ?? []), deal.crm.id]);
  }
  return out;
}

/** An outbox row's activity as planned (its payload read back as an object, or as JSON text). */
const plannedOf = (r: { payload: unknown }): PlannedActivity =>
  (typeof r.payload === 'string' ? JSON.parse(r.payload) : r.payload) as PlannedActivity;

export function createCrmWorker(deps: WorkerDeps) {
  const db = crmDb(deps.db);
  const crash = deps.crashPoint ?? (() => {});
  const deals = createDealSync({
    db: deps.db,
    log: deps.log,
    now: deps.now,
    config: deps.config,
    ...(deps.dealPollMs !== undefined ? { pollMs: deps.dealPollMs } : {}),
    ...(deps.crashPoint ? { crashPoint: deps.crashPoint } : {}),
    // The contacts this round already found or created, and their companies: the deals associate with them
    // without asking again.
    contactsAhead: (teamId) => resolvedAhead.get(teamId),
  });

  /** A team's activities due now (oldest first, up to ROUND), with its connection; undefined when none. */
  async function due(teamId: string) {
    const conn = await loadConnection(db, teamId);
    const now = deps.now();
    if (!conn || (conn.blocked_until !== null && conn.blocked_until > now)) return undefined;
    const rows = await db
      .selectFrom('crm_outbox')
      .selectAll()
      .where('team_id', '=', teamId)
      .where('state', '=', 'pending')
      .where('next_at', '<=', now)
      .orderBy('seq')
      .limit(ROUND)
      .execute();
    return rows.length ? { conn, now, rows } : undefined;
  }

  const optionsOf = (conn: { settings: unknown }) => {
    const settings = settingsOf(conn);
    return {
      createContacts: settings.createContacts,
      contactFieldsThreadlineWins: settings.contactsThreadlineWins,
    };
  };

  /** Contacts and their companies resolved before the deal round, by team, for the rounds that follow. */
  const resolvedAhead = new Map<string, ContactsAhead>();

  /**
   * The contacts of a team's waiting activities, found or created in HubSpot before the deal round, so a deal
   * associates with a contact its activities create in the same round, then those contacts' companies, read
   * once for both the deal round and the activities (neither looks them up again).
   */
  async function contactsFirst(teamId: string): Promise<void> {
    const work = await due(teamId);
    if (!work) return;
    const session = openSession(db, deps.config, deps.log, work.conn, deps.now);
    try {
      const activities = work.rows.map(plannedOf) as CrmActivity[];
      const contacts = await session.provider.resolveContacts(activities, optionsOf(work.conn));
      resolvedAhead.set(teamId, { contacts });
      const companies = await session.provider.contactCompanies([...new Set(contacts.values())]);
      resolvedAhead.set(teamId, { contacts, companies });
    } finally {
      await session.record();
    }
  }

  async function runTeam(teamId: string): Promise<RoundResult> {
    const result: RoundResult = { logged: 0, skipped: 0, failed: 0, waiting: 0 };
    const ahead = resolvedAhead.get(teamId);
    resolvedAhead.delete(teamId);
    const work = await due(teamId);
    if (!work) return result;
    const { conn, now, rows } = work;
    crash('claimed');
    const owners = await ownerIdsByUser(deps.db, teamId);
    const deals = await dealLinks(db, teamId, [
      ...new Set(rows.map((r) => r.contact_id).filter((c): c is string => !!c)),
    ]);
    const activities: CrmActivity[] = rows.map((r) => {
      const planned = plannedOf(r);
      const ownerId = owners.get(r.user_id);
      const dealIds = r.contact_id ? deals.get(r.contact_id) : undefined;
      return { ...planned, ...(ownerId ? { ownerId } : {}), ...(dealIds ? { dealIds } : {}) } as CrmActivity;
    });
    const session = openSession(db, deps.config, deps.log, conn, deps.now);
    let outcomes: LogOutcome[];
    try {
      outcomes = await session.provider.logActivities(activities, {
        ...optionsOf(conn),
        ...(ahead ? { contacts: ahead.contacts } : {}),
        ...(ahead?.companies ? { companies: ahead.companies } : {}),
      });
    } catch (error) {
      await session.record();
      const e = error instanceof CrmError ? error : new CrmError(String(error), 0, true);
      if (e instanceof CrmDailyLimitError) {
        await blockUntilMidnight(db, teamId, now, e.message);
        result.waiting = rows.length;
        return result;
      }
      outcomes = activities.map((a) => ({
        id: a.id,
        status: 'failed',
        message: e.message,
        retryable: e.retryable,
      }));
    }
    crash('answered');
    await session.record();
    const byId = new Map(rows.map((r) => [r.id, r]));
    const at = deps.now();
    await db.transaction().execute(async (trx) => {
      for (const o of outcomes) {
        const row = byId.get(o.id)!;
        crash('recording');
        if (o.status === 'logged') {
          result.logged += 1;
          await trx
            .updateTable('crm_outbox')
            .set({ state: 'logged', crm_id: o.crmId, updated_at: at, last_error: null })
            .where('team_id', '=', teamId)
            .where('id', '=', o.id)
            .execute();
        } else if (o.status === 'skipped') {
          result.skipped += 1;
          await trx
            .updateTable('crm_outbox')
            .set({ state: 'skipped', last_error: o.reason, updated_at: at })
            .where('team_id', '=', teamId)
            .where('id', '=', o.id)
            .execute();
        } else {
          const attempts = row.attempts + 1;
          const giveUp = !o.retryable || attempts >= MAX_ATTEMPTS;
          if (giveUp) result.failed += 1;
          else result.waiting += 1;
          await trx
            .updateTable('crm_outbox')
            .set({
              state: giveUp ? 'failed' : 'pending',
              attempts,
              last_error: o.message.slice(0, 2000),
              next_at: at + backoff(attempts),
              updated_at: at,
            })
            .where('team_id', '=', teamId)
            .where('id', '=', o.id)
            .execute();
        }
      }
      const firstError = outcomes.find((o) => o.status === 'failed');
      await trx
        .updateTable('crm_connections')
        .set({
          last_sync_at: at,
          last_error:
            firstError && firstError.status === 'failed'
              ? `HubSpot: ${firstError.message}`.slice(0, 2000)
              : null,
          blocked_until: null,
        })
        .where('team_id', '=', teamId)
        .execute();
    });
    return result;
  }

  /** Deals out and HubSpot's stage moves in, for every connected team. */
  async function runDeals(): Promise<DealRoundResult> {
    const total: DealRoundResult = { written: 0, failed: 0, pulled: 0 };
    for (const team of await deals.teamsDue()) {
      try {
        const r = await deals.runTeam(team);
        total.written += r.written;
        total.failed += r.failed;
        total.pulled += r.pulled;
      } catch (error) {
        deps.log.warn({ team, err: (error as Error).message }, 'crm: a deal round failed; its deals wait');
      }
    }
    return total;
  }

  /**
   * One round over every connected team: the contacts of the activities due, then deals (associated with
   * those contacts), then the activities (associated with the deals).
   */
  async function runOnce(): Promise<RoundResult> {
    const teams = await db
      .selectFrom('crm_outbox')
      .select('team_id')
      .distinct()
      .where('state', '=', 'pending')
      .where('next_at', '<=', deps.now())
      .execute();
    for (const { team_id } of teams) {
      try {
        await contactsFirst(team_id);
      } catch (error) {
        // The activity round looks them up itself (and meets the same trouble, recorded there).
        deps.log.warn({ team: team_id, err: (error as Error).message }, 'crm: contacts not resolved ahead');
      }
    }
    await runDeals();
    const total: RoundResult = { logged: 0, skipped: 0, failed: 0, waiting: 0 };
    for (const { team_id } of teams) {
      try {
        const r = await runTeam(team_id);
        total.logged += r.logged;
        total.skipped += r.skipped;
        total.failed += r.failed;
        total.waiting += r.waiting;
      } catch (error) {
        deps.log.warn(
          { team: team_id, err: (error as Error).message },
          'crm: a round failed; its activities wait',
        );
      }
    }
    return total;
  }

  let timer: NodeJS.Timeout | undefined;
  let running: Promise<unknown> | undefined;
  return {
    runTeam,
    runOnce,
    runDeals,
    deals,
    /** Runs a round every `intervalMs` until stopped. */
    start(intervalMs = 15_000) {
      const tick = () => {
        running = runOnce().finally(() => {
          running = undefined;
          if (timer) timer = setTimeout(tick, intervalMs);
        });
      };
      timer = setTimeout(tick, intervalMs);
      timer.unref();
    },
    async stop() {
      if (timer) clearTimeout(timer);
      timer = undefined;
      await running;
    },
  };
}
