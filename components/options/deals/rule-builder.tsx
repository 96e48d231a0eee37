import { useEffect, useId, useState } from 'react';
import type { z } from 'zod';
import { DealRole } from '@/lib/domain/deal';
import {
  ActivityKind,
  isConditionGroup,
  type Condition,
  type ConditionGroup,
  type ConditionValue,
  type FactDefinition,
} from '@/lib/domain/playbook';
import {
  ACTIVITY_LABELS,
  conditionFor,
  groupProblems,
  opLabel,
  opsFor,
  pathKey,
  ROLE_LABELS,
  subjectOf,
  subjectsOf,
  valueInputOf,
  valueTypeOf,
  withOp,
  type SubjectKey,
} from './rule-builder-model';

export interface StageChoice {
  id: string;
  name: string;
}

interface BuilderProps {
  /** The group as drafted (values may be invalid: they are named under their field). */
  group: ConditionGroup;
  onChange: (group: ConditionGroup) => void;
  facts: readonly FactDefinition[];
  stages: readonly StageChoice[];
  /** The group's legend ("Conditions of Stuck in stage"). */
  label: string;
  /** The playbook's zod issues under this group (paths relative to it). */
  issues?: readonly z.core.$ZodIssue[];
}

const MAX_DEPTH = 3;

/** Zod issues by the condition they fall in ("0.1"), worded with the field they name. */
function issuesByCondition(issues: readonly z.core.$ZodIssue[]): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const issue of issues) {
    const path: number[] = [];
    let i = 0;
    while (issue.path[i] === 'conditions' && typeof issue.path[i + 1] === 'number') {
      path.push(issue.path[i + 1] as number);
      i += 2;
    }
    const field = issue.path.slice(i).map(String).join('.');
    const key = pathKey(path);
    out.set(key, [...(out.get(key) ?? []), `${field ? `${field}: ` : ''}${issue.message}`]);
  }
  return out;
}

/**
 * The visual rule builder: nested AND/OR groups of condition rows. Each row picks its subject (a fact of the
 * playbook, a deal field, contacts by role, activity recency, no active sequence, no open task, the stage),
 * then an operator valid for the subject's type, then a value input of that type. Problems are named under
 * the row, at the field (the value's type check here, the playbook's schema issues from the caller).
 */
export function RuleBuilder({ group, onChange, facts, stages, label, issues = [] }: BuilderProps) {
  const problems = groupProblems(group, facts);
  const schemaIssues = issuesByCondition(issues);
  const problemsAt = (path: number[]) => {
    const key = pathKey(path);
    const typed = problems.get(key);
    const schema = schemaIssues.get(key) ?? [];
    // The value's own check already names a bad value in words: the schema's issue on it would repeat it.
    return typed ? [`value: ${typed}`, ...schema.filter((m) => !m.startsWith('value'))] : schema;
  };
  return (
    <GroupEditor
      group={group}
      path={[]}
      onChange={onChange}
      facts={facts}
      stages={stages}
      label={label}
      problemsAt={problemsAt}
    />
  );
}

interface GroupProps {
  group: ConditionGroup;
  path: number[];
  onChange: (group: ConditionGroup) => void;
  onRemove?: () => void;
  facts: readonly FactDefinition[];
  stages: readonly StageChoice[];
  label: string;
  problemsAt: (path: number[]) => string[];
}

const numberOf = (path: readonly number[]) => path.map((i) => i + 1).join('.');

function GroupEditor({ group, path, onChange, onRemove, facts, stages, label, problemsAt }: GroupProps) {
  const matchId = useId();
  const own = problemsAt(path);
  const set = (i: number, c: Condition | ConditionGroup) =>
    onChange({ ...group, conditions: group.conditions.map((x, j) => (j === i ? c : x)) });
  const remove = (i: number) =>
    onChange({ ...group, conditions: group.conditions.filter((_, j) => j !== i) });
  const fresh = () =>
    conditionFor(
      'field:close_date',
      facts,
      stages.map((s) => s.id),
    );
  return (
    <fieldset className="tlr-group" data-depth={path.length}>
      <legend>{path.length ? `Group ${numberOf(path)}` : label}</legend>
      <div className="row">
        <label htmlFor={matchId}>Match</label>
        <select
          id={matchId}
          value={group.op}
          onChange={(e) => onChange({ ...group, op: e.target.value as 'and' | 'or' })}
        >
          <option value="and">all of these (AND)</option>
          <option value="or">any of these (OR)</option>
        </select>
        {onRemove && (
          <button type="button" onClick={onRemove}>
            Remove group {numberOf(path)}
          </button>
        )}
      </div>
      <ol className="tlr-list">
        {group.conditions.map((c, i) => (
          <li key={i}>
            {isConditionGroup(c) ? (
              <GroupEditor
                group={c}
                path={[...path, i]}
                onChange={(g) => set(i, g)}
                onRemove={() => remove(i)}
                facts={facts}
                stages={stages}
                label={label}
                problemsAt={problemsAt}
              />
            ) : (
              <ConditionRow
                condition={c}
                path={[...path, i]}
                onChange={(x) => set(i, x)}
                onRemove={group.conditions.length > 1 ? () => remove(i) : undefined}
                facts={facts}
                stages={stages}
                problems={problemsAt([...path, i])}
              />
            )}
          </li>
        ))}
      </ol>
      {own.length > 0 && (
        <p className="error" role="alert">
          {own.join('; ')}
        </p>
      )}
      <div className="row">
        <button
          type="button"
          onClick={() => onChange({ ...group, conditions: [...group.conditions, fresh()] })}
        >
          Add a condition{path.length ? ` to group ${numberOf(path)}` : ''}
        </button>
        {path.length < MAX_DEPTH - 1 && (
          <button
            type="button"
            onClick={() =>
              onChange({
                ...group,
                conditions: [
                  ...group.conditions,
                  { op: group.op === 'and' ? 'or' : 'and', conditions: [fresh()] },
                ],
              })
            }
          >
            Add a group{path.length ? ` to group ${numberOf(path)}` : ''}
          </button>
        )}
      </div>
    </fieldset>
  );
}

