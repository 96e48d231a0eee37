/** The task queue's fix-it items: one per flagged open deal of the rep, judged again only when its inputs change. */
import type { ThreadlineDb } from '../db/database';
import type { Deal } from '../domain/deal';
import type { FixItView } from '../protocol/deals';
import type { DealsHandlerDeps } from './deal-deps';
import { dealTaskKey } from './deal-view';
import { freshView } from './deal-automations';

const HOUR_MS = 3_600_000;

/**
 * What a deal's fix-it item is computed from, as one string per deal, read for all the rep's open deals in a
 * few queries (no per-deal reads): the deal itself, its playbook, the rep and their time zone, its contacts'
 * enrollments (each write bumps an enrollment's version) and how many events each has, the open tasks of
 * those enrollments and of the deal, and the hour, so a flag that time alone raises or clears ("no activity
 * in 14 days") is seen within the hour.
 */
export async function fixItInputs(
  deps: DealsHandlerDeps,
  deals: readonly Deal[],
  rep: { email: string; timeZone?: string },
): Promise<Map<string, string>> {
  const contactIds = [...new Set(deals.flatMap((d) => d.contacts.map((c) => c.contactId)))];
  const [playbooks, enrollments, openTasks] = await Promise.all([
    deps.db.playbooks.toArray(),
    contactIds.length ? deps.db.enrollments.where('contactId').anyOf(contactIds).toArray() : [],
    deps.db.tasks.where('status').equals('open').toArray(),
  ]);
  const eventKeys = enrollments.length
    ? await deps.db.events
        .where('enrollmentId')
        .anyOf(enrollments.map((e) => e.id))
        .keys()
    : [];
  const eventsOf = new Map<string, number>();
  for (const k of eventKeys) eventsOf.set(String(k), (eventsOf.get(String(k)) ?? 0) + 1);
  const tasksOf = new Map<string, string[]>();
  for (const t of openTasks) tasksOf.set(t.enrollmentId, [...(tasksOf.get(t.enrollmentId) ?? []), t.id]);
  const enrollmentsOf = new Map<string, string[]>();
  for (const e of enrollments)
    enrollmentsOf.set(e.contactId, [
      ...(enrollmentsOf.get(e.contactId) ?? []),
      `${e.id}:${e.version}:${e.status}:${eventsOf.get(e.id) ?? 0}:${(tasksOf.get(e.id) ?? []).join(',')}`,
    ]);
  const playbookOf = new Map(playbooks.map((p) => [p.pipelineId, `${p.id}:${p.updatedAt}`]));
  const common = `${rep.email}|${rep.timeZone ?? ''}|${Math.floor(deps.now() / HOUR_MS)}`;
  return new Map(
    deals.map((deal) => [
      deal.id,
      JSON.stringify([
        common,
        playbookOf.get(deal.pipelineId) ?? 'shipped',
        deal,
        deal.contacts.map((c) => enrollmentsOf.get(c.contactId) ?? []),
        tasksOf.get(dealTaskKey(deal.id)) ?? [],
      ]),
    ]),
  );
}

/** Per database: each open deal's fix-it item (or none) and the inputs it was computed from. */
export const fixItCaches = new WeakMap<ThreadlineDb, Map<string, { inputs: string; item?: FixItView }>>();

/** The deal's fix-it item now, judging it (which records its flag history); none when nothing flags it. */
export async function fixItOf(deps: DealsHandlerDeps, deal: Deal): Promise<FixItView | undefined> {
  deps.judged?.(deal.id);
  const view = await freshView(deps, deal);
  const worst = view.flags[0];
  if (!worst) return undefined;
  const open = (await deps.db.dealFlags.where('dealId').equals(deal.id).toArray()).filter(
    (f) => !f.clearedAt,
  );
  return {
    dealId: deal.id,
    dealName: deal.name,
    severity: worst.severity,
    message: worst.message,
    because: worst.because,
    nextStep: view.nextStep.label,
    raisedAt: Math.min(...open.map((f) => f.raisedAt), deps.now()),
  };
}
