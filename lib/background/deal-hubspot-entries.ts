import type { ThreadlineDb } from '../db/database';
import type { Deal, DealEvent } from '../domain/deal';
import { DAY_MS } from '../process/clock';
import { entryIds, ranFor, runAutomations } from './deal-automations';
import type { DealsHandlerDeps } from './deal-deps';
import { playbookFor } from './deal-view';

/** The key of a stage entry, the same on every device that sees it. */
export const stageEntryKey = (deal: Pick<Deal, 'stageId' | 'stageEnteredAt'>) =>
  `enter:${deal.stageId}:${deal.stageEnteredAt}`;

/**
 * The meta row (this device's own, never synced) of the HubSpot stage entries this device has dealt with: the
 * rep it was for, and by deal the key of the entry last dealt with. A deal's entry is dealt with once, whatever
 * it did (ran, found nothing to run, recorded as late), so an automation enabled afterwards never runs for it.
 */
export const HUBSPOT_ENTRIES_KEY = 'deals.hubspotEntries';

/**
 * A HubSpot move this device first sees later than this after it was made (the time of HubSpot's stage
 * history entry) is recorded on the deal's history, not run: a device that was off for days does not enroll
 * contacts or make tasks for a move everybody has long since acted on. Sync runs every minute, so a move
 * normally reaches an online device of the rep within minutes.
 */
export const ENTRY_FRESH_MS = DAY_MS;

interface Seen {
  rep: string;
  deals: Record<string, string>;
}

/** The stored row for `rep`, or undefined when there is none (first run), it is another rep's, or damaged. */
export function parseSeen(value: unknown, rep: string): Seen | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const v = value as { rep?: unknown; deals?: unknown };
  if (v.rep !== rep || typeof v.deals !== 'object' || v.deals === null) return undefined;
  const deals = Object.fromEntries(
    Object.entries(v.deals).filter((e): e is [string, string] => typeof e[1] === 'string'),
  );
  return { rep, deals };
}

/**
 * What to do with a deal's current HubSpot stage entry (pure): nothing when it was dealt with already; on the
 * first run for this rep on this device, only remember it (`baseline`: the device cannot tell a move made a
 * minute ago from one made before HubSpot moves ran automations at all, and the rep's devices that were
 * running then ran the recent ones); `late` when it is first seen more than ENTRY_FRESH_MS after it was made;
 * else `run`. A clock that puts the move in the future counts as fresh.
 */
export function entryVerdict(
  seen: Seen | undefined,
  deal: Pick<Deal, 'id' | 'stageId' | 'stageEnteredAt'>,
  now: number,
): 'done' | 'baseline' | 'late' | 'run' {
  if (!seen) return 'baseline';
  if (seen.deals[deal.id] === stageEntryKey(deal)) return 'done';
  return now - deal.stageEnteredAt > ENTRY_FRESH_MS ? 'late' : 'run';
}

/** The id of the history row saying an automation was not run for a late entry (the same on every device). */
export const lateEventId = (dealId: string, automationId: string, entry: string) =>
  `${entryIds(dealId, automationId, entry).event}:late`;

const ago = (ms: number) => {
  const hours = Math.floor(ms / 3_600_000);
  return hours < 48 ? `${hours} hours` : `${Math.floor(hours / 24)} days`;
};

/**
 * The history rows of a late entry: one per enabled "enter" automation of the stage that has not run for it
 * anywhere (no result here, pulled or made) and has no such row yet, with outcome `refused` and why.
 */
async function lateRows(deps: DealsHandlerDeps, deal: Deal, entry: string): Promise<DealEvent[]> {
  const stage = (await playbookFor(deps.db, deal.pipelineId)).stages.find((s) => s.id === deal.stageId);
  const at = deps.now();
  const rows: DealEvent[] = [];
  for (const a of stage?.automations ?? []) {
    if (!a.enabled || a.trigger.on !== 'enter') continue;
    const id = lateEventId(deal.id, a.id, entry);
    if ((await ranFor(deps.db, entryIds(deal.id, a.id, entry))) || (await deps.db.dealEvents.get(id)))
      continue;
    rows.push({
      id,
      dealId: deal.id,
      at: at + rows.length,
      by: 'automation',
      kind: 'automation_ran',
      data: {
        automationId: a.id,
        trigger: 'enter',
        outcome: 'refused',
        detail:
          `${a.label}: not run, the move in HubSpot reached this computer ${ago(at - deal.stageEnteredAt)} ` +
          `after it was made (automations run for HubSpot moves less than a day old)`,
      },
    });
  }
  return rows;
}

