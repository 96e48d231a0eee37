import { useId, useState } from 'react';
import type {
  FactDefIn as FactDefinition,
  FactValueIn as FactValue,
} from '../../lib/protocol/deals-received';
import { dealText } from './deal-strings';

export interface FactFieldProps {
  def: FactDefinition;
  value: FactValue | undefined;
  contacts: { contactId: string; email: string; name?: string }[];
  onAnswer(value: FactValue | null): void;
  /** Set on the field the Next step asks for, so "Answer" lands in it. */
  inputId?: string;
}

/** One fact's inline answer field, typed by the playbook's definition. */
export function FactField({ def, value, contacts, onAnswer, inputId }: FactFieldProps) {
  const ownId = useId();
  const id = inputId ?? ownId;
  const initial =
    value === undefined ? '' : value.type === 'money' ? String(value.value.value) : String(value.value);
  const [draft, setDraft] = useState(initial);
  const [currency, setCurrency] = useState(value?.type === 'money' ? value.value.currency : 'EUR');
  const label = (
    <label className="tl-small" htmlFor={id}>
      {def.label}
    </label>
  );

  if (def.type === 'yes_no')
    return (
      <span className="tl-row">
        <input
          id={id}
          type="checkbox"
          className="tl-check"
          checked={value?.type === 'yes_no' && value.value}
          onChange={(e) => onAnswer({ type: 'yes_no', value: e.currentTarget.checked })}
        />
        {label}
      </span>
    );
  if (def.type === 'choice' || def.type === 'contact') {
    const options =
      def.type === 'choice'
        ? (def.choices ?? []).map((c) => ({ value: c, label: c }))
        : contacts.map((c) => ({ value: c.contactId, label: c.name ?? c.email }));
    return (
      <span className="tl-stack">
        {label}
        <select
          id={id}
          className="tl-select"
          value={value && (value.type === 'choice' || value.type === 'contact') ? value.value : ''}
          onChange={(e) => {
            const v = e.currentTarget.value;
            onAnswer(v ? ({ type: def.type, value: v } as FactValue) : null);
          }}
        >
          <option value="">—</option>
          {options.map((o) => (
            <option key={o.value} value={o.value}>
              {o.label}
            </option>
          ))}
        </select>
      </span>
    );
  }

  const toValue = (): FactValue | null => {
    const text = draft.trim();
    if (!text) return null;
    switch (def.type) {
      case 'number':
        return { type: 'number', value: Number(text) };
      case 'money':
        return { type: 'money', value: { value: Number(text), currency } };
      case 'date':
        return { type: 'date', value: text };
      default:
        return { type: 'text', value: text };
    }
  };
  return (
    <form
      className="tl-stack"
      onSubmit={(e) => {
        e.preventDefault();
        onAnswer(toValue());
      }}
    >
      {label}
      <span className="tl-row">
        <input
          id={id}
          className="tl-input"
          type={
            def.type === 'number' || def.type === 'money' ? 'number' : def.type === 'date' ? 'date' : 'text'
          }
          value={draft}
          onChange={(e) => setDraft(e.currentTarget.value)}
        />
        {def.type === 'money' && (
          <input
            aria-label={`${def.label}: currency`}
            className="tl-input"
            size={4}
            maxLength={3}
            value={currency}
            onChange={(e) => setCurrency(e.currentTarget.value.toUpperCase())}
          />
        )}
        <button type="submit" className="tl-button tl-button--small">
          {dealText.save}
        </button>
      </span>
    </form>
  );
}
