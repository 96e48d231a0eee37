import { useEffect, useState } from 'react';
import type { Condition, ConditionValue, FactDefinition } from '@/lib/domain/playbook';
import { valueInputOf, valueTypeOf } from './rule-builder-model';

/** The rule builder's value inputs, one per kind of value (rule-builder-model `valueInputOf`). */

export type Describe = { 'aria-invalid'?: boolean; 'aria-describedby'?: string };

/** A number input whose empty or unreadable text leaves the value unset (named as missing, not guessed). */
export function NumberInput({
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

export function ValueInput({
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
