import type { z } from 'zod';
import { DealRole } from '@/lib/domain/deal';
import type { AutomationActionSchema, FactDefinition, RecommendedActionInput } from '@/lib/domain/playbook';
import type { SequenceChoice } from '@/lib/options-ports/interfaces/deals';
import { ROLE_WORDS } from '@/lib/process/condition-words';
import { FactOptions } from './fields';

/**
 * What a stage's recommended actions and automations do, and the fields each kind of action takes: enroll a
 * contact with a role in one of the rep's sequences, a call or to-do, a meeting or recap reply, a fact to
 * answer, the fix-it. A new kind of action starts with a valid default (`freshAction`).
 */

export type AutomationActionInput = z.input<typeof AutomationActionSchema>;

export const ACTION_TYPES: Record<RecommendedActionInput['type'], string> = {
  enroll: 'Enroll a contact in a sequence',
  task: 'Create a call or to-do',
  meeting: 'Book a meeting (reply)',
  recap: 'Send a recap (reply)',
  answer: 'Answer a fact',
};
export const AUTOMATION_TYPES: Record<AutomationActionInput['type'], string> = {
  enroll: 'Enroll the contact with a role in a sequence',
  task: 'Create a task',
  fix_it: 'Put the fix-it in the queue',
};

/** Recommended actions and automation actions share these fields. */
export function ActionFields({
  action,
  set,
  facts,
  sequences,
  name,
}: {
  action: RecommendedActionInput | AutomationActionInput;
  set: (a: RecommendedActionInput | AutomationActionInput) => void;
  facts: readonly FactDefinition[];
  sequences: readonly SequenceChoice[];
  name: string;
}) {
  switch (action.type) {
    case 'enroll':
      return (
        <>
          <label>
            Role
            <select
              value={action.role}
              onChange={(e) => set({ ...action, role: e.target.value as DealRole })}
            >
              {DealRole.options.map((r) => (
                <option key={r} value={r}>
                  {ROLE_WORDS[r]}
                </option>
              ))}
            </select>
          </label>
          <label>
            Sequence
            <select
              value={action.sequenceId}
              onChange={(e) => set({ ...action, sequenceId: e.target.value })}
            >
              {!sequences.some((s) => s.id === action.sequenceId) && (
                <option value={action.sequenceId}>
                  {action.sequenceId ? `${action.sequenceId} (not on this device)` : '(pick a sequence)'}
                </option>
              )}
              {sequences.map((s) => (
                <option key={s.id} value={s.id}>
                  {s.name}
                </option>
              ))}
            </select>
          </label>
        </>
      );
    case 'task':
      return (
        <>
          <label>
            Task
            <select
              value={action.taskType}
              onChange={(e) => set({ ...action, taskType: e.target.value as 'call' | 'todo' })}
            >
              <option value="call">Call</option>
              <option value="todo">To-do</option>
            </select>
          </label>
          <label className="grow">
            Title
            <input value={action.title} onChange={(e) => set({ ...action, title: e.target.value })} />
          </label>
          <label>
            Due in (days)
            <input
              type="number"
              min={0}
              max={90}
              value={action.dueInDays ?? 1}
              onChange={(e) => set({ ...action, dueInDays: Math.round(Number(e.target.value)) })}
            />
          </label>
        </>
      );
    case 'meeting':
    case 'recap':
      return (
        <label className="grow">
          Reply text ({'{{tokens}}'} allowed)
          <textarea
            aria-label={`Reply text of ${name}`}
            value={action.body}
            onChange={(e) => set({ ...action, body: e.target.value })}
          />
        </label>
      );
    case 'answer':
      return (
        <label>
          Fact
          <select value={action.factKey} onChange={(e) => set({ ...action, factKey: e.target.value })}>
            <FactOptions facts={facts} />
          </select>
        </label>
      );
    case 'fix_it':
      return null;
  }
}

export function freshAction(
  type: RecommendedActionInput['type'],
  base: { id: string; label: string },
  facts: readonly FactDefinition[],
  sequences: readonly SequenceChoice[],
): RecommendedActionInput {
  switch (type) {
    case 'enroll':
      return { ...base, type, role: 'champion', sequenceId: sequences[0]?.id ?? '' };
    case 'task':
      return { ...base, type, taskType: 'todo', title: base.label, dueInDays: 1 };
    case 'meeting':
    case 'recap':
      return { ...base, type, body: '' };
    case 'answer':
      return { ...base, type, factKey: facts[0]?.key ?? '' };
  }
}

export function freshAutomationAction(
  type: AutomationActionInput['type'],
  sequences: readonly SequenceChoice[],
): AutomationActionInput {
  if (type === 'enroll') return { type, role: 'champion', sequenceId: sequences[0]?.id ?? '' };
  if (type === 'task') return { type, taskType: 'todo', title: 'Follow up', dueInDays: 1 };
  return { type };
}
