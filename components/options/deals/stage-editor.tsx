import type { z } from 'zod';
import { DealRole } from '@/lib/domain/deal';
import {
  StageKind,
  type AutomationActionSchema,
  type ConditionGroup,
  type FactDefinition,
  type PlaybookInput,
  type RecommendedActionInput,
} from '@/lib/domain/playbook';
import type { SequenceChoice } from '@/lib/options-ports/interfaces/deals';
import { ALL_AUTOMATIONS } from '@/lib/process/automations';
import { cardGuidanceHtml } from '@/lib/html-sanitiser/markdown';
import { RuleBuilder, type StageChoice } from './rule-builder';
import { ROLE_LABELS } from './rule-builder-model';
import { slug } from './slug';

export type StageDraft = NonNullable<PlaybookInput['stages']>[number];
type AutomationActionInput = z.input<typeof AutomationActionSchema>;

export interface StageEditorProps {
  stage: StageDraft;
  /** Changes the stage in the draft (the caller clones). */
  update: (change: (s: StageDraft) => void) => void;
  facts: readonly FactDefinition[];
  stages: readonly StageChoice[];
  rules: readonly { id: string; name: string }[];
  sequences: readonly SequenceChoice[];
  /** The automations the rep turned off for their own deals (shown on each automation). */
  turnedOff: ReadonlySet<string>;
  /** The playbook's zod issues under this stage (paths relative to it). */
  issues: readonly z.core.$ZodIssue[];
}

const ACTION_TYPES: Record<RecommendedActionInput['type'], string> = {
  enroll: 'Enroll a contact in a sequence',
  task: 'Create a call or to-do',
  meeting: 'Book a meeting (reply)',
  recap: 'Send a recap (reply)',
  answer: 'Answer a fact',
};
const AUTOMATION_TYPES: Record<AutomationActionInput['type'], string> = {
  enroll: 'Enroll the contact with a role in a sequence',
  task: 'Create a task',
  fix_it: 'Put the fix-it in the queue',
};

/** Recommended actions and automation actions share these fields. */
function ActionFields({
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
                  {ROLE_LABELS[r]}
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
            {facts.map((f) => (
              <option key={f.key} value={f.key}>
                {f.label}
              </option>
            ))}
          </select>
        </label>
      );
    case 'fix_it':
      return null;
  }
}

