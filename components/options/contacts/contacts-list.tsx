import { useVirtualizer } from '@tanstack/react-virtual';
import { useDeferredValue, useMemo, useRef, useState } from 'react';
import {
  queryContacts,
  type ContactIndex,
  type ContactQuery,
  type ContactRow,
  type ContactStatus,
  type SortKey,
} from '../../../lib/options-ports/contacts-index';

const STATUS_LABEL: Record<ContactStatus, string> = {
  needs_attention: 'Needs attention',
  in_sequence: 'In a sequence',
  replied: 'Replied',
  bounced: 'Bounced',
  finished: 'Finished',
  none: 'Not enrolled',
};
const COLUMNS: { key: SortKey; label: string }[] = [
  { key: 'name', label: 'Name' },
  { key: 'email', label: 'Email' },
  { key: 'company', label: 'Company' },
  { key: 'status', label: 'Status' },
  { key: 'lastEnrolled', label: 'Last enrolled' },
];
const ROW_HEIGHT = 36;

export type Selection = { kind: 'some'; ids: ReadonlySet<string> } | { kind: 'matching' };

interface Props {
  index: ContactIndex;
  onEnroll(contacts: ContactRow['contact'][]): void;
  onPaste(): void;
}

/** Every contact on this device: search as you type, filters, sortable columns, a virtualised list. */
export function ContactsList({ index, onEnroll, onPaste }: Props) {
  const [text, setText] = useState('');
  const [query, setQuery] = useState<Omit<ContactQuery, 'text'>>({ sort: { key: 'name', dir: 'asc' } });
  const [customKey, setCustomKey] = useState('');
  const [customValue, setCustomValue] = useState('');
  const [selected, setSelected] = useState<Set<string>>(new Set());
  // The input stays responsive while React renders the filtered list at its own pace.
  const deferredText = useDeferredValue(text);
  const matches = useMemo(
    () =>
      queryContacts(index, {
        ...query,
        text: deferredText,
        ...(customKey ? { custom: { key: customKey, value: customValue } } : {}),
      }),
    [index, query, deferredText, customKey, customValue],
  );
  const scrollRef = useRef<HTMLDivElement>(null);
  const virtualizer = useVirtualizer({
    count: matches.length,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => ROW_HEIGHT,
    overscan: 10,
    initialRect: { width: 1000, height: 600 },
  });
  const rows = index.rows;
  const set = (patch: Partial<ContactQuery>) => setQuery((q) => ({ ...q, ...patch }));
  const sortBy = (key: SortKey) =>
    set({ sort: { key, dir: query.sort?.key === key && query.sort.dir === 'asc' ? 'desc' : 'asc' } });
  const toggle = (id: string) =>
    setSelected((s) => {
      const next = new Set(s);
      if (next.has(id)) next.delete(id);
      else next.add(id);
      return next;
    });
  const chosen = () => rows.filter((r) => selected.has(r.contact.id)).map((r) => r.contact);

  return (
    <section aria-labelledby="contacts-title" className="tl-contacts">
      <h1 id="contacts-title">Contacts</h1>
      <div className="row" role="search" aria-label="Find contacts">
        <label>
          Search
          <input
            type="search"
            value={text}
            placeholder="Name, email or company"
            onChange={(e) => setText(e.currentTarget.value)}
          />
        </label>
        <label>
          Company or domain
          <input value={query.company ?? ''} onChange={(e) => set({ company: e.currentTarget.value })} />
        </label>
        <label>
          Owner
          <select value={query.owner ?? ''} onChange={(e) => set({ owner: e.currentTarget.value })}>
            <option value="">Anyone</option>
            {index.owners.map((o) => (
              <option key={o} value={o}>
                {o}
              </option>
            ))}
          </select>
        </label>
        <label>
          Sequence
          <select
            value={query.sequence ?? 'any'}
            onChange={(e) => set({ sequence: e.currentTarget.value as ContactQuery['sequence'] })}
          >
            <option value="any">Any</option>
            <option value="in_sequence">In a sequence</option>
            <option value="not_in_sequence">Not in a sequence</option>
            <option value="replied">Finished with a reply</option>
            <option value="bounced">Bounced</option>
          </select>
        </label>
        <label>
          Do-not-contact
          <select
            value={query.doNotContact ?? 'any'}
            onChange={(e) => set({ doNotContact: e.currentTarget.value as ContactQuery['doNotContact'] })}
          >
            <option value="any">Any</option>
            <option value="no">Not listed</option>
            <option value="yes">Listed</option>
          </select>
        </label>
        <label>
          Custom field
          <select value={customKey} onChange={(e) => setCustomKey(e.currentTarget.value)}>
            <option value="">None</option>
            {index.customKeys.map((k) => (
              <option key={k} value={k}>
                {k}
              </option>
            ))}
          </select>
        </label>
        {customKey && (
          <label>
            {`${customKey} contains`}
            <input value={customValue} onChange={(e) => setCustomValue(e.currentTarget.value)} />
          </label>
        )}
      </div>
      <div className="row tl-contacts-actions">
        <p role="status" data-testid="contacts-count" className="grow">
          {`${matches.length.toLocaleString('en')} of ${rows.length.toLocaleString('en')} contacts`}
          {selected.size ? ` · ${selected.size} selected` : ''}
        </p>
        <button type="button" disabled={!selected.size} onClick={() => onEnroll(chosen())}>
          {selected.size ? `Enroll ${selected.size} selected` : 'Enroll selected'}
        </button>
        <button
          type="button"
          disabled={!matches.length}
          onClick={() => onEnroll(matches.slice(0, 1000).map((i) => rows[i]!.contact))}
        >
          {`Enroll all ${Math.min(matches.length, 1000).toLocaleString('en')} matching`}
        </button>
        <button type="button" onClick={onPaste}>
          Enroll pasted addresses
        </button>
        {selected.size > 0 && (
          <button type="button" onClick={() => setSelected(new Set())}>
            Clear selection
          </button>
        )}
      </div>
      <div role="table" aria-label="Contacts" aria-rowcount={matches.length + 1} className="tl-vtable">
        <div role="rowgroup">
          <div role="row" aria-rowindex={1} className="tl-vrow tl-vhead">
            <span role="columnheader" className="tl-vcheck">
              <input
                type="checkbox"
                aria-label="Select every contact shown (up to 1,000)"
                checked={
                  matches.length > 0 && matches.slice(0, 1000).every((i) => selected.has(rows[i]!.contact.id))
                }
                onChange={(e) => {
                  const on = e.currentTarget.checked;
                  setSelected(
                    on ? new Set(matches.slice(0, 1000).map((i) => rows[i]!.contact.id)) : new Set(),
                  );
                }}
              />
            </span>
            {COLUMNS.map((c) => (
              <span
                key={c.key}
                role="columnheader"
                aria-sort={
                  query.sort?.key === c.key
                    ? query.sort.dir === 'asc'
                      ? 'ascending'
                      : 'descending'
                    : undefined
                }
              >
                <button type="button" className="tl-sort" onClick={() => sortBy(c.key)}>
                  {c.label}
                  <span aria-hidden="true">
                    {query.sort?.key === c.key ? (query.sort.dir === 'asc' ? ' ▲' : ' ▼') : ''}
                  </span>
                </button>
              </span>
            ))}
          </div>
        </div>
        <div ref={scrollRef} className="tl-vscroll" role="rowgroup" data-testid="contacts-scroll">
          <div style={{ height: virtualizer.getTotalSize(), position: 'relative' }}>
            {virtualizer.getVirtualItems().map((v) => {
              const row = rows[matches[v.index]!]!;
              const c = row.contact;
              return (
                <div
                  key={c.id}
                  role="row"
                  aria-rowindex={v.index + 2}
                  className="tl-vrow"
                  data-testid="contact-row"
                  style={{
                    position: 'absolute',
                    top: 0,
                    left: 0,
                    right: 0,
                    height: ROW_HEIGHT,
                    transform: `translateY(${v.start}px)`,
                  }}
                >
                  <span role="cell" className="tl-vcheck">
                    <input
                      type="checkbox"
                      aria-label={`Select ${row.name}`}
                      checked={selected.has(c.id)}
                      onChange={() => toggle(c.id)}
                    />
                  </span>
                  <span role="cell">
                    <a href={`#/contacts/${encodeURIComponent(c.id)}`}>{row.name}</a>
                  </span>
                  <span role="cell">{c.email}</span>
                  <span role="cell">{c.company ?? ''}</span>
                  <span role="cell">
                    {STATUS_LABEL[row.status]}
                    {row.doNotContact ? ' · do-not-contact' : ''}
                    {row.sequences.length ? ` · ${row.sequences.join(', ')}` : ''}
                  </span>
                  <span role="cell">
                    {row.lastEnrolledAt ? new Date(row.lastEnrolledAt).toLocaleDateString('en-GB') : ''}
                  </span>
                </div>
              );
            })}
          </div>
        </div>
      </div>
      {matches.length === 0 && <p className="hint">No contact matches.</p>}
    </section>
  );
}

