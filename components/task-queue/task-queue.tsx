import {
  measureElement,
  observeElementRect,
  useVirtualizer,
  type Rect,
  type Virtualizer,
} from '@tanstack/react-virtual';
import { useCallback, useEffect, useId, useMemo, useRef, useState } from 'react';
import { queue, type TaskType } from '../strings';
import { common } from '../strings';
import { SECTIONS, groupTasks, matches, type Filters, type QueueItem, type SectionName } from './queue-item';
import { QueueMode } from './queue-mode';
import { queueLoad } from './strings';
import { TaskCard, emptyDraft, type TaskActions, type TaskDraft } from './task-card';

export type { QueueItem } from './queue-item';

export interface TaskQueueProps extends TaskActions {
  tasks: QueueItem[];
  now: number;
  repTimeZone: string;
  /**
   * The first screen while the whole queue loads: `tasks` holds only the first open tasks by due time, and
   * these are the background's counts of every open task per section. Filters and the one-by-one run wait
   * for the whole queue.
   */
  partial?: Record<SectionName, number>;
}

type Row =
  | { kind: 'header'; section: SectionName; count: number }
  | { kind: 'empty'; section: SectionName }
  | { kind: 'task'; item: QueueItem };

// Virtualisers measure 0 where there is no layout (happy-dom, a hidden side panel): assume a panel-sized
// viewport and estimated rows then, so the first rows always render.
const FALLBACK_RECT: Rect = { width: 360, height: 900 };
const TASK_SIZE: Record<TaskType, number> = { call: 300, linkedin: 190, manual_email: 170, todo: 170 };
const estimate = (row: Row | undefined) =>
  row?.kind === 'task' ? TASK_SIZE[row.item.task.type] : row?.kind === 'header' ? 40 : 32;

