import { useId, useState } from 'react';
import { s } from './strings';

/** `{{contact.firstName}}` or `{{contact.firstName | "there"}}` (a quote in the fallback is escaped). */
export function tokenText(token: string, fallback: string): string {
  const f = fallback.trim();
  return f ? `{{${token} | "${f.replace(/["\\]/g, (c) => `\\${c}`)}"}}` : `{{${token}}}`;
}

export const tokenLabel = (token: string) =>
  s.tokenLabels[token] ?? (token.startsWith('custom.') ? s.customField(token.slice(7)) : token);

/** Picks a token and an optional fallback, and hands the text to insert at the cursor of the target field. */
export function TokenPicker({
  tokens,
  target,
  onInsert,
}: {
  tokens: readonly string[];
  /** The field it inserts into ("Subject", "Body"). */
  target: string;
  onInsert(text: string): void;
}) {
  const id = useId();
  const [token, setToken] = useState(tokens[0] ?? 'contact.firstName');
  const [fallback, setFallback] = useState('');
  return (
    <fieldset className="tl-seq-tokens">
      <legend>{s.tokens}</legend>
      <label htmlFor={`${id}-token`}>
        {s.token}
        <select id={`${id}-token`} value={token} onChange={(e) => setToken(e.target.value)}>
          {tokens.map((t) => (
            <option key={t} value={t}>
              {tokenLabel(t)}
            </option>
          ))}
        </select>
      </label>
      <label htmlFor={`${id}-fallback`}>
        {s.fallback}
        <input
          id={`${id}-fallback`}
          value={fallback}
          placeholder="there"
          onChange={(e) => setFallback(e.target.value)}
        />
      </label>
      <button
        type="button"
        onMouseDown={(e) => e.preventDefault()}
        onClick={() => onInsert(tokenText(token, fallback))}
        aria-describedby={`${id}-hint`}
      >
        {s.insertToken}
      </button>
      <p id={`${id}-hint`} className="tl-seq-hint">
        {s.insertInto(target)}
      </p>
    </fieldset>
  );
}
