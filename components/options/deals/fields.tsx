import type { z } from 'zod';
import type { FactDefinition } from '@/lib/domain/playbook';

/**
 * The Playbooks editor's building blocks: a labelled text field bound to one value of the draft (a stage's
 * name and goal, a criterion's, action's, card's, question's and automation's label; a fact's label and key;
 * a rule's name and message), a picker of the playbook's facts, and the issues under a part of the draft.
 */
export function TextField({
  label,
  value,
  onText,
  grow = false,
}: {
  label: string;
  value: string;
  onText: (text: string) => void;
  /** Takes the row's free width. */
  grow?: boolean;
}) {
  return (
    <label className={grow ? 'grow' : undefined}>
      {label}
      <input value={value} onChange={(e) => onText(e.target.value)} />
    </label>
  );
}

/** The playbook's facts to pick one from (`prefix` before each label). */
export function FactOptions({ facts, prefix = '' }: { facts: readonly FactDefinition[]; prefix?: string }) {
  return (
    <>
      {facts.map((f) => (
        <option key={f.key} value={f.key}>
          {prefix}
          {f.label}
        </option>
      ))}
    </>
  );
}

/** The issues whose path starts with `prefix`, with the prefix taken off. */
export const issuesUnder = (issues: readonly z.core.$ZodIssue[], prefix: readonly (string | number)[]) =>
  issues
    .filter((i) => prefix.every((p, k) => i.path[k] === p))
    .map((i) => ({ ...i, path: i.path.slice(prefix.length) }));
