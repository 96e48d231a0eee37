import { useMemo, useState, type ReactNode } from 'react';
import { S } from './strings';

export interface Column<R> {
  key: string;
  label: string;
  /** A definition shown as a tooltip on the header. */
  title?: string;
  numeric?: boolean;
  /** What the column sorts by. */
  value: (row: R) => number | string | null;
  /** How a cell reads; the value itself when absent. */
  render?: (row: R) => ReactNode;
}

interface Props<R> {
  caption: string;
  columns: Column<R>[];
  rows: readonly R[];
  rowKey: (row: R) => string;
  /** Rows after the sorted, paginated ones (a totals row). */
  footer?: R;
  pageSize?: number;
}

type Sort = { key: string; dir: 'ascending' | 'descending' } | null;

function compare(a: number | string | null, b: number | string | null): number {
  if (a === b) return 0;
  if (a === null) return 1; // "no data" sorts last either way round
  if (b === null) return -1;
  return a < b ? -1 : 1;
}

/**
 * A sortable table, paginated so that a team of a hundred reps or two hundred steps renders a page at a time.
 * The first click on a number column sorts it high to low, as a leaderboard reads.
 */
export function DataTable<R>({ caption, columns, rows, rowKey, footer, pageSize = 20 }: Props<R>) {
  const [sort, setSort] = useState<Sort>(null);
  const [page, setPage] = useState(0);
  const sorted = useMemo(() => {
    if (!sort) return rows;
    const column = columns.find((c) => c.key === sort.key);
    if (!column) return rows;
    const sign = sort.dir === 'ascending' ? 1 : -1;
    return [...rows].sort((a, b) => {
      const va = column.value(a);
      const vb = column.value(b);
      if (va === null || vb === null) return compare(va, vb);
      return sign * compare(va, vb);
    });
  }, [rows, columns, sort]);
  const pages = Math.max(1, Math.ceil(sorted.length / pageSize));
  const current = Math.min(page, pages - 1);
  const shown = sorted.slice(current * pageSize, (current + 1) * pageSize);

  const toggle = (column: Column<R>) => {
    setPage(0);
    setSort((s) => {
      const first = column.numeric ? 'descending' : 'ascending';
      if (s?.key !== column.key) return { key: column.key, dir: first };
      return { key: column.key, dir: s.dir === 'ascending' ? 'descending' : 'ascending' };
    });
  };
  const cell = (column: Column<R>, row: R) => (column.render ? column.render(row) : column.value(row));

  return (
    <>
      <div className="tla-scroll" role="region" aria-label={S.scrollTable(caption)} tabIndex={0}>
        <table className="tla-table">
          <caption className="tla-sr">{caption}</caption>
          <thead>
            <tr>
              {columns.map((c) => (
                <th
                  key={c.key}
                  scope="col"
                  className={c.numeric ? 'num' : undefined}
                  aria-sort={sort?.key === c.key ? sort.dir : undefined}
                >
                  <button type="button" className="tla-sort" title={c.title} onClick={() => toggle(c)}>
                    {c.label}
                    <span aria-hidden="true" className="tla-sort-mark">
                      {sort?.key === c.key ? (sort.dir === 'ascending' ? '▲' : '▼') : ''}
                    </span>
                  </button>
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {shown.length === 0 && (
              <tr>
                <td colSpan={columns.length} className="tla-muted">
                  {S.emptyTable}
                </td>
              </tr>
            )}
            {shown.map((row) => (
              <tr key={rowKey(row)}>
                {columns.map((c, i) =>
                  i === 0 ? (
                    <th key={c.key} scope="row">
                      {cell(c, row)}
                    </th>
                  ) : (
                    <td key={c.key} className={c.numeric ? 'num' : undefined}>
                      {cell(c, row)}
                    </td>
                  ),
                )}
              </tr>
            ))}
          </tbody>
          {footer && (
            <tfoot>
              <tr>
                {columns.map((c, i) =>
                  i === 0 ? (
                    <th key={c.key} scope="row">
                      {cell(c, footer)}
                    </th>
                  ) : (
                    <td key={c.key} className={c.numeric ? 'num' : undefined}>
                      {cell(c, footer)}
                    </td>
                  ),
                )}
              </tr>
            </tfoot>
          )}
        </table>
      </div>
      {pages > 1 && (
        <nav className="tla-pager" aria-label={caption}>
          <span aria-live="polite">
            {S.rowsOf(current * pageSize + 1, current * pageSize + shown.length, sorted.length)}
          </span>
          <button type="button" disabled={current === 0} onClick={() => setPage(current - 1)}>
            {S.previous}
          </button>
          <button type="button" disabled={current >= pages - 1} onClick={() => setPage(current + 1)}>
            {S.next}
          </button>
        </nav>
      )}
    </>
  );
}
