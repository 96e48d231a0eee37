import { useId } from 'react';
import { queue } from '../strings';
import { fromLocalInput, snoozeOptions, toLocalInput } from '../time';
import type { QueueItem } from './queue-item';
import type { TaskActions, TaskDraft } from './task-draft';

/** Snooze targets on the rep's clock: in an hour, tomorrow 9:00, next Monday 9:00. */
export function SnoozeChoices({
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

/** A new due time typed on the rep's clock. */
export function Reschedule({
  item,
  draft,
  onDraft,
  now,
  repTimeZone,
  onReschedule,
}: {
  item: QueueItem;
  draft: TaskDraft;
  onDraft(draft: TaskDraft): void;
  now: number;
  repTimeZone: string;
  onReschedule: TaskActions['onReschedule'];
}) {
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
