import type { SequenceChoice } from '@/lib/options-ports/interfaces/deals';
import { ALL_AUTOMATIONS } from '@/lib/process/automations';
import {
  ActionFields,
  AUTOMATION_TYPES,
  freshAutomationAction,
  type AutomationActionInput,
} from './action-fields';
import { TextField } from './fields';
import { slug } from './slug';
import type { StagePartProps } from './stage-draft';

/**
 * A stage's automations: on entering the stage or on a rule's flag, enroll, create a task or queue the
 * fix-it; each says whether it runs on the rep's own deals.
 */
export function StageAutomations({
  stage,
  update,
  facts,
  rules,
  sequences,
  turnedOff,
}: StagePartProps & {
  rules: readonly { id: string; name: string }[];
  sequences: readonly SequenceChoice[];
  /** The automations the rep turned off for their own deals. */
  turnedOff: ReadonlySet<string>;
}) {
  const automations = stage.automations ?? [];
  const allOff = turnedOff.has(ALL_AUTOMATIONS);
  return (
    <>
      <h3>Automations</h3>
      {automations.length === 0 && <p className="hint">None: this stage does nothing by itself.</p>}
      {automations.map((a, ai) => {
        const onForMe = !allOff && !turnedOff.has(a.id);
        return (
          <div className="tlp-sub" key={ai} data-testid={`automation-${a.id}`}>
            <div className="row">
              <TextField
                label="Automation"
                grow
                value={a.label}
                onText={(text) => update((s) => void (s.automations![ai]!.label = text))}
              />
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
    </>
  );
}
