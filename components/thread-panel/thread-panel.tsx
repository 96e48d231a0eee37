import { useId, useMemo, useState } from 'react';
import { panel, common } from '../strings';
import { canEnroll, type Participant } from './participant-state';
import { ParticipantRow, type ParticipantActions } from './participant-row';

export type { Participant, ParticipantState } from './participant-state';

export interface ThreadPanelProps extends ParticipantActions {
  participants: Participant[];
  now: number;
  repTimeZone: string;
}

/** The thread sidebar: where each external person of the opened thread stands, and what the rep can do. */
export function ThreadPanel({ participants, now, repTimeZone, ...actions }: ThreadPanelProps) {
  const [selected, setSelected] = useState<ReadonlySet<string>>(new Set());
  const headingId = useId();
  const hintId = useId();
  const enrollable = useMemo(
    () => participants.filter((p) => canEnroll(p.state)).map((p) => p.email),
    [participants],
  );
  // A selection survives re-renders only for people who can still be enrolled.
  const chosen = enrollable.filter((email) => selected.has(email));

  const toggle = (email: string, on: boolean) =>
    setSelected((prev) => {
      const next = new Set(prev);
      if (on) next.add(email);
      else next.delete(email);
      return next;
    });

  return (
    <section className="tl-root" aria-labelledby={headingId}>
      <h2 id={headingId}>{panel.heading}</h2>
      {participants.length === 0 ? (
        <p className="tl-muted">{panel.empty}</p>
      ) : (
        <ul className="tl-list">
          {participants.map((p) => (
            <ParticipantRow
              key={p.email}
              participant={p}
              selected={selected.has(p.email)}
              onSelect={(on) => toggle(p.email, on)}
              now={now}
              repTimeZone={repTimeZone}
              {...actions}
            />
          ))}
        </ul>
      )}
      {enrollable.length > 1 && (
        <div className="tl-footer tl-stack">
          <p className="tl-small tl-muted" id={hintId}>
            {panel.selectHint}
          </p>
          <div className="tl-row">
            <button
              type="button"
              className="tl-button tl-button--primary"
              disabled={chosen.length === 0}
              aria-describedby={hintId}
              onClick={() => {
                actions.onEnroll(chosen);
                setSelected(new Set());
              }}
            >
              {panel.enrollSelected(chosen.length)}
            </button>
          </div>
        </div>
      )}
      <p className="tl-small tl-muted tl-section">{common.timeZoneNote(repTimeZone)}</p>
    </section>
  );
}