/** The daily task queue: overdue, today and upcoming, filtered, virtualised, with a one-by-one "start queue" mode. */
export function TaskQueue({ tasks, now, repTimeZone, partial, ...actions }: TaskQueueProps) {
  const titleId = useId();
  const [filters, setFilters] = useState<Filters>({ type: 'all', sequenceId: 'all' });
  const [drafts, setDrafts] = useState<Record<string, TaskDraft>>({});
  const [run, setRun] = useState<readonly string[] | null>(null);
  const startRef = useRef<HTMLButtonElement>(null);
  const scrollRef = useRef<HTMLDivElement>(null);

  const sections = useMemo(
    () => groupTasks(tasks, filters, now, repTimeZone),
    [tasks, filters, now, repTimeZone],
  );
  const byId = useMemo(() => new Map(tasks.map((t) => [t.task.id, t])), [tasks]);
  const sequences = useMemo(() => {
    const names = new Map<string, string>();
    for (const t of tasks) names.set(t.task.sequenceId, t.sequenceName);
    return [...names].sort((a, b) => a[1].localeCompare(b[1]));
  }, [tasks]);
  const typeCounts = useMemo(() => {
    const open = tasks.filter((t) => t.task.status === 'open' && matches(t, { ...filters, type: 'all' }));
    return (type: TaskType) => open.filter((t) => t.task.type === type).length;
  }, [tasks, filters]);
  const runIds = useMemo(() => [...sections.overdue, ...sections.today].map((t) => t.task.id), [sections]);

  const count = useCallback((s: SectionName) => partial?.[s] ?? sections[s].length, [partial, sections]);
  const rows = useMemo(() => {
    const out: Row[] = [];
    for (const section of SECTIONS) {
      out.push({ kind: 'header', section, count: count(section) });
      if (count(section) === 0) out.push({ kind: 'empty', section });
      for (const item of sections[section]) out.push({ kind: 'task', item });
    }
    return out;
  }, [sections, count]);

  const setDraft = useCallback((id: string, d: TaskDraft) => setDrafts((prev) => ({ ...prev, [id]: d })), []);

  // When a task leaves the list (completed, skipped, snoozed away), keyboard focus moves to the task that
  // followed it instead of falling back to the top of the page.
  const focusAfter = useRef<{ gone: string; next?: string } | null>(null);
  const listActions = useMemo<TaskActions>(() => {
    const remember = (taskId: string) => {
      const ids = rows.flatMap((r) => (r.kind === 'task' ? [r.item.task.id] : []));
      const i = ids.indexOf(taskId);
      focusAfter.current = { gone: taskId, next: ids[i + 1] ?? ids[i - 1] };
    };
    return {
      onComplete: (id, outcome) => (remember(id), actions.onComplete(id, outcome)),
      onSkip: (id) => (remember(id), actions.onSkip(id)),
      onSnooze: (id, until) => (remember(id), actions.onSnooze(id, until)),
      onReschedule: (id, at) => (remember(id), actions.onReschedule(id, at)),
      onOpenEmail: actions.onOpenEmail,
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps -- the callbacks themselves, not the object holding them.
  }, [rows, actions.onComplete, actions.onSkip, actions.onSnooze, actions.onReschedule, actions.onOpenEmail]);

  const virtualizer = useVirtualizer<HTMLDivElement, HTMLDivElement>({
    count: rows.length,
    getScrollElement: () => scrollRef.current,
    estimateSize: (i) => estimate(rows[i]),
    getItemKey: (i) => {
      const row = rows[i]!;
      return row.kind === 'task' ? row.item.task.id : `${row.kind}:${row.section}`;
    },
    overscan: 4,
    initialRect: FALLBACK_RECT,
    observeElementRect: (instance: Virtualizer<HTMLDivElement, HTMLDivElement>, cb: (rect: Rect) => void) =>
      observeElementRect(instance, (rect) => cb(rect.height > 0 ? rect : FALLBACK_RECT)),
    measureElement: (el, entry, instance) => {
      const size = measureElement(el, entry, instance);
      return size > 0 ? size : estimate(rows[Number(el.getAttribute('data-index'))]);
    },
  });

  useEffect(() => {
    const pending = focusAfter.current;
    if (!pending || rows.some((r) => r.kind === 'task' && r.item.task.id === pending.gone)) return;
    focusAfter.current = null;
    if (!pending.next) return;
    const index = rows.findIndex((r) => r.kind === 'task' && r.item.task.id === pending.next);
    if (index < 0) return;
    virtualizer.scrollToIndex(index);
    requestAnimationFrame(() =>
      scrollRef.current?.querySelector<HTMLElement>(`[data-task-id="${CSS.escape(pending.next!)}"]`)?.focus(),
    );
  });

  if (run) {
    return (
      <section className="tl-root" aria-labelledby={titleId}>
        <h2 id={titleId} className="tl-visually-hidden">
          {queue.title}
        </h2>
        <QueueMode
          ids={run}
          items={byId}
          drafts={drafts}
          onDraft={setDraft}
          now={now}
          repTimeZone={repTimeZone}
          onExit={() => {
            setRun(null);
            // Back where the rep started the run.
            requestAnimationFrame(() => startRef.current?.focus());
          }}
          {...actions}
        />
      </section>
    );
  }

  const total = SECTIONS.reduce((n, s) => n + count(s), 0);
  const shown = SECTIONS.reduce((n, s) => n + sections[s].length, 0);
  const runCount = partial ? partial.overdue + partial.today : runIds.length;

  return (
    <section className="tl-root tl-queue tl-stack" aria-labelledby={titleId}>
      <div className="tl-spread">
        <h2 id={titleId}>{queue.title}</h2>
        <button
          ref={startRef}
          type="button"
          className="tl-button tl-button--primary"
          disabled={runCount === 0 || !!partial}
          title={partial ? queueLoad.waitForAll : undefined}
          onClick={() => setRun(runIds)}
        >
          {runCount ? queue.startQueue(runCount) : queue.startQueueNone}
        </button>
      </div>
      <div className="tl-row">
        <label className="tl-label">
          {queue.filterType}
          <select
            className="tl-select"
            disabled={!!partial}
            value={filters.type}
            onChange={(e) => setFilters({ ...filters, type: e.target.value as Filters['type'] })}
          >
            <option value="all">{queue.allTypes}</option>
            {(Object.keys(queue.typePlural) as TaskType[]).map((type) => (
              <option key={type} value={type}>
                {partial ? queue.typePlural[type] : `${queue.typePlural[type]} (${typeCounts(type)})`}
              </option>
            ))}
          </select>
        </label>
        <label className="tl-label">
          {queue.filterSequence}
          <select
            className="tl-select"
            disabled={!!partial}
            value={filters.sequenceId}
            onChange={(e) => setFilters({ ...filters, sequenceId: e.target.value })}
          >
            <option value="all">{queue.allSequences}</option>
            {sequences.map(([id, name]) => (
              <option key={id} value={id}>
                {name}
              </option>
            ))}
          </select>
        </label>
      </div>
      <nav className="tl-row" aria-label={queue.jumpTo}>
        {SECTIONS.map((section) => (
          <button
            key={section}
            type="button"
            className="tl-button tl-button--small"
            onClick={() =>
              virtualizer.scrollToIndex(
                rows.findIndex((r) => r.kind === 'header' && r.section === section),
                { align: 'start' },
              )
            }
          >
            {queue.sectionHeading(queue.sections[section], count(section))}
          </button>
        ))}
      </nav>
      <p className="tl-small tl-muted">{common.timeZoneNote(repTimeZone)}</p>
      {partial && shown < total && (
        <p className="tl-small tl-muted" role="status">
          {queueLoad.rest(shown, total)}
        </p>
      )}
      {total === 0 && (
        <p role="status">{tasks.some((t) => t.task.status === 'open') ? queue.emptyFiltered : queue.empty}</p>
      )}
      <div className="tl-queue__scroll" ref={scrollRef} data-testid="queue-scroll">
        <div className="tl-queue__inner" style={{ height: virtualizer.getTotalSize() }}>
          {virtualizer.getVirtualItems().map((v) => {
            const row = rows[v.index]!;
            return (
              <div
                key={v.key}
                data-index={v.index}
                ref={virtualizer.measureElement}
                className="tl-queue__row"
                style={{ transform: `translateY(${v.start}px)` }}
              >
                {row.kind === 'header' ? (
                  <h3 className="tl-queue__header">
                    {queue.sectionHeading(queue.sections[row.section], row.count)}
                  </h3>
                ) : row.kind === 'empty' ? (
                  <p className="tl-small tl-muted tl-queue__empty">{queue.sectionEmpty}</p>
                ) : (
                  <TaskCard
                    item={row.item}
                    draft={drafts[row.item.task.id] ?? emptyDraft}
                    onDraft={(d) => setDraft(row.item.task.id, d)}
                    now={now}
                    repTimeZone={repTimeZone}
                    {...listActions}
                  />
                )}
              </div>
            );
          })}
        </div>
      </div>
    </section>
  );
}
