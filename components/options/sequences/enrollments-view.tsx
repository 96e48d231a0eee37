import { useVirtualizer } from '@tanstack/react-virtual';
import Papa from 'papaparse';
import { useEffect, useMemo, useRef, useState } from 'react';
import { csvTable, filterRows, type EnrollmentState } from '../../../lib/options-ports/enrollment-rows';
import { downloadFile } from '../settings/download';
import type {
  EnrollmentAction,
  EnrollmentsPort,
  EnrollmentsView as View,
} from '../../../lib/options-ports/interfaces/enrollments';

const ROW_HEIGHT = 44;
const STATES: { value: EnrollmentState | 'all'; label: string }[] = [
  { value: 'all', label: 'All' },
  { value: 'active', label: 'Active' },
  { value: 'paused', label: 'Paused' },
  { value: 'attention', label: 'Needs attention' },
  { value: 'finished', label: 'Finished' },
  { value: 'unenrolled', label: 'Ended' },
];

const clock = (t: number, zone: string) =>
  new Date(t).toLocaleString('en-GB', {
    weekday: 'short',
    day: 'numeric',
    month: 'short',
    hour: '2-digit',
    minute: '2-digit',
    timeZone: zone,
  });

/**
 * A sequence's Enrollments view (#/sequences/<id>/enrollments): who is where, what the engine does next and
 * when, filters, bulk pause / resume / unenroll (the thread panel's own actions) and move to a step (the
 * runner's rules: live enrollments only, never back over an email sent), CSV export. Virtualised so
 * thousands of enrollments paint at once.
 */
