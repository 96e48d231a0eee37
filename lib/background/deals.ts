import type { Role } from '../contract/auth';
import type { ThreadlineDb } from '../db/database';
import { ValidationError } from '../domain/common';
import { companyDomainOf, type Contact } from '../domain/contact';
import { dealFlagId, type Deal, type DealEvent, type DealFlag, type DealRole } from '../domain/deal';
import type { Playbook, RecommendedAction } from '../domain/playbook';
import type { Task } from '../domain/task';
import {
  answerFact,
  applyStageMove,
  automationEvent,
  AUTOMATIONS_OFF_KEY,
  checklist,
  checkStageMove,
  clockAt,
  DAY_MS,
  defaultPlaybook,
  DEFAULT_PIPELINE_ID,
  evaluate,
  healthOf,
  nextStep,
  parseAutomationsOff,
  planAutomations,
  plainFlag,
  SEVERITY_RANK,
  stageOf,
  type AutomationTriggerEvent,
  type DealActivity,
  type Flag,
  type NextStep,
} from '../process';
import type { Handlers } from '../protocol/endpoints';
import type { DealView, FixItView, NextStepView } from '../protocol/deals';
import type { RequestOf } from '../protocol/messages';
import type { RunnerDeps } from '../runner/deps';
import { enrollContacts } from '../runner/enroll';
import { renderTemplate, tokenValues } from '../templates/render';

/** What the deals handlers need from the worker (a narrow slice, so tests pass fakes). */
export interface DealsHandlerDeps {
  db: ThreadlineDb;
  /** The engine's own enroll path (lib/runner/enroll.ts): automations and the Next step enroll through it. */
  runner: RunnerDeps;
  now(): number;
  /** The signed-in user's team role (a manager may override a require gate); undefined without a backend. */
  role(): Promise<Role | undefined>;
  /** Sequence tasks and fix-its changed: views reload, the badge recounts. */
  queueChanged(): void;
  /** Run the engine now (an enrollment was made). */
  tick(): Promise<unknown>;
  /** Told each time the fix-it list judges a deal anew (its inputs changed); for tests. */
  judged?(dealId: string): void;
}

