import { useEffect, useRef, useState, type KeyboardEvent } from 'react';
import { queue } from '../strings';
import type { QueueItem } from './queue-item';
import { TaskCard, completion, emptyDraft, type TaskActions, type TaskDraft } from './task-card';

type Outcome = keyof typeof queue.doneInQueue;

interface Props extends TaskActions {
  /** The task ids of the run, fixed when it starts so completed tasks vanishing from `items` do not shift it. */
  ids: readonly string[];
  items: ReadonlyMap<string, QueueItem>;
  drafts: Readonly<Record<string, TaskDraft>>;
  onDraft(taskId: string, draft: TaskDraft): void;
  now: number;
  repTimeZone: string;
  onExit(): void;
  /** Take focus on start, so the shortcuts work at once (off for the gallery). */
  autoFocus?: boolean;
}

const isTyping = (el: EventTarget) =>
  el instanceof HTMLElement && (el.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(el.tagName));

/** "Start queue": today's tasks one after another, driven from the keyboard (shortcuts on screen). */
export function QueueMode({
  ids,
  items,
  drafts,
  onDraft,
  now,
  repTimeZone,
  onExit,
  autoFocus = true,
  ...a
}: Props) {
  const [pos, setPos] = useState(0);
  const [done, setDone] = useState<Record<string, Outcome>>({});
  const rootRef = useRef<HTMLElement>(null);
  useEffect(() => {
    if (autoFocus) rootRef.current?.focus();
  }, [autoFocus]);

  const nextOpen = (from: number, handled: Record<string, Outcome>) => {
    for (let i = from + 1; i < ids.length; i++) if (!handled[ids[i]!] && items.has(ids[i]!)) return i;
    return ids.length;
  };
  const finished = pos >= ids.length;
  const id = ids[pos];
  // A task already handled in this run stays visible when stepping back, but is not acted on twice.
  const item = id === undefined ? undefined : items.get(id);
  const actionable = item && !done[item.task.id] ? item : undefined;

  const handle = (outcome: Outcome) => {
    if (id === undefined) return;
    const handled = { ...done, [id]: outcome };
    setDone(handled);
    setPos(nextOpen(pos, handled));
    rootRef.current?.focus();
  };
  const actions: TaskActions = {
    onComplete: (taskId, o) => {
      a.onComplete(taskId, o);
      handle('completed');
    },
    onSkip: (taskId) => {
      a.onSkip(taskId);
      handle('skipped');
    },
    onSnooze: (taskId, until) => {
      a.onSnooze(taskId, until);
      handle('snoozed');
    },
    onReschedule: (taskId, at) => {
      a.onReschedule(taskId, at);
      handle('rescheduled');
    },
    // Sending the opened email completes the task elsewhere; the run moves on meanwhile.
    onOpenEmail: (taskId) => {
      a.onOpenEmail(taskId);
      handle('opened');
    },
  };

  const onKeyDown = (e: KeyboardEvent) => {
    if (e.key === 'Escape') {
      e.preventDefault();
      onExit();
      return;
    }
    if (isTyping(e.target) || e.ctrlKey || e.metaKey || e.altKey) return;
    const key = e.key.toLowerCase();
    if (key === 'n') setPos((p) => Math.min(p + 1, ids.length));
    else if (key === 'p') setPos((p) => Math.max(p - 1, 0));
    else if (key === 'c' && actionable) {
      if (actionable.task.type === 'manual_email') actions.onOpenEmail(actionable.task.id);
      else
        actions.onComplete(
          actionable.task.id,
          completion(actionable, drafts[actionable.task.id] ?? emptyDraft),
        );
    } else if (key === 's' && actionable) actions.onSkip(actionable.task.id);
    else return;
    e.preventDefault();
  };

  const primary = item?.task.type === 'manual_email' ? queue.shortcut.openEmail : queue.shortcut.complete;
  const shortcuts: [string, string][] = [
    ['C', primary],
    ['S', queue.shortcut.skip],
    ['N', queue.shortcut.next],
    ['P', queue.shortcut.previous],
    ['Esc', queue.shortcut.exit],
  ];

  return (
    <section
      className="tl-stack"
      aria-label={queue.queueHeading}
      tabIndex={-1}
      ref={rootRef}
      onKeyDown={onKeyDown}
    >
      <div className="tl-spread">
        <h2>{queue.queueHeading}</h2>
        <button type="button" className="tl-button" onClick={onExit} aria-keyshortcuts="Escape">
          {queue.exit}
        </button>
      </div>
      {finished ? (
        <p role="status">{queue.queueDone(Object.keys(done).length)}</p>
      ) : (
        <>
          <div className="tl-spread">
            <p role="status">{queue.position(pos, ids.length)}</p>
            <div className="tl-row">
              <button
                type="button"
                className="tl-button tl-button--small"
                disabled={pos === 0}
                onClick={() => setPos(pos - 1)}
              >
                {queue.previous}
              </button>
              <button type="button" className="tl-button tl-button--small" onClick={() => setPos(pos + 1)}>
                {queue.next}
              </button>
            </div>
          </div>
          {id && done[id] && <p className="tl-badge">{queue.doneInQueue[done[id]]}</p>}
          {item ? (
            <TaskCard
              item={item}
              draft={drafts[item.task.id] ?? emptyDraft}
              onDraft={(d) => onDraft(item.task.id, d)}
              now={now}
              repTimeZone={repTimeZone}
              {...actions}
            />
          ) : (
            <p className="tl-muted">{queue.noLongerOpen}</p>
          )}
        </>
      )}
      <div>
        <h3 className="tl-small tl-muted">{queue.shortcuts}</h3>
        <ul className="tl-shortcuts tl-small">
          {shortcuts.map(([key, what]) => (
            <li key={key}>
              <kbd className="tl-kbd">{key}</kbd> {what}
            </li>
          ))}
        </ul>
      </div>
    </section>
  );
}
