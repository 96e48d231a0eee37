import type { ThreadlineDb } from '../db/database';
import type { Deal } from '../domain/deal';
import type { Event } from '../domain/event';
import { PlaybookSchema, type Playbook } from '../domain/playbook';
import { describeZodError } from '../domain/common';
import { clockAt, type Clock } from '../process/clock';
import type { DealActivity } from '../process/conditions';
import { defaultPlaybook } from '../process/default-playbook';
import { evaluate } from '../process/evaluate';
import { applyStageMove, checkStageMove } from '../process/stage-move';
import type {
  BoardDeal,
  DealsBoardView,
  DealsPort,
  MoveResult,
  PlaybooksPort,
  PlaybooksView,
} from './interfaces/deals';

export interface DealsPortDeps {
  db: ThreadlineDb;
  now?: () => number;
  zone: string;
  /** The backend role of the signed-in user; undefined without a backend (a rep alone on this device). */
  role: () => Promise<'rep' | 'manager' | 'admin' | undefined>;
  /**
   * The background's `deal.move` (lib/background/deals.ts): the same gate, and the stage's entry automations
   * run. Without it (tests, a page alone) the move is checked and written here. The background lets only a
   * manager or an admin of a team override, so the board offers the override to them only.
   */
  move?: (req: {
    dealId: string;
    toStageId: string;
    override?: { reason: string };
  }) => Promise<{ moved: boolean; outcome?: MoveOutcome; message?: string; unmet: string[] }>;
}

type MoveOutcome = Extract<MoveResult, { ok: true }>['outcome'];

const ACTIVITY_OF: Partial<Record<Event['type'], keyof DealActivity['last']>> = {
  sent: 'email',
  replied: 'reply',
  task_completed: 'task',
  meeting_booked: 'meeting',
};

/** What the rules read about each deal's contacts: last activity by kind, live enrollments, open tasks. */
export async function activitiesOf(
  db: ThreadlineDb,
  deals: readonly Deal[],
): Promise<Map<string, DealActivity>> {
  const contactIds = [...new Set(deals.flatMap((d) => d.contacts.map((c) => c.contactId)))];
  const last = new Map<string, Partial<Record<keyof DealActivity['last'], number>>>();
  const live = new Map<string, number>();
  const open = new Map<string, number>();
  if (contactIds.length) {
    const [enrollments, tasks] = await Promise.all([
      db.enrollments.where('contactId').anyOf(contactIds).toArray(),
      db.tasks.where('status').equals('open').toArray(),
    ]);
    // Events are indexed by enrollment: the deal's contacts' activity is that of their enrollments.
    const contactOf = new Map(enrollments.map((e) => [e.id, e.contactId]));
    const events = await db.events
      .where('enrollmentId')
      .anyOf([...contactOf.keys()])
      .toArray();
    for (const e of events) {
      const kind = ACTIVITY_OF[e.type];
      const contactId = e.contactId ?? (e.enrollmentId ? contactOf.get(e.enrollmentId) : undefined);
      if (!kind || !contactId) continue;
      const seen = last.get(contactId) ?? {};
      seen[kind] = Math.max(seen[kind] ?? 0, e.at);
      last.set(contactId, seen);
    }
    for (const e of enrollments)
      if (e.status === 'active' || e.status === 'paused')
        live.set(e.contactId, (live.get(e.contactId) ?? 0) + 1);
    for (const t of tasks) open.set(t.contactId, (open.get(t.contactId) ?? 0) + 1);
  }
  const out = new Map<string, DealActivity>();
  for (const deal of deals) {
    const activity: DealActivity = { last: {}, activeSequences: 0, openTasks: 0 };
    for (const { contactId } of deal.contacts) {
      for (const [kind, at] of Object.entries(last.get(contactId) ?? {}) as [
        keyof DealActivity['last'],
        number,
      ][])
        activity.last[kind] = Math.max(activity.last[kind] ?? 0, at);
      activity.activeSequences += live.get(contactId) ?? 0;
      activity.openTasks += open.get(contactId) ?? 0;
    }
    out.set(deal.id, activity);
  }
  return out;
}

/** The team's playbooks held on this device, with the shipped default for a pipeline nobody has saved yet. */
export async function playbooksOn(db: ThreadlineDb): Promise<Playbook[]> {
  const stored = await db.playbooks.toArray();
  const fallback = defaultPlaybook();
  return stored.some((p) => p.pipelineId === fallback.pipelineId) ? stored : [fallback, ...stored];
}

async function repOf(db: ThreadlineDb): Promise<string> {
  const rep = (await db.meta.get('rep'))?.value as { email?: string } | undefined;
  return rep?.email ?? '';
}

/** The flags of each deal now (lib/process evaluate), for the board's cards and the rules' preview. */
export function flagsOf(
  deals: readonly Deal[],
  playbooks: readonly Playbook[],
  activities: Map<string, DealActivity>,
  clock: Clock,
): BoardDeal[] {
  const byPipeline = new Map(playbooks.map((p) => [p.pipelineId, p]));
  return deals.map((deal) => {
    const playbook = byPipeline.get(deal.pipelineId);
    const activity = activities.get(deal.id) ?? { last: {}, activeSequences: 0, openTasks: 0 };
    return { deal, flags: playbook ? evaluate(deal, activity, playbook, clock) : [] };
  });
}

