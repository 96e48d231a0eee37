/** What a rep does to a deal from its card: a move (through its gate) and the next step. */
import type { ThreadlineDb } from '../db/database';
import { ValidationError } from '../domain/common';
import type { Deal, DealEvent } from '../domain/deal';
import type { RecommendedAction } from '../domain/playbook';
import { applyStageMove, checkStageMove, clockAt, DAY_MS } from '../process';
import type { RequestOf } from '../protocol/messages';
import { enrollContacts } from '../runner/enroll';
import { renderTemplate, tokenValues } from '../templates/render';
import type { DealsHandlerDeps } from './deal-deps';
import { activityOf, playbookFor, threadSubjectOf, viewOf } from './deal-view';
import { createTask, freshView, runAutomations } from './deal-automations';

export async function writeDeal(deps: DealsHandlerDeps, deal: Deal, events: DealEvent[]): Promise<void> {
  // The deal before its history, in one transaction: the backend refuses history of a deal it does not know.
  await deps.db.transaction('rw', [deps.db.deals, deps.db.dealEvents], async () => {
    await deps.db.deals.put(deal);
    if (events.length) await deps.db.dealEvents.bulkPut(events);
  });
}

export async function getDeal(db: ThreadlineDb, dealId: string): Promise<Deal> {
  const deal = await db.deals.get(dealId);
  if (!deal) throw new ValidationError(`no deal ${dealId}`);
  return deal;
}

export async function moveDeal(deps: DealsHandlerDeps, req: RequestOf<'deal.move'>) {
  const deal = await getDeal(deps.db, req.dealId);
  const playbook = await playbookFor(deps.db, deal.pipelineId);
  const rep = await deps.runner.rep();
  const role = await deps.role();
  const verdict = checkStageMove({
    deal,
    playbook,
    toStageId: req.toStageId,
    clock: clockAt(deps.now(), rep.timeZone),
    activity: await activityOf(deps.db, deal),
    ...(req.override && {
      override: { reason: req.override.reason, byManager: role === 'manager' || role === 'admin' },
    }),
  });
  if (!verdict.allowed)
    return {
      moved: false,
      message: verdict.message,
      unmet: verdict.unmet.map((c) => c.label),
      view: (await viewOf(deps, deal)).view,
    };
  const moved = applyStageMove(deal, verdict, playbook, deps.now(), rep.email);
  await writeDeal(deps, moved.deal, moved.events);
  if (moved.deal.status === 'open')
    await runAutomations(deps, moved.deal, { on: 'enter', stageId: moved.deal.stageId });
  return {
    moved: true,
    outcome: verdict.outcome,
    ...(verdict.outcome === 'skipped' && {
      message: `Moved with unmet criteria: ${verdict.unmet.map((c) => c.label).join('; ')}`,
    }),
    unmet: verdict.unmet.map((c) => c.label),
    view: await freshView(deps, moved.deal),
  };
}

/** Does the deal's next step; returns what was done (and the reply text for a meeting or recap). */
export async function runNextStep(deps: DealsHandlerDeps, dealId: string) {
  const deal = await getDeal(deps.db, dealId);
  const { step } = await viewOf(deps, deal);
  if (step.kind === 'move') {
    const r = await moveDeal(deps, { dealId, toStageId: step.toStageId });
    return { done: r.moved ? step.label : (r.message ?? 'not moved'), view: r.view };
  }
  if (step.kind === 'none' || step.kind === 'criterion')
    throw new ValidationError(
      step.kind === 'criterion' ? `answer "${step.label}" in the checklist` : 'nothing to do',
    );
  const action: RecommendedAction = step.action;
  const rep = await deps.runner.rep();
  const at = deps.now();
  let done = action.label;
  let reply: { body: string } | undefined;
  switch (action.type) {
    case 'answer':
      throw new ValidationError(`answer "${action.label}" in the checklist`);
    case 'enroll': {
      const holder = deal.contacts.find((c) => c.role === action.role);
      const contact = holder && (await deps.db.contacts.get(holder.contactId));
      if (!contact)
        throw new ValidationError(`no contact with the role ${action.role.replace('_', ' ')} on the deal`);
      const report = await enrollContacts(deps.runner, {
        sequenceId: action.sequenceId,
        contacts: [contact],
      });
      if (report.rejected.length)
        throw new ValidationError(`${contact.email}: ${report.rejected[0]!.message}`);
      await deps.tick();
      done = `${contact.email} enrolled`;
      break;
    }
    case 'task':
      await createTask(deps, deal, {
        id: action.id,
        taskType: action.taskType,
        title: action.title,
        dueAt: at + action.dueInDays * DAY_MS,
        priority: step.kind === 'fix' ? 'high' : 'medium',
      });
      done = `${action.taskType === 'call' ? 'Call' : 'To-do'} "${action.title}" added to the queue`;
      break;
    case 'meeting':
    case 'recap': {
      const first = deal.contacts[0] && (await deps.db.contacts.get(deal.contacts[0].contactId));
      const values = first
        ? tokenValues(first, rep)
        : { 'rep.name': rep.name, 'rep.email': rep.email, 'rep.signature': rep.signature };
      const subject = await threadSubjectOf(deps.db, deal);
      reply = { body: renderTemplate(action.body, values).text, ...(subject && { threadSubject: subject }) };
      done = action.label;
      break;
    }
  }
  const event: DealEvent = {
    id: `${deal.id}:next:${action.id}:${at}`,
    dealId: deal.id,
    at,
    by: rep.email,
    kind: 'next_step_done',
    data: { action: action.id, detail: done },
  };
  const touched = { ...deal, updatedAt: at };
  await writeDeal(deps, touched, [event]);
  return { done, ...(reply && { reply }), view: await freshView(deps, touched) };
}
