import { useId } from 'react';
import { queue } from '../strings';
import { startOfToday } from '../time';
import { contactName, type QueueItem } from './queue-item';
import { Reschedule, SnoozeChoices } from './snooze-reschedule';
import { completion, type TaskActions, type TaskDraft } from './task-draft';
import { TypeControls } from './type-controls';

export { completion, emptyDraft, type TaskActions, type TaskDraft } from './task-draft';

interface Props extends TaskActions {
  item: QueueItem;
  draft: TaskDraft;
  onDraft(draft: TaskDraft): void;
  now: number;
  repTimeZone: string;
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
      <TypeControls item={item} draft={draft} onDraft={onDraft} />
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