/** Whether the stage has an enabled "enter" automation with nothing made for this entry on this device yet. */
async function anyLeft(deps: DealsHandlerDeps, deal: Deal, entry: string): Promise<boolean> {
  const stage = (await playbookFor(deps.db, deal.pipelineId)).stages.find((s) => s.id === deal.stageId);
  for (const a of stage?.automations ?? [])
    if (a.enabled && a.trigger.on === 'enter' && !(await ranFor(deps.db, entryIds(deal.id, a.id, entry))))
      return true;
  return false;
}

/**
 * The remembered entries worth keeping: those of the deals just looked at, and of other deals (closed,
 * handed to a teammate) still in that same stage entry, so a reopened deal is not taken for a new entry.
 * A deal that left the stage entry can never be back in it (a new entry has a new time), so it is dropped.
 */
async function kept(db: ThreadlineDb, before: Seen | undefined, now: Record<string, string>) {
  const others = Object.entries(before?.deals ?? {}).filter(([id]) => !(id in now));
  const deals = await db.deals.bulkGet(others.map(([id]) => id));
  const still = others.filter(([, key], i) => deals[i] && stageEntryKey(deals[i]) === key);
  return { ...Object.fromEntries(still), ...now };
}

async function runOnce(deps: DealsHandlerDeps): Promise<number> {
  const rep = await deps.runner.rep();
  const stored = (await deps.db.meta.get(HUBSPOT_ENTRIES_KEY))?.value;
  const seen = parseSeen(stored, rep.email);
  const open = await deps.db.deals
    .where('ownerId')
    .equals(rep.email)
    .filter((d) => d.status === 'open')
    .toArray();
  const current: Record<string, string> = {};
  let ran = 0;
  let wrote = false;
  for (const deal of open) {
    // The deal's current stage entry, when HubSpot made it.
    const entry = await deps.db.dealEvents
      .where('[dealId+at]')
      .equals([deal.id, deal.stageEnteredAt])
      .filter((e) => e.kind === 'stage_changed' && e.by === 'hubspot' && e.data.toStageId === deal.stageId)
      .first();
    if (!entry) continue;
    const key = stageEntryKey(deal);
    current[deal.id] = key;
    const verdict = entryVerdict(seen, deal, deps.now());
    if (verdict === 'late') {
      const rows = await lateRows(deps, deal, key);
      if (rows.length) await deps.db.dealEvents.bulkPut(rows);
      wrote ||= rows.length > 0;
    } else if (verdict === 'run' && (await anyLeft(deps, deal, key))) {
      // The world runAutomations reads is loaded only when something is left to run for this entry.
      if ((await runAutomations(deps, deal, { on: 'enter', stageId: deal.stageId }, key)) > 0) ran += 1;
    }
  }
  const next: Seen = { rep: rep.email, deals: await kept(deps.db, seen, current) };
  if (JSON.stringify(next) !== JSON.stringify(stored))
    await deps.db.meta.put({ key: HUBSPOT_ENTRIES_KEY, value: next });
  if (ran || wrote) deps.queueChanged();
  return ran;
}

/** Per database (one per device; tests run several in one process): the run going on, and the one queued. */
const inFlight = new WeakMap<ThreadlineDb, { running: Promise<number>; again?: Promise<number> }>();

/**
 * Stage moves made in HubSpot reach this device by sync (server/crm/deals-pull.ts writes them with a
 * `stage_changed` history row by "hubspot"); this runs the entered stage's "enter" automations for them, as a
 * move made on this device does (runAutomations, the same path). Each stage entry is dealt with once per
 * device (HUBSPOT_ENTRIES_KEY), entries already there on the first run are only remembered, and an entry first
 * seen more than a day after the move is recorded as not run (entryVerdict). Only the deal owner's devices run
 * them, with ids derived from the stage entry, so the rep's two computers pulling the same move make the same
 * rows, kept once by the backend, and a device that already has them (pulled) makes nothing.
 *
 * Run after each sync (not awaited there); calls never overlap on one device: a call made during a run waits
 * for it and runs once more after it, however many calls came in meanwhile. Returns how many deals had an
 * automation run (views are told only then, or when a late entry was recorded).
 */
export function runHubSpotStageEntries(deps: DealsHandlerDeps): Promise<number> {
  const now = inFlight.get(deps.db);
  if (now) return (now.again ??= now.running.catch(() => 0).then(() => runHubSpotStageEntries(deps)));
  const running = runOnce(deps).finally(() => inFlight.delete(deps.db));
  inFlight.set(deps.db, { running });
  return running;
}