export function EnrollmentsView({ port, sequenceId }: { port: EnrollmentsPort; sequenceId: string }) {
  const [view, setView] = useState<View | null | undefined>();
  const [state, setState] = useState<EnrollmentState | 'all'>('all');
  const [step, setStep] = useState<number | 'all'>('all');
  const [selected, setSelected] = useState<Set<string>>(new Set());
  const [message, setMessage] = useState('');
  const [busy, setBusy] = useState(false);
  const [moveTo, setMoveTo] = useState(0);
  useEffect(() => port.watch(sequenceId, setView, (e) => setMessage(String(e))), [port, sequenceId]);
  const rows = useMemo(() => (view ? filterRows(view.rows, { state, step }) : []), [view, state, step]);
  const scrollRef = useRef<HTMLDivElement>(null);
  const virtualizer = useVirtualizer({
    count: rows.length,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => ROW_HEIGHT,
    overscan: 10,
    initialRect: { width: 1000, height: 600 },
  });
  if (view === undefined) return <p>Loading enrollments…</p>;
  if (view === null) return <p>No such sequence.</p>;
  const zone = view.repZone;
  const chosen = rows.filter((r) => selected.has(r.id)).map((r) => r.id);
  const act = async (action: EnrollmentAction) => {
    if (action === 'unenroll' && !confirm(`Unenroll ${chosen.length}? Nothing more will be sent to them.`))
      return;
    setBusy(true);
    const result = await port.act(chosen, action);
    setBusy(false);
    setSelected(new Set());
    const verb = { pause: 'Paused', resume: 'Resumed', unenroll: 'Unenrolled' }[action];
    setMessage(
      `${verb} ${result.done}.${result.failed.length ? ` ${result.failed.length} failed: ${result.failed[0]!.error}` : ''}`,
    );
  };
  const move = async () => {
    if (!confirm(`Move ${chosen.length} to step ${moveTo + 1}? Its delay counts from now.`)) return;
    setBusy(true);
    const result = await port.move(chosen, moveTo).catch((e: unknown) => ({
      done: 0,
      failed: [{ id: '', error: e instanceof Error ? e.message : String(e) }],
    }));
    setBusy(false);
    setSelected(new Set());
    setMessage(
      `Moved ${result.done} to step ${moveTo + 1}.${result.failed.length ? ` ${result.failed.length} not moved: ${result.failed[0]!.error}` : ''}`,
    );
  };
  const toggle = (id: string) =>
    setSelected((s) => {
      const next = new Set(s);
      if (next.has(id)) next.delete(id);
      else next.add(id);
      return next;
    });

  return (
    <section aria-labelledby="enrollments-title" className="tl-enrollments">
      <p>
        <a href={`#/sequences/${encodeURIComponent(sequenceId)}`}>{`← ${view.sequence.name}`}</a>
      </p>
      <h1 id="enrollments-title">{`Enrollments · ${view.sequence.name}`}</h1>
      <div className="row">
        <label>
          Status
          <select
            value={state}
            // Filters and counts need every row: the first screen of a long list comes before the rest.
            disabled={!view.complete}
            onChange={(e) => setState(e.currentTarget.value as EnrollmentState | 'all')}
          >
            {STATES.map((s) => (
              <option key={s.value} value={s.value}>
                {view.complete
                  ? `${s.label} (${s.value === 'all' ? view.rows.length : view.rows.filter((r) => r.state === s.value).length})`
                  : s.label}
              </option>
            ))}
          </select>
        </label>
        <label>
          Step
          <select
            value={String(step)}
            disabled={!view.complete}
            onChange={(e) => setStep(e.currentTarget.value === 'all' ? 'all' : Number(e.currentTarget.value))}
          >
            <option value="all">Any</option>
            {view.sequence.steps.map((s, i) => (
              <option key={s.id} value={i}>{`Step ${i + 1}`}</option>
            ))}
          </select>
        </label>
        <span className="grow" />
        <button type="button" disabled={busy || !chosen.length} onClick={() => void act('pause')}>
          Pause
        </button>
        <button type="button" disabled={busy || !chosen.length} onClick={() => void act('resume')}>
          Resume
        </button>
        <button type="button" disabled={busy || !chosen.length} onClick={() => void act('unenroll')}>
          Unenroll
        </button>
        <label>
          Move to
          <select value={moveTo} onChange={(e) => setMoveTo(Number(e.currentTarget.value))}>
            {view.sequence.steps.map((s, i) => (
              <option key={s.id} value={i}>{`Step ${i + 1}`}</option>
            ))}
          </select>
        </label>
        <button type="button" disabled={busy || !chosen.length} onClick={() => void move()}>
          Move
        </button>
        <button
          type="button"
          // The CSV carries last activity: it waits until that is read.
          disabled={!view.complete || !view.activityLoaded}
          onClick={() =>
            downloadFile(
              `${view.sequence.name.replace(/[^\w-]+/g, '-')}-enrollments.csv`,
              Papa.unparse(csvTable(rows, zone), { escapeFormulae: true }),
              'text/csv',
            )
          }
        >
          Export CSV
        </button>
      </div>
      <p role="status" data-testid="enrollments-count">
        {view.complete
          ? `${rows.length} of ${view.total} enrollments${chosen.length ? ` · ${chosen.length} selected` : ''}`
          : `Newest ${rows.length} of ${view.total} enrollments, reading the rest…`}
        {message ? ` · ${message}` : ''}
      </p>
      <div role="table" aria-label="Enrollments" aria-rowcount={rows.length + 1} className="tl-vtable">
        <div role="rowgroup">
          <div role="row" aria-rowindex={1} className="tl-erow tl-vhead">
            <span role="columnheader">
              <input
                type="checkbox"
                aria-label="Select every enrollment shown"
                disabled={!view.complete}
                checked={rows.length > 0 && chosen.length === rows.length}
                onChange={(e) =>
                  setSelected(e.currentTarget.checked ? new Set(rows.map((r) => r.id)) : new Set())
                }
              />
            </span>
            <span role="columnheader">Contact</span>
            <span role="columnheader">Status</span>
            <span role="columnheader">Step</span>
            <span role="columnheader">{`Next (your clock, ${zone})`}</span>
            <span role="columnheader">Last activity</span>
          </div>
        </div>
        <div ref={scrollRef} className="tl-vscroll" role="rowgroup" data-testid="enrollments-scroll">
          <div style={{ height: virtualizer.getTotalSize(), position: 'relative' }}>
            {virtualizer.getVirtualItems().map((v) => {
              const r = rows[v.index]!;
              return (
                <div
                  key={r.id}
                  role="row"
                  aria-rowindex={v.index + 2}
                  className="tl-erow"
                  data-testid="enrollment-row"
                  style={{
                    position: 'absolute',
                    top: 0,
                    left: 0,
                    right: 0,
                    height: ROW_HEIGHT,
                    transform: `translateY(${v.start}px)`,
                  }}
                >
                  <span role="cell">
                    <input
                      type="checkbox"
                      aria-label={`Select ${r.name}`}
                      checked={selected.has(r.id)}
                      onChange={() => toggle(r.id)}
                    />
                  </span>
                  <span role="cell" title={r.email}>
                    <a href={`#/contacts/${encodeURIComponent(r.contactId)}`}>{r.name}</a>
                  </span>
                  <span
                    role="cell"
                    className={r.state === 'attention' ? 'tl-status-attention' : undefined}
                    title={r.status}
                  >
                    {r.status}
                  </span>
                  <span role="cell">{r.step}</span>
                  <span
                    role="cell"
                    title={
                      r.nextAt && r.contactZone
                        ? `${clock(r.nextAt, r.contactZone)} for them (${r.contactZone})`
                        : undefined
                    }
                  >
                    {r.next}
                    {r.nextAt !== undefined ? `, ${clock(r.nextAt, zone)}` : ''}
                    {r.nextAt !== undefined && r.contactZone && r.contactZone !== zone ? (
                      <span className="tl-muted">{` · theirs ${clock(r.nextAt, r.contactZone)}`}</span>
                    ) : null}
                  </span>
                  <span role="cell">
                    {r.lastActivity
                      ? `${r.lastActivity.what}, ${clock(r.lastActivity.at, zone)}`
                      : view.activityLoaded
                        ? '—'
                        : '…'}
                  </span>
                </div>
              );
            })}
          </div>
        </div>
      </div>
    </section>
  );
}

export const ENROLLMENTS_CSS = `
.tl-vtable { border: 1px solid var(--line); border-radius: 6px; background: var(--bg); }
.tl-erow { display: grid; grid-template-columns: 40px 1.2fr 2fr 0.9fr 2fr 1.4fr; align-items: center; gap: 8px; padding: 0 8px; border-bottom: 1px solid var(--line); box-sizing: border-box; overflow: hidden; white-space: nowrap; }
.tl-erow > span { overflow: hidden; text-overflow: ellipsis; }
.tl-erow input { min-width: 0; }
.tl-vhead { height: 40px; font-size: 12px; color: var(--muted); }
.tl-vscroll { height: 60vh; overflow: auto; position: relative; }
.tl-status-attention { color: var(--danger); }
.tl-muted { color: var(--muted); }
.tl-seq-views { display: flex; gap: 16px; margin-bottom: 16px; }
.tl-seq-views a[aria-current='page'] { font-weight: 600; color: var(--fg); }
`;
