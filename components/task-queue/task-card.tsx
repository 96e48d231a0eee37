import { useId } from 'react';
import { queue, type CallOutcome } from '../strings';
import { fromLocalInput, snoozeOptions, startOfToday, toLocalInput } from '../time';
import { contactName, linkedinHref, telHref, type QueueItem } from './queue-item';

export interface TaskDraft {
  outcome: CallOutcome | '';
  notes: string;
  open?: 'snooze' | 'reschedule';
  rescheduleAt?: string;
}
export const emptyDraft: TaskDraft = { outcome: '', notes: '' };

export interface TaskActions {
  onComplete(taskId: string, outcome?: { outcome?: string; notes?: string }): void;
  onSkip(taskId: string): void;
  onSnooze(taskId: string, until: number): void;
  onReschedule(taskId: string, dueAt: number): void;
  onOpenEmail(taskId: string): void;
}

interface Props extends TaskActions {
  item: QueueItem;
  draft: TaskDraft;
  onDraft(draft: TaskDraft): void;
  now: number;
  repTimeZone: string;
}

/** What a completed call sends back: the outcome and notes when the rep gave them. */
export function completion(
  item: QueueItem,
  draft: TaskDraft,
): { outcome?: string; notes?: string } | undefined {
  if (item.task.type !== 'call') return undefined;
  const notes = draft.notes.trim();
  if (!draft.outcome && !notes) return undefined;
  return { ...(draft.outcome ? { outcome: draft.outcome } : {}), ...(notes ? { notes } : {}) };
}

/** One task with everything needed to do it without leaving the queue. */
export function TaskCard({ item, draft, onDraft, now, repTimeZone, ...a }: Props) {
  const { task, contact } = item;
  const titleId = useId();
  const who = contactName(contact);
  const label = (action: string) => queue.actionFor(action, who);
  const late = task.dueAt < startOfToday(now, repTimeZone) || task.dueAt < now;
  const toggle = (panel: 'snooze' | 'reschedule') =>
    onDraft({ ...draft, open: draft.open === panel ? undefined : panel });

  return (
    <article
      className="tl-card tl-task tl-stack"
      aria-labelledby={titleId}
      data-task-id={task.id}
      tabIndex={-1}
    >
      <div className="tl-spread">
        <h3 className="tl-task__title" id={titleId}>
          {queue.taskLabel(task.type, who)}
        </h3>
        {task.priority === 'high' && <span className="tl-badge tl-badge--high">{queue.priorityHigh}</span>}
      </div>
      <div className="tl-task__meta">
        {contact.company && <div>{contact.company}</div>}
        <div>{queue.sequenceStep(item.sequenceName, item.stepLabel)}</div>
        <div className={late ? 'tl-task__overdue' : undefined}>{queue.due(task.dueAt, now, repTimeZone)}</div>
      </div>
      {task.title && <p>{task.title}</p>}
      {task.notes && <p className="tl-task__notes">{task.notes}</p>}
      <TypeControls item={item} draft={draft} onDraft={onDraft} who={who} />
      <div className="tl-row">
        {task.type === 'manual_email' ? (
          <button
            type="button"
            className="tl-button tl-button--primary"
            aria-label={label(queue.openEmail)}
            onClick={() => a.onOpenEmail(task.id)}
          >
            {queue.openEmail}
          </button>
        ) : (
          <button
            type="button"
            className="tl-button tl-button--primary"
            aria-label={label(queue.complete)}
            onClick={() => a.onComplete(task.id, completion(item, draft))}
          >
            {queue.complete}
          </button>
        )}
        <button
          type="button"
          className="tl-button"
          aria-label={label(queue.skip)}
          onClick={() => a.onSkip(task.id)}
        >
          {queue.skip}
        </button>
        <button
          type="button"
          className="tl-button"
          aria-label={label(queue.snooze)}
          aria-expanded={draft.open === 'snooze'}
          onClick={() => toggle('snooze')}
        >
          {queue.snooze}
        </button>
        <button
          type="button"
          className="tl-button"
          aria-label={label(queue.reschedule)}
          aria-expanded={draft.open === 'reschedule'}
          onClick={() => toggle('reschedule')}
        >
          {queue.reschedule}
        </button>
      </div>
      {draft.open === 'snooze' && (
        <SnoozeChoices taskId={task.id} now={now} repTimeZone={repTimeZone} who={who} onSnooze={a.onSnooze} />
      )}
      {draft.open === 'reschedule' && (
        <Reschedule
          item={item}
          draft={draft}
          onDraft={onDraft}
          now={now}
          repTimeZone={repTimeZone}
          onReschedule={a.onReschedule}
        />
      )}
    </article>
  );
}