export const CONTACTS_CSS = `
.tl-contacts h1 { margin-bottom: 12px; }
.tl-contacts-actions p { margin: 0; }
.tl-vtable { border: 1px solid var(--line); border-radius: 6px; background: var(--bg); }
.tl-vrow { display: grid; grid-template-columns: 40px 1.2fr 1.6fr 1fr 1.6fr 0.8fr; align-items: center; gap: 8px; padding: 0 8px; border-bottom: 1px solid var(--line); box-sizing: border-box; overflow: hidden; white-space: nowrap; }
.tl-vrow > span { overflow: hidden; text-overflow: ellipsis; }
.tl-vhead { height: 40px; font-size: 12px; color: var(--muted); }
.tl-vscroll { height: 60vh; overflow: auto; position: relative; }
.tl-vcheck input { min-width: 0; }
button.tl-sort { border: 0; background: none; color: var(--muted); padding: 4px 0; font-weight: 500; }
.tl-contact dl { display: grid; grid-template-columns: max-content 1fr; gap: 6px 16px; }
.tl-fields { display: grid; grid-template-columns: repeat(auto-fill, minmax(220px, 1fr)); gap: 12px; margin-bottom: 12px; }
.tl-fields input { min-width: 0; }
ol.tl-timeline { list-style: none; padding: 0; margin: 0; }
ol.tl-timeline li { padding: 6px 0; border-top: 1px solid var(--line); display: grid; grid-template-columns: 150px 1fr; gap: 12px; }
.tl-muted { color: var(--muted); }
.tl-bulk fieldset { border: 1px solid var(--line); border-radius: 6px; margin: 0 0 12px; padding: 8px 12px; }
.tl-bulk textarea { width: 100%; min-height: 100px; font: inherit; box-sizing: border-box; }
.tl-status-attention { color: var(--danger); }
`;
