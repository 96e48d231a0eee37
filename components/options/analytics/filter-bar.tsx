import { useEffect, useId, useState } from 'react';
import { DEFAULT_ROUTE, PRESETS, hasFilters, type AnalyticsRoute, type Preset } from './route';
import { stepKind } from './labels';
import type { AnalyticsCatalog } from '../../../lib/options-ports/interfaces/analytics';
import { S } from './strings';

interface Props {
  route: AnalyticsRoute;
  catalog: AnalyticsCatalog;
  /** The dates the route covers, both included (for the custom range's inputs). */
  dates: { first: string; last: string };
  onChange: (route: AnalyticsRoute) => void;
}

/** Date range, sequence, rep and step; every change becomes a new hash, so a view can be bookmarked. */
export function FilterBar({ route, catalog, dates, onChange }: Props) {
  const id = useId();
  const [custom, setCustom] = useState(route.days === null);
  const [from, setFrom] = useState(dates.first);
  const [to, setTo] = useState(dates.last);
  useEffect(() => {
    setCustom(route.days === null);
    setFrom(dates.first);
    setTo(dates.last);
  }, [route.days, dates.first, dates.last]);

  const sequence = catalog.sequences.find((s) => s.id === route.sequenceId);
  const stepCount = sequence
    ? sequence.steps.length
    : Math.max(0, route.step ?? 0, ...catalog.sequences.map((s) => s.steps.length));
  const set = (patch: Partial<AnalyticsRoute>) => onChange({ ...route, ...patch });
  const without = (key: keyof AnalyticsRoute) => {
    const next = { ...route };
    delete next[key];
    return next;
  };

  return (
    <form
      className="tla-filters"
      aria-label={S.filters}
      onSubmit={(e) => {
        e.preventDefault();
        if (from && to && from <= to) onChange({ ...route, days: null, from, to });
      }}
    >
      <div className="tla-field">
        <label htmlFor={`${id}-range`}>{S.range}</label>
        <select
          id={`${id}-range`}
          value={custom ? 'custom' : String(route.days)}
          onChange={(e) => {
            if (e.target.value === 'custom') return setCustom(true);
            const next = { ...route, days: Number(e.target.value) as Preset };
            delete next.from;
            delete next.to;
            onChange(next);
          }}
        >
          {PRESETS.map((n) => (
            <option key={n} value={n}>
              {S.lastDays(n)}
            </option>
          ))}
          <option value="custom">{S.custom}</option>
        </select>
      </div>
      {custom && (
        <>
          <div className="tla-field">
            <label htmlFor={`${id}-from`}>{S.from}</label>
            <input
              id={`${id}-from`}
              type="date"
              value={from}
              max={to}
              required
              onChange={(e) => setFrom(e.target.value)}
            />
          </div>
          <div className="tla-field">
            <label htmlFor={`${id}-to`}>{S.to}</label>
            <input
              id={`${id}-to`}
              type="date"
              value={to}
              min={from}
              required
              onChange={(e) => setTo(e.target.value)}
            />
          </div>
          <button type="submit" className="primary">
            {S.apply}
          </button>
        </>
      )}
      <div className="tla-field">
        <label htmlFor={`${id}-sequence`}>{S.sequence}</label>
        <select
          id={`${id}-sequence`}
          value={route.sequenceId ?? ''}
          onChange={(e) =>
            onChange(e.target.value ? { ...route, sequenceId: e.target.value } : without('sequenceId'))
          }
        >
          <option value="">{S.allSequences}</option>
          {catalog.sequences.map((s) => (
            <option key={s.id} value={s.id}>
              {s.name}
            </option>
          ))}
          {route.sequenceId && !sequence && <option value={route.sequenceId}>{route.sequenceId}</option>}
        </select>
      </div>
      <div className="tla-field">
        <label htmlFor={`${id}-rep`}>{S.rep}</label>
        <select
          id={`${id}-rep`}
          value={route.mailbox ?? ''}
          onChange={(e) =>
            onChange(e.target.value ? { ...route, mailbox: e.target.value } : without('mailbox'))
          }
        >
          <option value="">{S.allReps}</option>
          {catalog.reps.map((r) => (
            <option key={r.mailbox} value={r.mailbox}>
              {r.name ? `${r.name} (${r.mailbox})` : r.mailbox}
            </option>
          ))}
          {route.mailbox && !catalog.reps.some((r) => r.mailbox === route.mailbox) && (
            <option value={route.mailbox}>{route.mailbox}</option>
          )}
        </select>
      </div>
      <div className="tla-field">
        <label htmlFor={`${id}-step`}>{S.step}</label>
        <select
          id={`${id}-step`}
          value={route.step ?? ''}
          onChange={(e) =>
            e.target.value ? set({ step: Number(e.target.value) }) : onChange(without('step'))
          }
        >
          <option value="">{S.allSteps}</option>
          {Array.from({ length: stepCount }, (_, i) => (
            <option key={i} value={i + 1}>
              {sequence ? `${S.stepN(i + 1)} · ${stepKind(sequence.steps[i]!)}` : S.stepN(i + 1)}
            </option>
          ))}
        </select>
      </div>
      {hasFilters(route) && (
        <button type="button" onClick={() => onChange(DEFAULT_ROUTE)}>
          {S.clearFilters}
        </button>
      )}
    </form>
  );
}