function TypeControls({
  item,
  draft,
  onDraft,
  who,
}: Pick<Props, 'item' | 'draft' | 'onDraft'> & { who: string }) {
  const { task, contact } = item;
  switch (task.type) {
    case 'call':
      return (
        <div className="tl-stack">
          {contact.phone ? (
            <a className="tl-link" href={telHref(contact.phone)}>
              {queue.call(contact.phone)}
            </a>
          ) : (
            <p className="tl-muted">{queue.noPhone}</p>
          )}
          {item.callScript && (
            <details>
              <summary>{queue.callScript}</summary>
              <p className="tl-task__notes">{item.callScript}</p>
            </details>
          )}
          <label className="tl-label">
            {queue.outcome}
            <select
              className="tl-select"
              value={draft.outcome}
              onChange={(e) => onDraft({ ...draft, outcome: e.target.value as TaskDraft['outcome'] })}
            >
              <option value="">{queue.chooseOutcome}</option>
              {(Object.keys(queue.outcomes) as CallOutcome[]).map((o) => (
                <option key={o} value={o}>
                  {queue.outcomes[o]}
                </option>
              ))}
            </select>
          </label>
          <label className="tl-label">
            {queue.callNotes}
            <textarea
              className="tl-textarea"
              rows={3}
              value={draft.notes}
              onChange={(e) => onDraft({ ...draft, notes: e.target.value })}
            />
          </label>
        </div>
      );
    case 'linkedin': {
      const { href, isProfile } = linkedinHref(item);
      return (
        <a className="tl-link" href={href} target="_blank" rel="noopener noreferrer">
          {isProfile
            ? queue.openProfile
            : queue.searchLinkedIn([who, contact.company].filter(Boolean).join(', '))}
        </a>
      );
    }
    case 'manual_email':
    case 'todo':
      return null;
  }
}

function SnoozeChoices({
  taskId,
  now,
  repTimeZone,
  who,
  onSnooze,
}: {
  taskId: string;
  now: number;
  repTimeZone: string;
  who: string;
  onSnooze: TaskActions['onSnooze'];
}) {
  const o = snoozeOptions(now, repTimeZone);
  return (
    <div className="tl-row" role="group" aria-label={queue.actionFor(queue.snooze, who)}>
      <button
        type="button"
        className="tl-button tl-button--small"
        onClick={() => onSnooze(taskId, o.oneHour)}
      >
        {queue.snoozeHour}
      </button>
      <button
        type="button"
        className="tl-button tl-button--small"
        onClick={() => onSnooze(taskId, o.tomorrowMorning)}
      >
        {queue.snoozeTomorrow}
      </button>
      <button
        type="button"
        className="tl-button tl-button--small"
        onClick={() => onSnooze(taskId, o.nextMondayMorning)}
      >
        {queue.snoozeMonday}
      </button>
    </div>
  );
}

function Reschedule({
  item,
  draft,
  onDraft,
  now,
  repTimeZone,
  onReschedule,
}: Pick<Props, 'item' | 'draft' | 'onDraft' | 'now' | 'repTimeZone' | 'onReschedule'>) {
  const inputId = useId();
  const initial = item.task.dueAt > now ? item.task.dueAt : snoozeOptions(now, repTimeZone).tomorrowMorning;
  const value = draft.rescheduleAt ?? toLocalInput(initial, repTimeZone);
  const at = fromLocalInput(value, repTimeZone);
  return (
    <div className="tl-row">
      <label className="tl-label" htmlFor={inputId}>
        {queue.rescheduleTo(repTimeZone)}
      </label>
      <input
        id={inputId}
        type="datetime-local"
        className="tl-input"
        value={value}
        onChange={(e) => onDraft({ ...draft, rescheduleAt: e.target.value })}
      />
      <button
        type="button"
        className="tl-button tl-button--small tl-button--primary"
        disabled={at === undefined}
        onClick={() => at !== undefined && onReschedule(item.task.id, at)}
      >
        {queue.save}
      </button>
    </div>
  );
}
