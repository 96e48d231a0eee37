import { useId, useMemo, useState } from 'react';
import type { Step } from '../../lib/domain/sequence';
import { common, enroll } from '../strings';
import { isEmail } from './email-problems';

export interface SequenceChoice {
  id: string;
  name: string;
  steps: Step[];
  updatedAt: number;
  lastUsedAt?: number;
}

/** Most recently used first, then most recently edited: the sequence a rep wants is nearly always on top. */
export function byRecent(a: SequenceChoice, b: SequenceChoice): number {
  return (
    (b.lastUsedAt ?? -1) - (a.lastUsedAt ?? -1) || b.updatedAt - a.updatedAt || a.name.localeCompare(b.name)
  );
}

interface Props {
  sequences: SequenceChoice[];
  selectedId: string | undefined;
  onSelect(id: string): void;
  now: number;
  timeZone: string;
}

export function SequencePicker({ sequences, selectedId, onSelect, now, timeZone }: Props) {
  const [query, setQuery] = useState('');
  const name = useId();
  const sorted = useMemo(() => [...sequences].sort(byRecent), [sequences]);
  const q = query.trim().toLowerCase();
  const shown = q ? sorted.filter((s) => s.name.toLowerCase().includes(q)) : sorted;

  return (
    <fieldset className="tl-fieldset tl-stack">
      <legend>{enroll.sequence}</legend>
      <input
        type="search"
        // The flow opens from an "Enroll" click: typing a sequence name is the next thing the rep does.
        autoFocus
        className="tl-input tl-input--wide"
        aria-label={enroll.search}
        placeholder={enroll.search}
        value={query}
        onChange={(e) => setQuery(e.target.value)}
      />
      {sequences.length === 0 ? (
        <p className="tl-muted">{enroll.noSequences}</p>
      ) : shown.length === 0 ? (
        <p className="tl-muted" role="status">
          {enroll.noMatch(query)}
        </p>
      ) : (
        <div className="tl-seq-list">
          {shown.map((s) => (
            <label key={s.id} className="tl-seq-option">
              <input
                type="radio"
                name={name}
                value={s.id}
                checked={s.id === selectedId}
                onChange={() => onSelect(s.id)}
              />
              <span>
                <span>{s.name}</span>
                <br />
                <span className="tl-small tl-muted">
                  {common.joined([
                    enroll.summary(s.steps.length, s.steps.filter(isEmail).length),
                    s.lastUsedAt !== undefined ? enroll.lastUsed(s.lastUsedAt, now, timeZone) : undefined,
                  ])}
                </span>
              </span>
            </label>
          ))}
        </div>
      )}
    </fieldset>
  );
}