export function createDealsPort({
  db,
  now = Date.now,
  zone,
  role,
  move: viaBackground,
}: DealsPortDeps): DealsPort {
  const overrides = async () => {
    const r = await role().catch(() => undefined);
    return r === 'manager' || r === 'admin' || (r === undefined && !viaBackground);
  };
  return {
    async load(): Promise<DealsBoardView> {
      const [me, playbooks, deals, canOverride] = await Promise.all([
        repOf(db),
        playbooksOn(db),
        db.deals.toArray(),
        overrides(),
      ]);
      const activities = await activitiesOf(db, deals);
      return {
        me,
        canOverride,
        playbooks,
        deals: flagsOf(deals, playbooks, activities, clockAt(now(), zone)),
      };
    },

    async move(dealId, toStageId, override): Promise<MoveResult> {
      if (viaBackground) {
        const r = await viaBackground({ dealId, toStageId, ...(override ? { override } : {}) });
        if (!r.moved)
          return {
            ok: false,
            message: r.message ?? 'Not moved',
            unmet: r.unmet,
            canOverride: (await overrides()) && r.unmet.length > 0,
          };
        const target =
          (await playbooksOn(db)).flatMap((p) => p.stages).find((s) => s.id === toStageId)?.name ?? toStageId;
        return {
          ok: true,
          outcome: r.outcome ?? 'clean',
          message:
            r.outcome === 'skipped'
              ? `Moved to ${target}; skipped: ${r.unmet.join('; ')}`
              : r.outcome === 'override'
                ? `Moved to ${target} by override: ${override?.reason ?? ''}`
                : `Moved to ${target}`,
        };
      }
      const deal = await db.deals.get(dealId);
      if (!deal)
        return { ok: false, message: `No deal ${dealId} on this device`, unmet: [], canOverride: false };
      const playbook = (await playbooksOn(db)).find((p) => p.pipelineId === deal.pipelineId);
      if (!playbook)
        return {
          ok: false,
          message: `No playbook for pipeline ${deal.pipelineId}`,
          unmet: [],
          canOverride: false,
        };
      const byManager = await overrides();
      const at = now();
      const activity = (await activitiesOf(db, [deal])).get(deal.id);
      const verdict = checkStageMove({
        deal,
        playbook,
        toStageId,
        clock: clockAt(at, zone),
        ...(activity ? { activity } : {}),
        ...(override ? { override: { reason: override.reason, byManager } } : {}),
      });
      if (!verdict.allowed)
        return {
          ok: false,
          message: verdict.message,
          unmet: verdict.unmet.map((c) => c.label),
          canOverride: byManager && verdict.why !== 'unknown_stage' && verdict.why !== 'same_stage',
        };
      const by = (await repOf(db)) || 'me';
      const { deal: moved, events } = applyStageMove(deal, verdict, playbook, at, by);
      // The deal first, then its history: the backend refuses history of a deal it does not know yet.
      await db.transaction('rw', [db.deals, db.dealEvents], async () => {
        await db.deals.put(moved);
        await db.dealEvents.bulkAdd(events);
      });
      const target = playbook.stages.find((s) => s.id === toStageId)?.name ?? toStageId;
      const message =
        verdict.outcome === 'skipped'
          ? `Moved to ${target}; skipped: ${verdict.unmet.map((c) => c.label).join('; ')}`
          : verdict.outcome === 'override'
            ? `Moved to ${target} by override: ${verdict.reason ?? ''}`
            : `Moved to ${target}`;
      return { ok: true, outcome: verdict.outcome, message };
    },
  };
}

/**
 * The port with its first load already under way (the options page opens on the board: the deals and their
 * flags load while the board's code does); that first load is handed to the first caller, later ones load anew.
 */
export function withFirstLoadStarted(port: DealsPort): DealsPort {
  let first: Promise<DealsBoardView> | undefined = port.load();
  // Its failure is the board's to show, when it asks; not an unhandled rejection before then.
  first.catch(() => undefined);
  return {
    ...port,
    load: () => {
      const load = first ?? port.load();
      first = undefined;
      return load;
    },
    move: (dealId, toStageId, override) => port.move(dealId, toStageId, override),
  };
}

export function createPlaybooksPort({ db, role }: Pick<DealsPortDeps, 'db' | 'role'>): PlaybooksPort {
  return {
    async load(): Promise<PlaybooksView> {
      const [playbooks, me, r] = await Promise.all([
        playbooksOn(db),
        repOf(db),
        role().catch(() => undefined),
      ]);
      const deals = (await db.deals.toArray()).filter(
        (d) => d.status === 'open' && (!me || d.ownerId === me),
      );
      const activities = await activitiesOf(db, deals);
      return { playbooks, deals, activities, canEdit: r === undefined || r === 'manager' || r === 'admin' };
    },
    async save(playbook) {
      const r = await role().catch(() => undefined);
      if (r === 'rep') throw new Error('Only a manager or an admin can change the team’s playbooks');
      const parsed = PlaybookSchema.safeParse(playbook);
      if (!parsed.success) throw new Error(describeZodError(parsed.error, 'playbook'));
      await db.playbooks.put(parsed.data);
    },
  };
}
