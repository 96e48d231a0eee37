/** A stage's automations run for a deal (a move, a flag, a stage entry pulled from HubSpot) and recorded. */
import type { ThreadlineDb } from '../db/database';
import { ValidationError } from '../domain/common';
import type { Contact } from '../domain/contact';
import type { Deal, DealEvent } from '../domain/deal';
import type { Task } from '../domain/task';
import {
  automationEvent,
  AUTOMATIONS_OFF_KEY,
  parseAutomationsOff,
  planAutomations,
  type AutomationTriggerEvent,
} from '../process';
import type { DealView } from '../protocol/deals';
import { enrollContacts } from '../runner/enroll';
import type { DealsHandlerDeps } from './deal-deps';
import { dealTaskKey, playbookFor, viewOf } from './deal-view';

export async function createTask(
  deps: DealsHandlerDeps,
  deal: Deal,
  spec: { id: string; taskType: 'call' | 'todo'; title: string; dueAt: number; priority: Task['priority'] },
  taskId?: string,
): Promise<Task> {
  const contactId = deal.contacts[0]?.contactId;
  if (!contactId) throw new ValidationError('add a contact to the deal first: a task is for someone');
  const at = deps.now();
  const task: Task = {
    id: taskId ?? `${dealTaskKey(deal.id)}:${spec.id}:${at}`,
    enrollmentId: dealTaskKey(deal.id),
    sequenceId: dealTaskKey(deal.id),
    contactId,
    stepId: spec.id,
    stepIndex: 0,
    type: spec.taskType,
    title: spec.title,
    notes: deal.name,
    priority: spec.priority,
    createdAt: at,
    dueAt: spec.dueAt,
    blocking: false,
    status: 'open',
  };
  await deps.db.tasks.put(task);
  deps.queueChanged();
  return task;
}

export async function turnedOff(db: ThreadlineDb): Promise<Set<string>> {
  return new Set(parseAutomationsOff((await db.meta.get(AUTOMATIONS_OFF_KEY))?.value));
}

/**
 * The ids of what one automation makes for one stage entry (`entry`: deal-hubspot-entries.ts's key), the same
 * on every device: two devices running it for the same entry make the same rows, which the backend keeps once
 * (a history row, a task and an enrollment are each idempotent by id there).
 */
export const entryIds = (dealId: string, automationId: string, entry: string) => ({
  event: `${dealId}:auto:${automationId}:${entry}`,
  task: `${dealTaskKey(dealId)}:${automationId}:${entry}`,
  enrollment: `${dealId}:auto:${automationId}:${entry}:enrollment`,
});

/** This device already has what the automation made for that entry (made here, or pulled from another). */
export async function ranFor(db: ThreadlineDb, ids: ReturnType<typeof entryIds>): Promise<boolean> {
  const [event, task, enrollment] = await Promise.all([
    db.dealEvents.get(ids.event),
    db.tasks.get(ids.task),
    db.enrollments.get(ids.enrollment),
  ]);
  return Boolean(event ?? task ?? enrollment);
}

/**
 * Runs a stage's automations for an event and records each run on the deal's history. Enrollments go
 * through the engine's enroll path, which applies its guards once more (a refusal there is recorded too).
 * With `entry` (a stage entry every device sees the same, such as a HubSpot move pulled by sync), what each
 * automation makes has ids derived from it, and an automation this device already has the result of is
 * skipped: once per stage entry, however many devices run it. Returns how many automations ran (each one is a
 * new row on the deal's history: enrolled, made a task, queued a fix-it, refused or turned off); 0 when the
 * deal is not the rep's or every automation was skipped.
 */
export async function runAutomations(
  deps: DealsHandlerDeps,
  deal: Deal,
  trigger: AutomationTriggerEvent,
  entry?: string,
): Promise<number> {
  const playbook = await playbookFor(deps.db, deal.pipelineId);
  const rep = await deps.runner.rep();
  if (deal.ownerId !== rep.email) return 0;
  const contactIds = deal.contacts.map((c) => c.contactId);
  const contacts = (await deps.db.contacts.bulkGet(contactIds)).filter((c): c is Contact => c !== undefined);
  const enrollments = contactIds.length
    ? await deps.db.enrollments.where('contactId').anyOf(contactIds).toArray()
    : [];
  const live = new Map<string, { sequenceId: string; status: (typeof enrollments)[number]['status'] }[]>();
  for (const e of enrollments) live.set(e.contactId, [...(live.get(e.contactId) ?? []), e]);
  const suppressed = new Set(
    (await deps.db.suppressions.bulkGet(contacts.map((c) => c.email))).flatMap((s) => (s ? [s.email] : [])),
  );
  const world = {
    rep,
    contacts: new Map(contacts.map((c) => [c.id, c])),
    sequences: new Map((await deps.db.sequences.toArray()).map((s) => [s.id, s])),
    liveEnrollments: live,
    suppressed,
    turnedOff: await turnedOff(deps.db),
  };
  const at = deps.now();
  const events: DealEvent[] = [];
  for (const step of planAutomations(deal, playbook, trigger, world, at)) {
    const once = entry === undefined ? undefined : entryIds(deal.id, step.automation.id, entry);
    if (once && (await ranFor(deps.db, once))) continue;
    let recorded = step;
    let taskId: string | undefined;
    if (step.outcome === 'enrolled') {
      const contact = world.contacts.get(step.contactId)!;
      // The engine's enroll path, unchanged; only the new enrollment's id is the entry's.
      const runner = once ? { ...deps.runner, newId: () => once.enrollment } : deps.runner;
      const report = await enrollContacts(runner, { sequenceId: step.sequenceId, contacts: [contact] });
      if (report.rejected.length)
        recorded = {
          automation: step.automation,
          outcome: 'refused',
          detail: `${contact.email}: ${report.rejected[0]!.message}`,
        };
      else await deps.tick();
    } else if (step.outcome === 'task_created') {
      taskId = (
        await createTask(
          deps,
          deal,
          {
            id: step.automation.id,
            taskType: step.taskType,
            title: step.title,
            dueAt: step.dueAt,
            priority: 'medium',
          },
          once?.task,
        )
      ).id;
    } else if (step.outcome === 'fix_it_queued') deps.queueChanged();
    const event = automationEvent(deal, recorded, trigger, at + events.length, taskId);
    events.push(once ? { ...event, id: once.event } : event);
  }
  if (events.length) await deps.db.dealEvents.bulkPut(events);
  return events.length;
}

/** Judges a deal, runs the flag automations of the rules it newly raised, and gives the card's view. */
export async function freshView(deps: DealsHandlerDeps, deal: Deal): Promise<DealView> {
  const first = await viewOf(deps, deal);
  if (!first.raised.length) return first.view;
  for (const f of first.raised) await runAutomations(deps, deal, { on: 'flag', ruleId: f.ruleId });
  deps.queueChanged();
  return (await viewOf(deps, deal)).view;
}
