import { useCallback, useEffect, useMemo, useState, type DragEvent } from 'react';
import type { BoardDeal, DealsBoardView, DealsPort, MoveResult } from '@/lib/options-ports/interfaces/deals';
import { healthOf } from '@/lib/process/evaluate';
import { DEALS_CSS } from './styles';

interface Props {
  port: DealsPort;
}

type Refusal = Extract<MoveResult, { ok: false }> & { dealId: string; toStageId: string };

/** Cards a column shows before "Show more": a column of hundreds is scrolled, not read, and costs the paint. */
export const COLUMN_PAGE = 20;

// One formatter per currency: building an Intl.NumberFormat costs far more than using one (a card each).
const formats = new Map<string, Intl.NumberFormat>();
const money = (deal: BoardDeal['deal']) => {
  if (!deal.amount) return '';
  const { currency, value } = deal.amount;
  let format = formats.get(currency);
  if (!format) {
    format = new Intl.NumberFormat('en', { style: 'currency', currency, maximumFractionDigits: 0 });
    formats.set(currency, format);
  }
  return format.format(value);
};

/** Marks the board's first paint with its deals, for the bench (deals_board_2000_ms). */
function useReadyMark(view: DealsBoardView | undefined) {
  useEffect(() => {
    if (!view) return;
    requestAnimationFrame(() => setTimeout(() => performance.mark('tl-deals-board-ready'), 0));
  }, [view]);
}

/**
 * The Deals board: one column per stage of the chosen pipeline, each deal a card with its flags (red, amber,
 * green as the rules say now). A card moves by dragging it to a column or, from the keyboard, with its
 * "Move" control; either goes through the playbook's gate: a warn gate moves and records the skip, a require
 * gate refuses naming the unmet criteria, and a manager may then override with a reason.
 */
