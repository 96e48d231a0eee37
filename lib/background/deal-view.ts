/**
 * The deal card's view of a deal: its playbook, activity, flags (judged, and recorded on the owner's device),
 * next step and checklist.
 */
import type { ThreadlineDb } from '../db/database';
import { dealFlagId, type Deal, type DealFlag } from '../domain/deal';
import type { Playbook } from '../domain/playbook';
import {
  checklist,
  clockAt,
  defaultPlaybook,
  evaluate,
  healthOf,
  nextStep,
  plainFlag,
  stageOf,
  type DealActivity,
  type Flag,
  type NextStep,
} from '../process';
import type { DealView, NextStepView } from '../protocol/deals';
import type { DealsHandlerDeps } from './deal-deps';

let shipped: Playbook | undefined;
export async function playbookFor(db: ThreadlineDb, pipelineId: string): Promise<Playbook> {
  const saved = await db.playbooks.where('pipelineId').equals(pipelineId).first();
  return saved ?? (shipped ??= defaultPlaybook());
}

const ACTIVITY_OF_EVENT: Record<string, keyof DealActivity['last'] | undefined> = {
  sent: 'email',
  replied: 'reply',
  task_completed: 'task',
  meeting_booked: 'meeting',
};

/** The deal's activity, from its contacts' enrollments, their events and the open tasks. */
export async function activityOf(db: ThreadlineDb, deal: Deal): Promise<DealActivity> {
  const contactIds = deal.contacts.map((c) => c.contactId);
  const enrollments = contactIds.length
    ? await db.enrollments.where('contactId').anyOf(contactIds).toArray()
    : [];
  const ids = enrollments.map((e) => e.id);
  const events = ids.length ? await db.events.where('enrollmentId').anyOf(ids).toArray() : [];
  const last: DealActivity['last'] = {};
  for (const e of events) {
    const kind = ACTIVITY_OF_EVENT[e.type];
    if (kind && e.at > (last[kind] ?? -Infinity)) last[kind] = e.at;
  }
  const openTasks = await db.tasks
    .where('enrollmentId')
    .anyOf([...ids, dealTaskKey(deal.id)])
    .filter((t) => t.status === 'open')
    .count();
  return {
    last,
    activeSequences: enrollments.filter((e) => e.status === 'active' || e.status === 'paused').length,
    openTasks,
  };
}

/** Deal tasks live in the task queue under this enrollment key (no enrollment has it). */
export const dealTaskKey = (dealId: string) => `deal:${dealId}`;

/**
 * Evaluates the deal and writes its flag history: a rule that starts holding raises a DealFlag, one that
 * stops clears it. Returns the flags and the rules newly raised (for flag automations). Only the owner's
 * device writes flags (a manager's device reads teammates' deals, it does not judge them).
 */
export async function judge(deps: DealsHandlerDeps, deal: Deal, playbook: Playbook, repEmail: string) {
  const now = deps.now();
  const activity = await activityOf(deps.db, deal);
  const clock = clockAt(now, (await deps.runner.rep()).timeZone);
  const flags = evaluate(deal, activity, playbook, clock);
  const raised: Flag[] = [];
  if (deal.ownerId === repEmail) {
    const open = (await deps.db.dealFlags.where('dealId').equals(deal.id).toArray()).filter(
      (f) => !f.clearedAt,
    );
    const holding = new Map(flags.map((f) => [f.ruleId, f]));
    const writes: DealFlag[] = [];
    for (const f of open) if (!holding.has(f.ruleId)) writes.push({ ...f, clearedAt: now });
    for (const f of flags)
      if (!open.some((o) => o.ruleId === f.ruleId)) {
        raised.push(f);
        writes.push({
          id: dealFlagId(deal.id, f.ruleId, now),
          dealId: deal.id,
          ownerId: deal.ownerId,
          ruleId: f.ruleId,
          severity: f.severity,
          raisedAt: now,
          because: f.because,
        });
      }
    if (writes.length) await deps.db.dealFlags.bulkPut(writes);
  }
  return { flags, raised, activity, clock };
}

export function nextStepView(step: NextStep): NextStepView {
  const base = { kind: step.kind, label: step.label };
  switch (step.kind) {
    case 'fix':
    case 'action':
      return {
        ...base,
        actionType: step.action.type,
        ...(step.action.type === 'answer' && { factKey: step.action.factKey }),
        ...(step.kind === 'fix' && { ruleId: step.flag.ruleId }),
      };
    case 'criterion':
      return { ...base, ...(step.criterion.factKey && { factKey: step.criterion.factKey }) };
    case 'move':
      return { ...base, toStageId: step.toStageId };
    case 'none':
      return base;
  }
}

export async function doneInStage(db: ThreadlineDb, deal: Deal): Promise<Set<string>> {
  const rows = await db.dealEvents
    .where('[dealId+at]')
    .between([deal.id, deal.stageEnteredAt], [deal.id, Infinity])
    .toArray();
  return new Set(rows.flatMap((e) => (e.kind === 'next_step_done' ? [e.data.action] : [])));
}

/** The subject of the thread the deal was made from (none for a deal made on the board or synced in). */
export async function threadSubjectOf(db: ThreadlineDb, deal: Deal): Promise<string | undefined> {
  const created = await db.dealEvents.get(`${deal.id}:created`);
  return created?.kind === 'created' ? created.data.subject : undefined;
}

/** Everything the deal card shows, after judging the deal (which records its flag history). */
export async function viewOf(
  deps: DealsHandlerDeps,
  deal: Deal,
): Promise<{ view: DealView; raised: Flag[]; step: NextStep }> {
  const playbook = await playbookFor(deps.db, deal.pipelineId);
  const rep = await deps.runner.rep();
  const { flags, raised, activity, clock } = await judge(deps, deal, playbook, rep.email);
  const stage = stageOf(playbook, deal.stageId) ?? playbook.stages[0]!;
  const step = nextStep({ deal, playbook, flags, clock, activity, done: await doneInStage(deps.db, deal) });
  const contacts = await deps.db.contacts.bulkGet(deal.contacts.map((c) => c.contactId));
  const view: DealView = {
    deal,
    pipeline: {
      name: playbook.name,
      gate: playbook.gate,
      stages: playbook.stages.map((s) => ({ id: s.id, name: s.name, kind: s.kind })),
    },
    stage,
    facts: playbook.facts,
    health: healthOf(flags),
    flags: flags.map((f) => {
      const { remedy: _remedy, ...plain } = plainFlag(f);
      return plain;
    }),
    nextStep: nextStepView(step),
    checklist: checklist(stage, deal, playbook, clock, activity).map(({ criterion, met }) => ({
      id: criterion.id,
      label: criterion.label,
      met,
      ...(criterion.factKey && { factKey: criterion.factKey }),
    })),
    contacts: deal.contacts.flatMap((dc, i) => {
      const c = contacts[i];
      if (!c) return [];
      const name = [c.firstName, c.lastName].filter(Boolean).join(' ');
      return [{ contactId: c.id, email: c.email, ...(name && { name }), role: dc.role }];
    }),
  };
  return { view, raised, step };
}
