import { useId } from 'react';
import { DealRole } from '@/lib/domain/deal';
import { ActivityKind, type Condition, type FactDefinition } from '@/lib/domain/playbook';
import { ROLE_WORDS } from '@/lib/process/condition-words';
import {
  ACTIVITY_LABELS,
  conditionFor,
  numberOf,
  opLabel,
  opsFor,
  subjectOf,
  subjectsOf,
  valueTypeOf,
  withOp,
  type StageChoice,
  type SubjectKey,
} from './rule-builder-model';
import { NumberInput, ValueInput } from './value-inputs';

interface RowProps {
  condition: Condition;
  path: number[];
  onChange: (c: Condition) => void;
  onRemove?: (() => void) | undefined;
  facts: readonly FactDefinition[];
  stages: readonly StageChoice[];
  problems: string[];
}

/**
 * One condition of the rule builder: its subject, an operator valid for the subject's type, and the value
 * input that type takes; its problems named under it (and tied to its inputs for assistive technology).
 */
export function ConditionRow({ condition: c, path, onChange, onRemove, facts, stages, problems }: RowProps) {
  const id = useId();
  const errorId = `${id}-error`;
  const invalid = problems.length > 0;
  const describe = invalid ? { 'aria-invalid': true, 'aria-describedby': errorId } : {};
  const describeGroup = invalid ? { 'aria-describedby': errorId } : {};
  const subjects = subjectsOf(facts);
  const subject = subjectOf(c);
  const groups = [...new Set(subjects.map((s) => s.group))];
  const known = subjects.some((s) => s.key === subject);
  const type = valueTypeOf(c, facts);

  return (
    <div className="tlr-row" role="group" aria-label={`Condition ${numberOf(path)}`}>
      <div className="row">
        <label>
          Subject
          <select
            value={subject}
            onChange={(e) =>
              onChange(
                conditionFor(
                  e.target.value as SubjectKey,
                  facts,
                  stages.map((s) => s.id),
                ),
              )
            }
          >
            {!known && <option value={subject}>{subject} (not in this playbook)</option>}
            {groups.map((g) => (
              <optgroup key={g} label={g}>
                {subjects
                  .filter((s) => s.group === g)
                  .map((s) => (
                    <option key={s.key} value={s.key}>
                      {s.label}
                    </option>
                  ))}
              </optgroup>
            ))}
          </select>
        </label>
        {(c.type === 'fact' || c.type === 'field') && (
          <>
            <label>
              Operator
              <select
                value={c.op}
                onChange={(e) => onChange(withOp(c, e.target.value as typeof c.op, facts))}
              >
                {[...new Set([...(type ? opsFor(type) : []), c.op])].map((op) => (
                  <option key={op} value={op}>
                    {opLabel(op, type)}
                  </option>
                ))}
              </select>
            </label>
            <ValueInput
              // A new subject or operator starts its inputs afresh (typed text is kept per field only).
              key={`${subject}:${c.op}`}
              condition={c}
              facts={facts}
              describe={describe}
              onValue={(value) => {
                const { value: _old, ...rest } = c;
                void _old;
                onChange(value === undefined ? rest : { ...rest, value });
              }}
            />
          </>
        )}
        {(c.type === 'contact_with_role' || c.type === 'no_contact_with_role') && (
          <>
            <label>
              Operator
              <select
                value={c.type}
                onChange={(e) => onChange({ type: e.target.value as typeof c.type, role: c.role })}
              >
                <option value="contact_with_role">has a contact with the role</option>
                <option value="no_contact_with_role">has no contact with the role</option>
              </select>
            </label>
            <label>
              Role
              <select value={c.role} onChange={(e) => onChange({ ...c, role: e.target.value as DealRole })}>
                {DealRole.options.map((r) => (
                  <option key={r} value={r}>
                    {ROLE_WORDS[r]}
                  </option>
                ))}
              </select>
            </label>
          </>
        )}
        {c.type === 'no_activity' && (
          <>
            <fieldset className="tlr-checks" {...describeGroup}>
              <legend>No</legend>
              {ActivityKind.options.map((k) => (
                <label key={k}>
                  <input
                    type="checkbox"
                    checked={c.kinds.includes(k)}
                    onChange={(e) =>
                      onChange({
                        ...c,
                        kinds: e.target.checked
                          ? ActivityKind.options.filter((x) => x === k || c.kinds.includes(x))
                          : c.kinds.filter((x) => x !== k),
                      })
                    }
                  />
                  {ACTIVITY_LABELS[k]}
                </label>
              ))}
            </fieldset>
            <NumberInput
              label="In the last (days)"
              value={c.days}
              describe={describe}
              onValue={(days) => onChange({ ...c, days: days as number })}
            />
          </>
        )}
        {c.type === 'no_active_sequence' && (
          <p className="hint">None of the deal’s contacts is active or paused in a sequence.</p>
        )}
        {c.type === 'no_open_task' && <p className="hint">No open task for the deal or its contacts.</p>}
        {c.type === 'stage_is' && (
          <fieldset className="tlr-checks" {...describeGroup}>
            <legend>Stage is one of</legend>
            {stages.map((s) => (
              <label key={s.id}>
                <input
                  type="checkbox"
                  checked={c.stageIds.includes(s.id)}
                  onChange={(e) =>
                    onChange({
                      ...c,
                      stageIds: e.target.checked
                        ? stages.filter((x) => x.id === s.id || c.stageIds.includes(x.id)).map((x) => x.id)
                        : c.stageIds.filter((x) => x !== s.id),
                    })
                  }
                />
                {s.name}
              </label>
            ))}
          </fieldset>
        )}
        {onRemove && (
          <button type="button" onClick={onRemove}>
            Remove condition {numberOf(path)}
          </button>
        )}
      </div>
      {invalid && (
        <p className="error" id={errorId} data-testid="condition-problem">
          {problems.join('; ')}
        </p>
      )}
    </div>
  );
}
