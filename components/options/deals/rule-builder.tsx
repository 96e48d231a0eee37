import { useId } from 'react';
import type { z } from 'zod';
import {
  isConditionGroup,
  type Condition,
  type ConditionGroup,
  type FactDefinition,
} from '@/lib/domain/playbook';
import { ConditionRow } from './condition-row';
import { conditionFor, groupProblems, numberOf, pathKey, type StageChoice } from './rule-builder-model';

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