interface RowProps {
  condition: Condition;
  path: number[];
  onChange: (c: Condition) => void;
  onRemove?: (() => void) | undefined;
  facts: readonly FactDefinition[];
  stages: readonly StageChoice[];
  problems: string[];
}

function ConditionRow({ condition: c, path, onChange, onRemove, facts, stages, problems }: RowProps) {
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
                    {ROLE_LABELS[r]}
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

type Describe = { 'aria-invalid'?: boolean; 'aria-describedby'?: string };

/** A number input whose empty or unreadable text leaves the value unset (named as missing, not guessed). */
function NumberInput({
  label,
  value,
  onValue,
  describe,
  min = 0,
}: {
  label: string;
  value: unknown;
  onValue: (v: number | undefined) => void;
  describe: Describe;
  min?: number;
}) {
  const [text, setText] = useState(typeof value === 'number' ? String(value) : '');
  useEffect(() => {
    if (typeof value === 'number' && Number(text) !== value) setText(String(value));
    // Only an outside change of the value rewrites the text being typed.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [value]);
  return (
    <label>
      {label}
      <input
        type="number"
        min={min}
        value={text}
        {...describe}
        onChange={(e) => {
          setText(e.target.value);
          const n = e.target.value.trim() === '' ? NaN : Number(e.target.value);
          onValue(Number.isFinite(n) ? n : undefined);
        }}
      />
    </label>
  );
}

/** A comma-separated list, kept as typed while the value holds its parts. */
function ListInput({
  value,
  onValue,
  describe,
}: {
  value: unknown;
  onValue: (v: string[]) => void;
  describe: Describe;
}) {
  const parts = Array.isArray(value) ? (value as string[]) : [];
  const [text, setText] = useState(parts.join(', '));
  return (
    <label>
      Values (comma-separated)
      <input
        value={text}
        {...describe}
        onChange={(e) => {
          setText(e.target.value);
          onValue(
            e.target.value
              .split(',')
              .map((x) => x.trim())
              .filter(Boolean),
          );
        }}
      />
    </label>
  );
}

function ValueInput({
  condition: c,
  facts,
  onValue,
  describe,
}: {
  condition: Extract<Condition, { type: 'fact' | 'field' }>;
  facts: readonly FactDefinition[];
  onValue: (v: ConditionValue | undefined) => void;
  describe: Describe;
}) {
  const type = valueTypeOf(c, facts);
  const input = valueInputOf(type, c.op);
  const def = c.type === 'fact' ? facts.find((f) => f.key === c.key) : undefined;
  const v = c.value;
  switch (input) {
    case 'none':
      return null;
    case 'days':
      return <NumberInput label="Days" value={v} describe={describe} onValue={onValue} />;
    case 'number':
      return <NumberInput label="Value" value={v} describe={describe} onValue={onValue} min={-1e15} />;
    case 'money': {
      const money =
        typeof v === 'object' && v !== null && !Array.isArray(v)
          ? (v as { value?: number; currency?: string })
          : {};
      return (
        <>
          <NumberInput
            label="Amount"
            value={money.value}
            describe={describe}
            onValue={(n) => onValue({ ...money, value: n } as ConditionValue)}
          />
          <label>
            Currency
            <input
              value={money.currency ?? ''}
              maxLength={3}
              size={4}
              {...describe}
              onChange={(e) =>
                onValue({ ...money, currency: e.target.value.toUpperCase() } as ConditionValue)
              }
            />
          </label>
        </>
      );
    }
    case 'date':
      return (
        <label>
          Date
          <input
            type="date"
            value={typeof v === 'string' ? v : ''}
            {...describe}
            onChange={(e) => onValue(e.target.value)}
          />
        </label>
      );
    case 'text':
      return (
        <label>
          Value
          <input
            value={typeof v === 'string' ? v : ''}
            {...describe}
            onChange={(e) => onValue(e.target.value)}
          />
        </label>
      );
    case 'list':
      return <ListInput value={v} describe={describe} onValue={onValue} />;
    case 'choice':
      return (
        <label>
          Value
          <select
            value={typeof v === 'string' ? v : ''}
            {...describe}
            onChange={(e) => onValue(e.target.value)}
          >
            {typeof v !== 'string' || !def?.choices?.includes(v) ? (
              <option value="">(pick one)</option>
            ) : null}
            {(def?.choices ?? []).map((x) => (
              <option key={x}>{x}</option>
            ))}
          </select>
        </label>
      );
    case 'choices': {
      const picked = Array.isArray(v) ? (v as string[]) : [];
      return (
        <fieldset className="tlr-checks" aria-describedby={describe['aria-describedby']}>
          <legend>Choices</legend>
          {(def?.choices ?? []).map((x) => (
            <label key={x}>
              <input
                type="checkbox"
                checked={picked.includes(x)}
                onChange={(e) =>
                  onValue(
                    e.target.checked
                      ? (def?.choices ?? []).filter((y) => y === x || picked.includes(y))
                      : picked.filter((y) => y !== x),
                  )
                }
              />
              {x}
            </label>
          ))}
        </fieldset>
      );
    }
  }
}
