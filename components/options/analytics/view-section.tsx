import { useId, useState, type ReactNode } from 'react';
import { S } from './strings';

interface Props {
  id: string;
  title: string;
  hint: string;
  /** The chart; sections without one show their table only. */
  chart?: ReactNode;
  table: ReactNode;
  /** Exports what the table shows (every column of it), as lib/analytics/csv.ts writes it. */
  onExport: () => void;
  children?: ReactNode;
}

/** One card of the analytics page: a title, a hint, Chart/Table switch and a CSV export. */
export function ViewSection({ id, title, hint, chart, table, onExport, children }: Props) {
  const [view, setView] = useState<'chart' | 'table'>(chart ? 'chart' : 'table');
  const headingId = useId();
  return (
    <section className="tla-section" aria-labelledby={headingId} data-testid={`view-${id}`}>
      <div className="tla-section-head">
        <div className="grow">
          <h2 id={headingId}>{title}</h2>
          <p className="hint">{hint}</p>
        </div>
        {chart && (
          <div className="tla-toggle" role="group" aria-label={S.viewAs(title)}>
            <button type="button" aria-pressed={view === 'chart'} onClick={() => setView('chart')}>
              {S.chart}
            </button>
            <button type="button" aria-pressed={view === 'table'} onClick={() => setView('table')}>
              {S.table}
            </button>
          </div>
        )}
        <button type="button" onClick={onExport}>
          {S.exportCsv}
          <span className="tla-sr"> ({title})</span>
        </button>
      </div>
      {children}
      {view === 'chart' && chart ? chart : table}
    </section>
  );
}