export function DealsBoard({ port }: Props) {
  const [view, setView] = useState<DealsBoardView>();
  const [error, setError] = useState<string>();
  const [pipelineId, setPipelineId] = useState<string>();
  const [rep, setRep] = useState('');
  const [status, setStatus] = useState('');
  const [refusal, setRefusal] = useState<Refusal>();
  const [reason, setReason] = useState('');
  const [moving, setMoving] = useState<string>();
  const [dropTarget, setDropTarget] = useState<string>();
  const [shown, setShown] = useState<Record<string, number>>({});

  const reload = useCallback(
    () =>
      port.load().then(
        (v) => {
          performance.mark('tl-deals-data');
          setView(v);
          setError(undefined);
        },
        (e: unknown) => setError(e instanceof Error ? e.message : String(e)),
      ),
    [port],
  );
  useEffect(() => {
    void reload();
  }, [reload]);
  useReadyMark(view);

  const playbook = useMemo(
    () => view?.playbooks.find((p) => p.pipelineId === pipelineId) ?? view?.playbooks[0],
    [view, pipelineId],
  );
  const reps = useMemo(() => [...new Set(view?.deals.map((d) => d.deal.ownerId) ?? [])].sort(), [view]);
  const columns = useMemo(() => {
    const byStage = new Map<string, BoardDeal[]>(playbook?.stages.map((s) => [s.id, []]) ?? []);
    for (const d of view?.deals ?? []) {
      if (d.deal.pipelineId !== playbook?.pipelineId || (rep && d.deal.ownerId !== rep)) continue;
      byStage.get(d.deal.stageId)?.push(d);
    }
    return byStage;
  }, [view, playbook, rep]);

  async function move(dealId: string, toStageId: string, override?: { reason: string }) {
    const result = await port.move(dealId, toStageId, override);
    if (result.ok) {
      setRefusal(undefined);
      setReason('');
      setStatus(result.message);
      setMoving(undefined);
      await reload();
    } else {
      setStatus('');
      setRefusal({ ...result, dealId, toStageId });
    }
  }

  const onDrop = (stageId: string) => (e: DragEvent) => {
    e.preventDefault();
    setDropTarget(undefined);
    const dealId = e.dataTransfer.getData('text/x-threadline-deal');
    if (dealId) void move(dealId, stageId);
  };

  if (error)
    return (
      <div role="alert">
        <p className="error">{error}</p>
        <button type="button" onClick={() => void reload()}>
          Try again
        </button>
      </div>
    );
  if (!view || !playbook)
    return (
      <p role="status" aria-busy="true">
        Loading deals…
      </p>
    );
  const refusedDeal = refusal && view.deals.find((d) => d.deal.id === refusal.dealId)?.deal;
  return (
    <div className="tld-board-page">
      <style>{DEALS_CSS}</style>
      <h1>Deals</h1>
      <div className="row">
        {view.playbooks.length > 1 && (
          <label>
            Pipeline
            <select value={playbook.pipelineId} onChange={(e) => setPipelineId(e.target.value)}>
              {view.playbooks.map((p) => (
                <option key={p.id} value={p.pipelineId}>
                  {p.name}
                </option>
              ))}
            </select>
          </label>
        )}
        <label>
          Rep
          <select value={rep} onChange={(e) => setRep(e.target.value)}>
            <option value="">Everyone</option>
            {reps.map((r) => (
              <option key={r} value={r}>
                {r === view.me ? `${r} (you)` : r}
              </option>
            ))}
          </select>
        </label>
        <p className="hint grow">
          {playbook.gate === 'require'
            ? 'This pipeline requires each stage’s exit criteria before a deal moves on.'
            : 'Moving past unmet exit criteria is allowed and recorded as a skip.'}
        </p>
      </div>
      <p role="status" className="tld-status">
        {status}
      </p>
      {refusal && (
        <div className="tl-warning" role="alert" data-testid="move-refused">
          <p>
            <strong>{refusedDeal?.name ?? refusal.dealId}</strong> cannot move yet. {refusal.message}
          </p>
          {refusal.unmet.length > 0 && (
            <ul>
              {refusal.unmet.map((u) => (
                <li key={u}>{u}</li>
              ))}
            </ul>
          )}
          {refusal.canOverride ? (
            <form
              className="row"
              onSubmit={(e) => {
                e.preventDefault();
                void move(refusal.dealId, refusal.toStageId, { reason });
              }}
            >
              <label className="grow">
                Reason for the override
                <input value={reason} onChange={(e) => setReason(e.target.value)} required />
              </label>
              <button type="submit" className="primary" disabled={!reason.trim()}>
                Override and move
              </button>
              <button type="button" onClick={() => setRefusal(undefined)}>
                Cancel
              </button>
            </form>
          ) : (
            <p className="hint">Answer the criteria first, or ask your manager to move it.</p>
          )}
        </div>
      )}
      {/* The board scrolls sideways: focusable so the keyboard can scroll it (axe scrollable-region-focusable). */}
      <div className="tld-board" role="list" aria-label={`${playbook.name} stages`} tabIndex={0}>
        {playbook.stages.map((stage) => {
          const cards = columns.get(stage.id) ?? [];
          const limit = shown[stage.id] ?? COLUMN_PAGE;
          return (
            <section
              key={stage.id}
              role="listitem"
              aria-label={`${stage.name}, ${cards.length} deals`}
              className={`tld-column${dropTarget === stage.id ? ' tld-drop' : ''}`}
              data-stage={stage.id}
              onDragOver={(e) => {
                e.preventDefault();
                setDropTarget(stage.id);
              }}
              onDragLeave={() => setDropTarget(undefined)}
              onDrop={onDrop(stage.id)}
            >
              <h2>
                {stage.name} <span className="badge">{cards.length}</span>
              </h2>
              <ul className="tld-cards">
                {cards.slice(0, limit).map(({ deal, flags }) => {
                  const health = healthOf(flags);
                  return (
                    <li
                      key={deal.id}
                      className={`tld-card tld-${health}`}
                      draggable
                      data-deal={deal.id}
                      onDragStart={(e) => {
                        e.dataTransfer.setData('text/x-threadline-deal', deal.id);
                        e.dataTransfer.effectAllowed = 'move';
                      }}
                    >
                      <div className="tld-card-head">
                        <strong>{deal.name}</strong>
                        <span
                          className="tld-health"
                          aria-label={`state ${health}`}
                          title={`state ${health}`}
                        />
                      </div>
                      <div className="hint">
                        {[deal.companyDomain, money(deal), deal.ownerId === view.me ? '' : deal.ownerId]
                          .filter(Boolean)
                          .join(' · ')}
                      </div>
                      {flags.length > 0 && (
                        <ul className="tld-flags" aria-label="Flags">
                          {flags.map((f) => (
                            <li
                              key={f.ruleId}
                              className={`tld-flag tld-${f.severity}`}
                              title={f.because.join('; ')}
                            >
                              {f.message}
                            </li>
                          ))}
                        </ul>
                      )}
                      {moving === deal.id ? (
                        <form
                          className="tld-move"
                          onSubmit={(e) => {
                            e.preventDefault();
                            const to = new FormData(e.currentTarget).get('to');
                            if (typeof to === 'string') void move(deal.id, to);
                          }}
                        >
                          <label>
                            Move {deal.name} to
                            <select
                              name="to"
                              defaultValue={playbook.stages.find((s) => s.id !== deal.stageId)?.id}
                              autoFocus
                            >
                              {playbook.stages
                                .filter((s) => s.id !== deal.stageId)
                                .map((s) => (
                                  <option key={s.id} value={s.id}>
                                    {s.name}
                                  </option>
                                ))}
                            </select>
                          </label>
                          <button type="submit" className="primary">
                            Move
                          </button>
                          <button type="button" onClick={() => setMoving(undefined)}>
                            Cancel
                          </button>
                        </form>
                      ) : (
                        <button
                          type="button"
                          className="tld-move-open"
                          aria-label={`Move ${deal.name}`}
                          onClick={() => setMoving(deal.id)}
                        >
                          Move…
                        </button>
                      )}
                    </li>
                  );
                })}
              </ul>
              {cards.length > limit && (
                <button
                  type="button"
                  className="tld-more"
                  onClick={() => setShown((s) => ({ ...s, [stage.id]: limit + COLUMN_PAGE * 4 }))}
                >
                  Show {Math.min(cards.length - limit, COLUMN_PAGE * 4)} more in {stage.name}
                </button>
              )}
            </section>
          );
        })}
      </div>
    </div>
  );
}