function freshAction(
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

function freshAutomationAction(
  type: AutomationActionInput['type'],
  sequences: readonly SequenceChoice[],
): AutomationActionInput {
  if (type === 'enroll') return { type, role: 'champion', sequenceId: sequences[0]?.id ?? '' };
  if (type === 'task') return { type, taskType: 'todo', title: 'Follow up', dueInDays: 1 };
  return { type };
}

const under = (issues: readonly z.core.$ZodIssue[], prefix: (string | number)[]) =>
  issues
    .filter((i) => prefix.every((p, k) => i.path[k] === p))
    .map((i) => ({ ...i, path: i.path.slice(prefix.length) }));

/**
 * One stage of a playbook: its goal, exit criteria (a fact that must hold, or conditions built with the rule
 * builder), recommended actions (enroll the contact with a role in one of the rep's sequences, a call or to-do,
 * a meeting or recap reply, a fact to answer), cards (markdown guidance, previewed rendered and sanitised, with
 * questions whose answers write facts) and automations (on entering the stage or on a rule's flag: enroll,
 * create a task, queue the fix-it), each showing whether it runs on the rep's own deals.
 */
export function StageEditor({
  stage,
  update,
  facts,
  stages,
  rules,
  sequences,
  turnedOff,
  issues,
}: StageEditorProps) {
  const criteria = stage.exitCriteria ?? [];
  const actions = stage.actions ?? [];
  const cards = stage.cards ?? [];
  const automations = stage.automations ?? [];
  const allOff = turnedOff.has(ALL_AUTOMATIONS);
  return (
    <div className="tlp-item" data-testid={`stage-${stage.id}`}>
      <div className="row">
        <label>
          Stage name
          <input value={stage.name} onChange={(e) => update((s) => void (s.name = e.target.value))} />
        </label>
        <label>
          Kind
          <select
            value={stage.kind ?? 'open'}
            onChange={(e) => update((s) => void (s.kind = e.target.value as StageKind))}
          >
            {StageKind.options.map((k) => (
              <option key={k}>{k}</option>
            ))}
          </select>
        </label>
        <label className="grow">
          Goal
          <input value={stage.goal ?? ''} onChange={(e) => update((s) => void (s.goal = e.target.value))} />
        </label>
      </div>

      <h3>Exit criteria</h3>
      {criteria.map((c, ci) => (
        <div className="tlp-sub" key={ci}>
          <div className="row">
            <label className="grow">
              Criterion
              <input
                value={c.label}
                onChange={(e) => update((s) => void (s.exitCriteria![ci]!.label = e.target.value))}
              />
            </label>
            <label>
              Must hold
              <select
                value={c.factKey ?? ''}
                onChange={(e) =>
                  update((s) => {
                    const x = s.exitCriteria![ci]!;
                    if (e.target.value) {
                      x.factKey = e.target.value;
                      delete x.when;
                    } else {
                      delete x.factKey;
                      x.when = x.when ?? {
                        op: 'and',
                        conditions: [{ type: 'contact_with_role', role: 'decision_maker' }],
                      };
                    }
                  })
                }
              >
                <option value="">Conditions (built below)</option>
                {facts.map((f) => (
                  <option key={f.key} value={f.key}>
                    Fact: {f.label}
                  </option>
                ))}
              </select>
            </label>
            <button type="button" onClick={() => update((s) => void s.exitCriteria!.splice(ci, 1))}>
              Remove criterion {c.label}
            </button>
          </div>
          {!c.factKey && c.when !== undefined && (
            <RuleBuilder
              group={c.when as ConditionGroup}
              label={`Conditions of ${c.label}`}
              facts={facts}
              stages={stages}
              issues={under(issues, ['exitCriteria', ci, 'when'])}
              onChange={(g: ConditionGroup) => update((s) => void (s.exitCriteria![ci]!.when = g))}
            />
          )}
        </div>
      ))}
      <button
        type="button"
        onClick={() =>
          update((s) => {
            const list = s.exitCriteria ?? [];
            s.exitCriteria = [
              ...list,
              facts[0]
                ? {
                    id: slug(
                      `${s.id} criterion`,
                      list.map((x) => x.id),
                    ),
                    label: facts[0].label,
                    factKey: facts[0].key,
                  }
                : {
                    id: slug(
                      `${s.id} criterion`,
                      list.map((x) => x.id),
                    ),
                    label: 'New criterion',
                    when: { op: 'and', conditions: [{ type: 'contact_with_role', role: 'decision_maker' }] },
                  },
            ];
          })
        }
      >
        Add an exit criterion to {stage.name}
      </button>

      <h3>Recommended actions</h3>
      {actions.map((a, ai) => (
        <div className="tlp-sub row" key={ai} data-testid={`action-${a.id}`}>
          <label>
            Action
            <input
              value={a.label}
              onChange={(e) => update((s) => void (s.actions![ai]!.label = e.target.value))}
            />
          </label>
          <label>
            Does
            <select
              value={a.type}
              onChange={(e) =>
                update(
                  (s) =>
                    void (s.actions![ai] = freshAction(
                      e.target.value as RecommendedActionInput['type'],
                      { id: a.id, label: a.label },
                      facts,
                      sequences,
                    )),
                )
              }
            >
              {Object.entries(ACTION_TYPES).map(([t, words]) => (
                <option key={t} value={t}>
                  {words}
                </option>
              ))}
            </select>
          </label>
          <ActionFields
            action={a}
            name={a.label}
            facts={facts}
            sequences={sequences}
            set={(next) => update((s) => void (s.actions![ai] = next as RecommendedActionInput))}
          />
          <button type="button" onClick={() => update((s) => void s.actions!.splice(ai, 1))}>
            Remove action {a.label}
          </button>
        </div>
      ))}
      <button
        type="button"
        onClick={() =>
          update((s) => {
            const list = s.actions ?? [];
            const id = slug(
              `${s.id} action`,
              list.map((x) => x.id),
            );
            s.actions = [...list, freshAction('task', { id, label: 'Call the champion' }, facts, sequences)];
          })
        }
      >
        Add a recommended action to {stage.name}
      </button>

      <h3>Cards</h3>
      {cards.map((card, ci) => (
        <div className="tlp-sub" key={ci} data-testid={`card-${card.id}`}>
          <div className="row">
            <label className="grow">
              Card title
              <input
                value={card.title}
                onChange={(e) => update((s) => void (s.cards![ci]!.title = e.target.value))}
              />
            </label>
            <button type="button" onClick={() => update((s) => void s.cards!.splice(ci, 1))}>
              Remove card {card.title}
            </button>
          </div>
          <div className="tlp-grid">
            <label>
              Guidance (markdown)
              <textarea
                value={card.markdown}
                onChange={(e) => update((s) => void (s.cards![ci]!.markdown = e.target.value))}
              />
            </label>
            <div>
              <span className="hint">Preview</span>
              <div
                className="tlp-card-preview"
                data-testid="card-preview"
                // The editor's markdown, rendered then sanitised (lib/html-sanitiser): nothing active survives.
                dangerouslySetInnerHTML={{ __html: cardGuidanceHtml(card.markdown) }}
              />
            </div>
          </div>
          <h4>Questions (their answers write the deal’s facts)</h4>
          {(card.questions ?? []).map((q, qi) => (
            <div className="row" key={qi}>
              <label className="grow">
                Question
                <input
                  value={q.prompt}
                  onChange={(e) =>
                    update((s) => void (s.cards![ci]!.questions![qi]!.prompt = e.target.value))
                  }
                />
              </label>
              <label>
                Writes the fact
                <select
                  value={q.factKey}
                  onChange={(e) =>
                    update((s) => void (s.cards![ci]!.questions![qi]!.factKey = e.target.value))
                  }
                >
                  {facts.map((f) => (
                    <option key={f.key} value={f.key}>
                      {f.label}
                    </option>
                  ))}
                </select>
              </label>
              <button
                type="button"
                onClick={() => update((s) => void s.cards![ci]!.questions!.splice(qi, 1))}
              >
                Remove question {q.prompt}
              </button>
            </div>
          ))}
          <button
            type="button"
            disabled={!facts.length}
            onClick={() =>
              update((s) => {
                const c = s.cards![ci]!;
                c.questions = [
                  ...(c.questions ?? []),
                  { factKey: facts[0]!.key, prompt: `${facts[0]!.label}?` },
                ];
              })
            }
          >
            Add a question to {card.title}
          </button>
        </div>
      ))}
      <button
        type="button"
        onClick={() =>
          update((s) => {
            s.cards = [
              ...(s.cards ?? []),
              {
                id: slug(
                  `${s.id} card`,
                  (s.cards ?? []).map((x) => x.id),
                ),
                title: 'New card',
                markdown: '',
              },
            ];
          })
        }
      >
        Add a card to {stage.name}
      </button>

      <h3>Automations</h3>
      {automations.length === 0 && <p className="hint">None: this stage does nothing by itself.</p>}
      {automations.map((a, ai) => {
        const onForMe = !allOff && !turnedOff.has(a.id);
        return (
          <div className="tlp-sub" key={ai} data-testid={`automation-${a.id}`}>
            <div className="row">
              <label className="grow">
                Automation
                <input
                  value={a.label}
                  onChange={(e) => update((s) => void (s.automations![ai]!.label = e.target.value))}
                />
              </label>
              <label>
                When
                <select
                  value={a.trigger.on === 'enter' ? 'enter' : `flag:${a.trigger.ruleId}`}
                  onChange={(e) =>
                    update(
                      (s) =>
                        void (s.automations![ai]!.trigger =
                          e.target.value === 'enter'
                            ? { on: 'enter' }
                            : { on: 'flag', ruleId: e.target.value.slice(5) }),
                    )
                  }
                >
                  <option value="enter">A deal enters {stage.name}</option>
                  {a.trigger.on === 'flag' &&
                    !rules.some((r) => a.trigger.on === 'flag' && r.id === a.trigger.ruleId) && (
                      <option value={`flag:${a.trigger.ruleId}`}>
                        Flagged by {a.trigger.ruleId} (no such rule)
                      </option>
                    )}
                  {rules.map((r) => (
                    <option key={r.id} value={`flag:${r.id}`}>
                      Flagged by {r.name}
                    </option>
                  ))}
                </select>
              </label>
              <label>
                Does
                <select
                  value={a.action.type}
                  onChange={(e) =>
                    update(
                      (s) =>
                        void (s.automations![ai]!.action = freshAutomationAction(
                          e.target.value as AutomationActionInput['type'],
                          sequences,
                        )),
                    )
                  }
                >
                  {Object.entries(AUTOMATION_TYPES).map(([t, words]) => (
                    <option key={t} value={t}>
                      {words}
                    </option>
                  ))}
                </select>
              </label>
            </div>
            <div className="row">
              <ActionFields
                action={a.action}
                name={a.label}
                facts={facts}
                sequences={sequences}
                set={(next) =>
                  update((s) => void (s.automations![ai]!.action = next as AutomationActionInput))
                }
              />
              <label className="tlp-check">
                <input
                  type="checkbox"
                  checked={a.enabled ?? true}
                  onChange={(e) => update((s) => void (s.automations![ai]!.enabled = e.target.checked))}
                />
                On in the playbook
              </label>
              <button type="button" onClick={() => update((s) => void s.automations!.splice(ai, 1))}>
                Remove automation {a.label}
              </button>
            </div>
            <p className="hint" data-testid="automation-state">
              {!(a.enabled ?? true)
                ? 'Off in the playbook: it runs for nobody.'
                : onForMe
                  ? 'Runs on your deals.'
                  : 'Turned off for your deals (see “Automations on your deals”).'}
            </p>
          </div>
        );
      })}
      <button
        type="button"
        onClick={() =>
          update((s) => {
            const list = s.automations ?? [];
            s.automations = [
              ...list,
              {
                id: slug(
                  `${s.id} automation`,
                  list.map((x) => x.id),
                ),
                label: `On entering ${s.name}`,
                trigger: { on: 'enter' },
                action: freshAutomationAction(sequences.length ? 'enroll' : 'task', sequences),
                enabled: true,
              },
            ];
          })
        }
      >
        Add an automation to {stage.name}
      </button>
    </div>
  );
}
