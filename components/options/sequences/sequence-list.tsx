import { useId, useMemo, useState } from 'react';
import type { Rep } from '../../../lib/domain/rep';
import type { SequenceSummary } from '../../../lib/options-ports/interfaces/sequences';
import { s } from './strings';

export interface ListProps {
  rows: readonly SequenceSummary[] | undefined;
  rep: Rep | undefined;
  onCreate(): void;
  onDuplicate(row: SequenceSummary): void;
  onArchive(row: SequenceSummary, archived: boolean): void;
  onShare(row: SequenceSummary, sharing: 'team' | 'private'): void;
}

/** Every sequence: search, owner, sharing, live enrollments, reply and meeting rates, and the row actions. */
export function SequenceList({ rows, rep, onCreate, onDuplicate, onArchive, onShare }: ListProps) {
  const id = useId();
  const [query, setQuery] = useState('');
  const [showArchived, setShowArchived] = useState(false);
  const visible = useMemo(() => {
    const q = query.trim().toLowerCase();
    return (rows ?? []).filter(
      (r) => (showArchived || !r.sequence.archived) && (!q || r.sequence.name.toLowerCase().includes(q)),
    );
  }, [rows, query, showArchived]);
  const hasAny = (rows ?? []).length > 0;

  return (
    <div className="tl-seq-list">
      <div className="tl-seq-bar">
        <h1>{s.pageTitle}</h1>
        <span className="grow" />
        <button type="button" className="primary" onClick={onCreate}>
          + {s.newSequence}
        </button>
      </div>
      {rows === undefined ? (
        <p className="tl-seq-hint">{s.loading}</p>
      ) : !hasAny ? (
        <section className="tl-seq-empty" data-testid="sequences-empty">
          <h2>{s.emptyTitle}</h2>
          <p className="hint">{s.emptyBody}</p>
          <button type="button" className="primary" onClick={onCreate}>
            {s.emptyTitle}
          </button>
        </section>
      ) : (
        <>
          <div className="tl-seq-filters">
            <label htmlFor={`${id}-q`} className="tl-seq-inline">
              {s.search}
            </label>
            <input id={`${id}-q`} type="search" value={query} onChange={(e) => setQuery(e.target.value)} />
            <label className="tl-seq-check">
              <input
                type="checkbox"
                checked={showArchived}
                onChange={(e) => setShowArchived(e.target.checked)}
              />
              {s.showArchived}
            </label>
          </div>
          {visible.length === 0 ? (
            <p className="tl-seq-hint">{s.noMatch(query)}</p>
          ) : (
            <table className="tl-seq-table tl-seq-table--list" data-testid="sequences-table">
              <thead>
                <tr>
                  <th scope="col">{s.colName}</th>
                  <th scope="col">{s.colOwner}</th>
                  <th scope="col">{s.colSharing}</th>
                  <th scope="col" className="num">
                    {s.colActive}
                  </th>
                  <th scope="col" className="num">
                    {s.colReply}
                  </th>
                  <th scope="col" className="num">
                    {s.colMeeting}
                  </th>
                  <th scope="col">
                    <span className="tl-seq-sr">{s.colActions}</span>
                  </th>
                </tr>
              </thead>
              <tbody>
                {visible.map((row) => {
                  const { sequence: q } = row;
                  const mine = !rep || q.ownerId === rep.email;
                  return (
                    <tr
                      key={q.id}
                      data-testid="sequence-row"
                      className={q.archived ? 'tl-seq-archived' : undefined}
                    >
                      <th scope="row">
                        <a href={`#/sequences/${encodeURIComponent(q.id)}`}>{q.name}</a>
                        <span className="tl-seq-hint tl-seq-block">
                          {s.stepsCount(q.steps.length)}
                          {q.archived && <span className="badge tl-seq-archived-badge">{s.archived}</span>}
                        </span>
                      </th>
                      <td>{mine ? s.you : q.ownerId.includes('@') ? q.ownerId : s.teammate}</td>
                      <td>
                        <span className={`tl-seq-badge${q.sharing === 'team' ? ' tl-seq-badge--team' : ''}`}>
                          {q.sharing === 'team' ? s.team : s.private}
                        </span>
                      </td>
                      <td className="num">{row.activeEnrollments}</td>
                      <td className="num" title={s.rateTitle(row.reached)}>
                        {s.rate(row.replyRate)}
                      </td>
                      <td className="num" title={s.rateTitle(row.reached)}>
                        {s.rate(row.meetingRate)}
                      </td>
                      <td className="tl-seq-row-actions">
                        {mine && (
                          <button
                            type="button"
                            aria-label={
                              q.sharing === 'team' ? s.makePrivate(q.name) : s.shareWithTeam(q.name)
                            }
                            onClick={() => onShare(row, q.sharing === 'team' ? 'private' : 'team')}
                          >
                            {q.sharing === 'team' ? s.privateLabel : s.shareLabel}
                          </button>
                        )}
                        <button
                          type="button"
                          aria-label={s.duplicateOf(q.name)}
                          onClick={() => onDuplicate(row)}
                        >
                          {s.duplicate}
                        </button>
                        {mine && (
                          <button
                            type="button"
                            aria-label={q.archived ? s.unarchiveOf(q.name) : s.archiveOf(q.name)}
                            onClick={() => onArchive(row, !q.archived)}
                          >
                            {q.archived ? s.unarchive : s.archive}
                          </button>
                        )}
                      </td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
          )}
        </>
      )}
    </div>
  );
}
