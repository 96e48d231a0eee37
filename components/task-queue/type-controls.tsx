import { queue, type CallOutcome } from '../strings';
import { contactName, linkedinHref, telHref, type QueueItem } from './queue-item';
import type { TaskDraft } from './task-draft';

/** What only this kind of task needs: a number to dial and a script, a LinkedIn link. */
export function TypeControls({
  item,
  draft,
  onDraft,
}: {
  item: QueueItem;
  draft: TaskDraft;
  onDraft(draft: TaskDraft): void;
}) {
  const who = contactName(item.contact);
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
