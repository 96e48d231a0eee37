import type { Contact } from '../domain/contact';
import type { Deal, DealEvent } from '../domain/deal';
import type { Enrollment } from '../domain/enrollment';
import type { Automation, Playbook } from '../domain/playbook';
import type { Rep } from '../domain/rep';
import type { Sequence } from '../domain/sequence';
import { REJECT_MESSAGES, whyNotEnrollable } from '../engine/eligibility';
import { renderTemplate, tokenValues } from '../templates/render';
import { DAY_MS } from './clock';
import { roleWords } from './condition-words';

/** What the engine's guards need to know before an automation may enroll anyone. */
export interface AutomationWorld {
  rep: Rep;
  contacts: ReadonlyMap<string, Contact>;
  sequences: ReadonlyMap<string, Sequence>;
  /** Live (and past) enrollments by contact id. */
  liveEnrollments: ReadonlyMap<string, readonly Pick<Enrollment, 'sequenceId' | 'status'>[]>;
  /** Suppressed (do-not-contact) addresses. */
  suppressed: ReadonlySet<string>;
  /** Automations this rep turned off for their deals (ALL_AUTOMATIONS: every one). */
  turnedOff: ReadonlySet<string>;
}

/** In a rep's turned-off set: every automation is off for their deals, those added later included. */
export const ALL_AUTOMATIONS = '*';

/**
 * The meta row (lib/db meta table, this device) holding the automations the rep turned off: the Playbooks tab
 * writes it (lib/options-ports/automation-switch.ts) and the background's automations read it
 * (lib/background/deals.ts). One key for both.
 */
export const AUTOMATIONS_OFF_KEY = 'process.automationsOff';

/** The turned-off ids in that meta row's value: its strings, anything else (absent, damaged) ignored. */
export function parseAutomationsOff(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((x): x is string => typeof x === 'string') : [];
}

export type AutomationTriggerEvent = { on: 'enter'; stageId: string } | { on: 'flag'; ruleId: string };

export type AutomationStep = { automation: Automation; detail: string } & (
  | { outcome: 'enrolled'; contactId: string; sequenceId: string }
  | { outcome: 'task_created'; taskType: 'call' | 'todo'; title: string; dueAt: number }
  | { outcome: 'fix_it_queued' }
  | { outcome: 'refused'; contactId?: string; sequenceId?: string }
  | { outcome: 'turned_off' }
);

/** The email templates a contact would receive from the first step (every A/B variant counts). */
function emailTemplates(sequence: Sequence): string[] {
  return sequence.steps.flatMap((step) => {
    if (step.type === 'auto_email')
      return (step.variants.length ? step.variants : [step]).flatMap((v) => [v.subject, v.body]);
    return step.type === 'manual_email' ? [step.subject, step.body] : [];
  });
}

/**
 * Why the engine would refuse to enroll `contact` in `sequence` (as lib/runner/enroll.ts and the bulk
 * preflight do: the eligibility rules, then tokens with no value), or undefined when it would enroll them.
 */
export function enrollRefusal(
  contact: Contact,
  sequence: Sequence,
  world: AutomationWorld,
): string | undefined {
  const why = whyNotEnrollable({
    email: contact.email,
    sequence,
    liveEnrollments: world.liveEnrollments.get(contact.id) ?? [],
    suppressed: world.suppressed.has(contact.email),
    override: false,
    repEmail: world.rep.email,
  });
  if (why) return REJECT_MESSAGES[why];
  const values = tokenValues(contact, world.rep);
  const missing = new Set<string>();
  for (const t of emailTemplates(sequence))
    if (t.includes('{{')) for (const m of renderTemplate(t, values).missing) missing.add(m);
  if (missing.size) return `no value for ${[...missing].map((m) => `{{${m}}}`).join(', ')}`;
  return undefined;
}

const who = (c: Contact) => [c.firstName, c.lastName].filter(Boolean).join(' ') || c.email;

function planOne(a: Automation, deal: Deal, world: AutomationWorld, now: number): AutomationStep {
  if (world.turnedOff.has(a.id) || world.turnedOff.has(ALL_AUTOMATIONS))
    return { automation: a, outcome: 'turned_off', detail: `${a.label}: turned off by the rep` };
  const act = a.action;
  if (act.type === 'fix_it')
    return { automation: a, outcome: 'fix_it_queued', detail: 'fix-it item put in the queue' };
  if (act.type === 'task')
    return {
      automation: a,
      outcome: 'task_created',
      taskType: act.taskType,
      title: act.title,
      dueAt: now + act.dueInDays * DAY_MS,
      detail: `${act.taskType === 'call' ? 'call' : 'to-do'} "${act.title}" created`,
    };
  const sequence = world.sequences.get(act.sequenceId);
  const sequenceId = act.sequenceId;
  if (!sequence)
    return { automation: a, outcome: 'refused', sequenceId, detail: `no sequence "${act.sequenceId}"` };
  const holders = deal.contacts.filter((c) => c.role === act.role);
  const contact = holders.map((h) => world.contacts.get(h.contactId)).find((c) => c !== undefined);
  if (!contact)
    return {
      automation: a,
      outcome: 'refused',
      sequenceId,
      detail: `no contact with the role ${roleWords(act.role)} to enroll in ${sequence.name}`,
    };
  const refusal = enrollRefusal(contact, sequence, world);
  if (refusal)
    return {
      automation: a,
      outcome: 'refused',
      contactId: contact.id,
      sequenceId,
      detail: `${who(contact)} not enrolled in ${sequence.name}: ${refusal}`,
    };
  return {
    automation: a,
    outcome: 'enrolled',
    contactId: contact.id,
    sequenceId,
    detail: `${who(contact)} (${roleWords(act.role)}) enrolled in ${sequence.name}`,
  };
}

/**
 * What a stage's automations do when a deal enters the stage or one of its rules flags it. Never plans an
 * enrollment the engine would refuse: those come back as `refused` with the engine's reason, to be recorded.
 * Automations disabled in the playbook are left out; those the rep turned off come back as `turned_off`.
 */
export function planAutomations(
  deal: Deal,
  playbook: Playbook,
  trigger: AutomationTriggerEvent,
  world: AutomationWorld,
  now: number,
): AutomationStep[] {
  if (deal.status !== 'open') return [];
  const stage = playbook.stages.find((s) => s.id === deal.stageId);
  if (!stage) return [];
  return stage.automations
    .filter((a) => a.enabled)
    .filter((a) =>
      trigger.on === 'enter'
        ? a.trigger.on === 'enter'
        : a.trigger.on === 'flag' && a.trigger.ruleId === trigger.ruleId,
    )
    .map((a) => planOne(a, deal, world, now));
}

/** The history row of one automation run (`taskId`: the task it created, when it did). */
export function automationEvent(
  deal: Deal,
  step: AutomationStep,
  trigger: AutomationTriggerEvent,
  at: number,
  taskId?: string,
): DealEvent {
  return {
    id: `${deal.id}:auto:${step.automation.id}:${at}`,
    dealId: deal.id,
    at,
    by: 'automation',
    kind: 'automation_ran',
    data: {
      automationId: step.automation.id,
      trigger: trigger.on,
      ...(trigger.on === 'flag' && { ruleId: trigger.ruleId }),
      outcome: step.outcome,
      detail: step.detail,
      ...('contactId' in step && step.contactId !== undefined && { contactId: step.contactId }),
      ...('sequenceId' in step && step.sequenceId !== undefined && { sequenceId: step.sequenceId }),
      ...(taskId !== undefined && { taskId }),
    },
  };
}
