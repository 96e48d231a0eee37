import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { analyticsCsv, type CsvView } from '@/lib/analytics/csv';
import type { Analytics } from '@/lib/analytics/funnel';
import { AbTestsView } from './ab-tests-view';
import { AdherenceView } from './adherence-view';
import { DailyView } from './daily-view';
import { downloadCsv } from './download';
import { FilterBar } from './filter-bar';
import { FunnelView } from './funnel-view';
import { KpiStrip } from './kpi-strip';
import { labelsOf } from './labels';
import { RepsView } from './reps-view';
import { datesOf, DEFAULT_ROUTE, filterOf, parseRoute, routeHash, type AnalyticsRoute } from './route';
import type { AnalyticsCatalog, AnalyticsSource } from '../../../lib/options-ports/interfaces/analytics';
import { StepsView } from './steps-view';
import { S } from './strings';
import { ANALYTICS_CSS } from './styles';

interface Props {
  source: AnalyticsSource;
  /** The route after `#/analytics`. */
  rest: string[];
  navigate: (hash: string) => void;
  now?: () => number;
  download?: (filename: string, csv: string) => void;
}

type Loaded<T> = { state: 'loading' } | { state: 'error'; message: string } | { state: 'ready'; value: T };

const messageOf = (error: unknown) => (error instanceof Error ? error.message : String(error));

/** Nothing in the range at all: no enrollment, email, signal or task. */
const isEmpty = (a: Analytics) =>
  a.bySequence.length === 0 && a.byRep.length === 0 && a.taskAdherence.length === 0;

/**
 * Marks when the numbers arrive and when the page showing them has painted and is free again, for
 * tools/bench/ui.ts (`analytics_render_ms`).
 */
function useReadyMark(analytics: Analytics | undefined) {
  useEffect(() => {
    if (!analytics) return;
    let cancelled = false;
    requestAnimationFrame(() =>
      setTimeout(() => {
        if (!cancelled) performance.mark('tl-analytics-ready');
      }, 0),
    );
    return () => {
      cancelled = true;
    };
  }, [analytics]);
}

/**
 * The Analytics page: filters in the hash, then the funnel, steps, reps, daily trend, A/B tests and task
 * adherence of what the filters select. The numbers come whole from the source (lib/analytics locally, the
 * backend for a team); this page only lays them out.
 */
