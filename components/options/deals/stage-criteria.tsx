import type { ConditionGroup } from '@/lib/domain/playbook';
import { FactOptions, issuesUnder, TextField } from './fields';
import { RuleBuilder } from './rule-builder';
import type { StageChoice } from './rule-builder-model';
import { slug } from './slug';
import type { StageIssues, StagePartProps } from './stage-draft';

/** A criterion built from conditions starts with one that reads well: a decision maker is on the deal. */
const firstConditions = (): ConditionGroup => ({
  op: 'and',
  conditions: [{ type: 'contact_with_role', role: 'decision_maker' }],
});

/** A stage's exit criteria: each a fact that must hold, or conditions built with the rule builder. */
export function StageCriteria({
  stage,
  update,
  facts,
  stages,
  issues,
}: StagePartProps & { stages: readonly StageChoice[]; issues: StageIssues }) {
  const criteria = stage.exitCriteria ?? [];
  return (
    <>
      <h3>Exit criteria</h3>
      {criteria.map((c, ci) => (
        <div className="tlp-sub" key={ci}>
          <div className="row">
            <TextField
              label="Criterion"
              grow
              value={c.label}
              onText={(text) => update((s) => void (s.exitCriteria![ci]!.label = text))}
            />
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
                      x.when = x.when ?? firstConditions();
                    }
                  })
                }
              >
                <option value="">Conditions (built below)</option>
                <FactOptions facts={facts} prefix="Fact: " />
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
              issues={issuesUnder(issues, ['exitCriteria', ci, 'when'])}
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
            const id = slug(
              `${s.id} criterion`,
              list.map((x) => x.id),
            );
            s.exitCriteria = [
              ...list,
              facts[0]
                ? { id, label: facts[0].label, factKey: facts[0].key }
                : { id, label: 'New criterion', when: firstConditions() },
            ];
          })
        }
      >
        Add an exit criterion to {stage.name}
      </button>
    </>
  );
}
