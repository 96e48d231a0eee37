import type { RecommendedActionInput } from '@/lib/domain/playbook';
import type { SequenceChoice } from '@/lib/options-ports/interfaces/deals';
import { ACTION_TYPES, ActionFields, freshAction } from './action-fields';
import { TextField } from './fields';
import { slug } from './slug';
import type { StagePartProps } from './stage-draft';

/** A stage's recommended actions: what the next step asks of the rep once the criteria are met. */
export function StageActions({
  stage,
  update,
  facts,
  sequences,
}: StagePartProps & { sequences: readonly SequenceChoice[] }) {
  const actions = stage.actions ?? [];
  const set = (ai: number, next: RecommendedActionInput) => update((s) => void (s.actions![ai] = next));
  return (
    <>
      <h3>Recommended actions</h3>
      {actions.map((a, ai) => (
        <div className="tlp-sub row" key={ai} data-testid={`action-${a.id}`}>
          <TextField
            label="Action"
            value={a.label}
            onText={(text) => update((s) => void (s.actions![ai]!.label = text))}
          />
          <label>
            Does
            <select
              value={a.type}
              onChange={(e) =>
                set(
                  ai,
                  freshAction(
                    e.target.value as RecommendedActionInput['type'],
                    { id: a.id, label: a.label },
                    facts,
                    sequences,
                  ),
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
            set={(next) => set(ai, next as RecommendedActionInput)}
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
    </>
  );
}