export function AnalyticsPage({ source, rest, navigate, now = Date.now, download = downloadCsv }: Props) {
  const route = useMemo(() => parseRoute(rest), [rest]);
  const [catalog, setCatalog] = useState<Loaded<AnalyticsCatalog>>({ state: 'loading' });
  const [result, setResult] = useState<Loaded<Analytics>>({ state: 'loading' });
  const [shown, setShown] = useState<Analytics>();
  const [catalogAttempt, setCatalogAttempt] = useState(0);
  const [attempt, setAttempt] = useState(0);
  const request = useRef(0);

  useEffect(() => {
    let live = true;
    setCatalog({ state: 'loading' });
    source.catalog().then(
      (value) => live && setCatalog({ state: 'ready', value }),
      (error: unknown) => live && setCatalog({ state: 'error', message: messageOf(error) }),
    );
    return () => {
      live = false;
    };
  }, [source, catalogAttempt]);

  const ready = catalog.state === 'ready' ? catalog.value : undefined;
  const timeZone = ready?.timeZone;
  // Minutes are enough for "today": the filter does not move with every render.
  const minute = Math.floor(now() / 60_000);
  const filter = useMemo(
    () => (timeZone ? filterOf(route, minute * 60_000, timeZone) : undefined),
    [route, minute, timeZone],
  );
  const filterKey = JSON.stringify(filter);

  useEffect(() => {
    if (!filter || !ready?.hasData) return;
    const id = ++request.current;
    setResult({ state: 'loading' });
    source.load(filter).then(
      (value) => {
        if (id !== request.current) return;
        performance.mark('tl-analytics-data');
        setResult({ state: 'ready', value });
        setShown(value);
      },
      (error: unknown) => id === request.current && setResult({ state: 'error', message: messageOf(error) }),
    );
    // eslint-disable-next-line react-hooks/exhaustive-deps -- filterKey stands for filter: a new object for the same filter must not load again.
  }, [source, filterKey, ready, attempt]);

  useReadyMark(shown);
  const labels = useMemo(() => (ready ? labelsOf(ready) : undefined), [ready]);
  const go = useCallback((next: AnalyticsRoute) => navigate(routeHash(next)), [navigate]);
  const retry = () =>
    catalog.state === 'error' ? setCatalogAttempt((n) => n + 1) : setAttempt((n) => n + 1);

  const dates = ready ? datesOf(route, minute * 60_000, ready.timeZone) : undefined;
  const range = dates ? `${dates.first}_${dates.last}` : '';
  const exporter = (view: CsvView, name: string) => () =>
    shown &&
    labels &&
    download(`threadline-${name}-${range}.csv`, analyticsCsv(shown, view, { sequenceName: labels.sequence }));

  const error =
    catalog.state === 'error' ? catalog.message : result.state === 'error' ? result.message : null;
  let body;
  if (error !== null) {
    body = (
      <div className="tla-state" role="alert">
        <h2>{S.errorTitle}</h2>
        <p className="error">{error}</p>
        <button type="button" className="primary" onClick={retry}>
          {S.retry}
        </button>
      </div>
    );
  } else if (ready && !ready.hasData) {
    body = (
      <div className="tla-state" data-testid="analytics-no-data">
        <h2>{S.noDataTitle}</h2>
        <p className="hint">{S.noDataHint}</p>
      </div>
    );
  } else if (!shown || !labels) {
    body = (
      <div className="tla-state" role="status" aria-busy="true">
        <p>{S.loading}</p>
      </div>
    );
  } else if (isEmpty(shown)) {
    const narrowed = !!(route.sequenceId || route.mailbox || route.step) || route.days === null;
    body = (
      <div className="tla-state" data-testid="analytics-nothing">
        {narrowed || route.days === null ? (
          <>
            <h2>{S.nothingMatchesTitle}</h2>
            <p className="hint">{S.nothingMatchesHint}</p>
            <button type="button" className="primary" onClick={() => go(DEFAULT_ROUTE)}>
              {S.clearFilters}
            </button>
          </>
        ) : (
          <>
            <h2>{S.nothingInRangeTitle(route.days)}</h2>
            <p className="hint">{S.nothingInRangeHint}</p>
            {route.days < 90 && (
              <button type="button" className="primary" onClick={() => go({ ...route, days: 90 })}>
                {S.showLonger}
              </button>
            )}
          </>
        )}
      </div>
    );
  } else {
    body = (
      <div className="tla-views">
        <KpiStrip analytics={shown} />
        <FunnelView analytics={shown} labels={labels} onExport={exporter('funnel', 'funnel')} />
        <DailyView analytics={shown} onExport={exporter('daily', 'daily')} />
        <StepsView analytics={shown} labels={labels} onExport={exporter('steps', 'steps')} />
        <RepsView analytics={shown} labels={labels} onExport={exporter('reps', 'reps')} />
        <AbTestsView analytics={shown} labels={labels} onExport={exporter('abTests', 'ab-tests')} />
        <AdherenceView analytics={shown} labels={labels} onExport={exporter('tasks', 'tasks')} />
      </div>
    );
  }

  return (
    <div className="tla-page" aria-busy={result.state === 'loading' && !!shown}>
      <style>{ANALYTICS_CSS}</style>
      <div className="tla-title">
        <h1>{S.title}</h1>
        {ready && <p className="hint">{ready.scope === 'team' ? S.scopeTeam : S.scopeOwn}</p>}
      </div>
      {ready && ready.hasData && dates && (
        <>
          <FilterBar route={route} catalog={ready} dates={dates} onChange={go} />
          <p className="tla-range hint">
            {S.rangeSummary(dates.first, dates.last, ready.timeZone)}
            {result.state === 'loading' && shown && <span role="status"> · {S.updated}</span>}
          </p>
        </>
      )}
      {body}
    </div>
  );
}