// The shipped playbook stays in memory until a manager saves one (a rep's device may not write playbooks).
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
async function judge(deps: DealsHandlerDeps, deal: Deal, playbook: Playbook, repEmail: string) {
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

function nextStepView(step: NextStep): NextStepView {
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

async function doneInStage(db: ThreadlineDb, deal: Deal): Promise<Set<string>> {
  const rows = await db.dealEvents
    .where('[dealId+at]')
    .between([deal.id, deal.stageEnteredAt], [deal.id, Infinity])
    .toArray();
  return new Set(rows.flatMap((e) => (e.kind === 'next_step_done' ? [e.data.action] : [])));
}

/** The subject of the thread the deal was made from (none for a deal made on the board or synced in). */
async function threadSubjectOf(db: ThreadlineDb, deal: Deal): Promise<string | undefined> {
  const created = await db.dealEvents.get(`${deal.id}:created`);
  return created?.kind === 'created' ? created.data.subject : undefined;
}

/** Everything the deal card shows, after judging the deal (which records its flag history). */
async function viewOf(
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

type ThreadRef = RequestOf<'deal.forThread'>;
const domainOf = (email: string) => email.split('@')[1]?.toLowerCase() ?? '';

/** The thread's people outside the rep's own domain, and the company most of them are at. */
function outsiders(thread: ThreadRef, repEmail: string) {
  const mine = domainOf(repEmail);
  const people = thread.participants.filter((p) => p.email !== repEmail && domainOf(p.email) !== mine);
  const counts = new Map<string, number>();
  for (const p of people) {
    const d = companyDomainOf({ email: p.email });
    if (d) counts.set(d, (counts.get(d) ?? 0) + 1);
  }
  const companyDomain = [...counts].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))[0]?.[0];
  return { people, companyDomain };
}

/** An explicit link wins; else an open deal of the rep at the participants' company. */
export async function dealForThread(
  db: ThreadlineDb,
  thread: ThreadRef,
  repEmail: string,
): Promise<Deal | undefined> {
  const linked = await db.deals.where('threadIds').equals(thread.threadId).first();
  if (linked) return linked;
  const { companyDomain } = outsiders(thread, repEmail);
  if (!companyDomain) return undefined;
  const atCompany = await db.deals.where('companyDomain').equals(companyDomain).toArray();
  return atCompany
    .filter((d) => d.status === 'open')
    .sort(
      (a, b) => Number(b.ownerId === repEmail) - Number(a.ownerId === repEmail) || b.updatedAt - a.updatedAt,
    )[0];
}

const nameOfDomain = (domain: string) => {
  const label = domain.split('.')[0] ?? domain;
  return label.charAt(0).toUpperCase() + label.slice(1);
};

async function writeDeal(deps: DealsHandlerDeps, deal: Deal, events: DealEvent[]): Promise<void> {
  // The deal before its history, in one transaction: the backend refuses history of a deal it does not know.
  await deps.db.transaction('rw', [deps.db.deals, deps.db.dealEvents], async () => {
    await deps.db.deals.put(deal);
    if (events.length) await deps.db.dealEvents.bulkPut(events);
  });
}

async function createTask(
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

async function turnedOff(db: ThreadlineDb): Promise<Set<string>> {
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
async function ranFor(db: ThreadlineDb, ids: ReturnType<typeof entryIds>): Promise<boolean> {
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
 * skipped: once per stage entry, however many devices run it.
 */
export async function runAutomations(
  deps: DealsHandlerDeps,
  deal: Deal,
  trigger: AutomationTriggerEvent,
  entry?: string,
): Promise<void> {
  const playbook = await playbookFor(deps.db, deal.pipelineId);
  const rep = await deps.runner.rep();
  if (deal.ownerId !== rep.email) return;
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
}

/** Judges a deal, runs the flag automations of the rules it newly raised, and gives the card's view. */
async function freshView(deps: DealsHandlerDeps, deal: Deal): Promise<DealView> {
  const first = await viewOf(deps, deal);
  if (!first.raised.length) return first.view;
  for (const f of first.raised) await runAutomations(deps, deal, { on: 'flag', ruleId: f.ruleId });
  deps.queueChanged();
  return (await viewOf(deps, deal)).view;
}

async function getDeal(db: ThreadlineDb, dealId: string): Promise<Deal> {
  const deal = await db.deals.get(dealId);
  if (!deal) throw new ValidationError(`no deal ${dealId}`);
  return deal;
}

async function moveDeal(deps: DealsHandlerDeps, req: RequestOf<'deal.move'>) {
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
async function runNextStep(deps: DealsHandlerDeps, dealId: string) {
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

const HOUR_MS = 3_600_000;

/**
 * What a deal's fix-it item is computed from, as one string per deal, read for all the rep's open deals in a
 * few queries (no per-deal reads): the deal itself, its playbook, the rep and their time zone, its contacts'
 * enrollments (each write bumps an enrollment's version) and how many events each has, the open tasks of
 * those enrollments and of the deal, and the hour, so a flag that time alone raises or clears ("no activity
 * in 14 days") is seen within the hour.
 */
async function fixItInputs(
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
const fixItCaches = new WeakMap<ThreadlineDb, Map<string, { inputs: string; item?: FixItView }>>();

/** The deal's fix-it item now, judging it (which records its flag history); none when nothing flags it. */
async function fixItOf(deps: DealsHandlerDeps, deal: Deal): Promise<FixItView | undefined> {
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

type DealMessage =
  | 'deal.forThread'
  | 'deal.create'
  | 'deal.answer'
  | 'deal.setRole'
  | 'deal.move'
  | 'deal.runNextStep'
  | 'deals.fixits';

export function dealsHandlers(deps: DealsHandlerDeps): Pick<Required<Handlers>, DealMessage> {
  return {
    'deal.forThread': async (thread) => {
      const rep = await deps.runner.rep();
      const deal = await dealForThread(deps.db, thread, rep.email);
      if (deal) return { view: await freshView(deps, deal) };
      const { people, companyDomain } = outsiders(thread, rep.email);
      if (!people.length) return {};
      return {
        suggestion: {
          name: companyDomain
            ? nameOfDomain(companyDomain)
            : thread.subject.slice(0, 200) || people[0]!.email,
          ...(companyDomain && { companyDomain }),
          people,
        },
      };
    },

    'deal.create': async (thread) => {
      const rep = await deps.runner.rep();
      const existing = await dealForThread(deps.db, thread, rep.email);
      if (existing) return freshView(deps, existing);
      const { people, companyDomain } = outsiders(thread, rep.email);
      if (!people.length) throw new ValidationError('no one outside your company on this thread');
      const at = deps.now();
      const playbook = await playbookFor(deps.db, DEFAULT_PIPELINE_ID);
      const first = playbook.stages.find((s) => s.kind === 'open')!;
      const contacts: Contact[] = [];
      await deps.db.transaction('rw', deps.db.contacts, async () => {
        for (const p of people) {
          const known = await deps.db.contacts.where('email').equals(p.email).first();
          if (known) contacts.push(known);
          else {
            const [firstName, ...rest] = (p.name ?? '').trim().split(/\s+/).filter(Boolean);
            const contact: Contact = {
              id: deps.runner.newId(),
              email: p.email,
              domain: domainOf(p.email),
              ...(firstName && { firstName }),
              ...(rest.length && { lastName: rest.join(' ') }),
              custom: {},
            };
            await deps.db.contacts.add(contact);
            contacts.push(contact);
          }
        }
      });
      const id = deps.runner.newId();
      const deal: Deal = {
        id,
        name: companyDomain ? nameOfDomain(companyDomain) : thread.subject.slice(0, 200) || people[0]!.email,
        ...(companyDomain && { companyDomain }),
        ownerId: rep.email,
        pipelineId: playbook.pipelineId,
        stageId: first.id,
        stageEnteredAt: at,
        contacts: contacts.map((c) => ({ contactId: c.id, role: 'other' as DealRole })),
        facts: {},
        threadIds: [thread.threadId],
        status: 'open',
        createdAt: at,
        updatedAt: at,
      };
      await writeDeal(deps, deal, [
        {
          id: `${id}:created`,
          dealId: id,
          at,
          by: rep.email,
          kind: 'created',
          data: {
            stageId: first.id,
            threadId: thread.threadId,
            ...(thread.subject.trim() && { subject: thread.subject.slice(0, 2000) }),
          },
        },
      ]);
      await runAutomations(deps, deal, { on: 'enter', stageId: first.id });
      return freshView(deps, deal);
    },

    'deal.answer': async ({ dealId, factKey, value }) => {
      const deal = await getDeal(deps.db, dealId);
      const playbook = await playbookFor(deps.db, deal.pipelineId);
      const rep = await deps.runner.rep();
      const answered = answerFact(deal, playbook, factKey, value ?? undefined, deps.now(), rep.email);
      await writeDeal(deps, answered.deal, [answered.event]);
      deps.queueChanged();
      return freshView(deps, answered.deal);
    },

    'deal.setRole': async ({ dealId, contactId, role }) => {
      const deal = await getDeal(deps.db, dealId);
      if (!deal.contacts.some((c) => c.contactId === contactId))
        throw new ValidationError('the contact is not on the deal');
      const at = deps.now();
      const rep = await deps.runner.rep();
      const updated: Deal = {
        ...deal,
        contacts: deal.contacts.map((c) => (c.contactId === contactId ? { contactId, role } : c)),
        updatedAt: at,
      };
      await writeDeal(deps, updated, [
        {
          id: `${dealId}:role:${contactId}:${at}`,
          dealId,
          at,
          by: rep.email,
          kind: 'contact_linked',
          data: { contactId, role },
        },
      ]);
      deps.queueChanged();
      return freshView(deps, updated);
    },

    'deal.move': (req) => moveDeal(deps, req),
    'deal.runNextStep': ({ dealId }) => runNextStep(deps, dealId),

    'deals.fixits': async () => {
      const rep = await deps.runner.rep();
      const mine = await deps.db.deals
        .where('ownerId')
        .equals(rep.email)
        .filter((d) => d.status === 'open')
        .toArray();
      // Only deals whose inputs changed since the last list are judged again; the others keep their item.
      const inputs = await fixItInputs(deps, mine, rep);
      let cache = fixItCaches.get(deps.db);
      if (!cache) fixItCaches.set(deps.db, (cache = new Map()));
      const fresh = new Map<string, { inputs: string; item?: FixItView }>();
      const items: FixItView[] = [];
      for (const deal of mine) {
        const key = inputs.get(deal.id)!;
        const known = cache.get(deal.id);
        const entry = known?.inputs === key ? known : { inputs: key, item: await fixItOf(deps, deal) };
        fresh.set(deal.id, entry);
        if (entry.item) items.push(entry.item);
      }
      fixItCaches.set(deps.db, fresh);
      items.sort((a, b) => SEVERITY_RANK[a.severity] - SEVERITY_RANK[b.severity] || a.raisedAt - b.raisedAt);
      return { items };
    },
  };
}
