import { useEffect, useId, useRef, useState } from 'react';
import { common, panel } from '../strings';
import type { Participant, ParticipantState } from './participant-state';
import { canEnroll } from './participant-state';

export interface ParticipantActions {
  onEnroll(emails: string[]): void;
  onPause(enrollmentId: string): void;
  onResume(enrollmentId: string): void;
  onUnenroll(enrollmentId: string): void;
  onMarkMeeting(enrollmentId: string): void;
  onSendNow(enrollmentId: string): void;
}

interface Props extends ParticipantActions {
  participant: Participant;
  selected: boolean;
  onSelect(selected: boolean): void;
  now: number;
  repTimeZone: string;
}

export function ParticipantRow({ participant, selected, onSelect, now, repTimeZone, ...actions }: Props) {
  const { state, email } = participant;
  const name = participant.name?.trim() || email;
  const nameId = useId();
  const enrollable = canEnroll(state);

  return (
    <li className="tl-participant" aria-labelledby={nameId}>
      <div>
        {enrollable && (
          <input
            type="checkbox"
            checked={selected}
            onChange={(e) => onSelect(e.target.checked)}
            aria-label={panel.select(name)}
          />
        )}
      </div>
      <div className="tl-participant__body">
        <div className="tl-spread">
          <div>
            <div className="tl-participant__name" id={nameId}>
              {name}
            </div>
            {participant.name && <div className="tl-participant__email">{email}</div>}
          </div>
          <span className={`tl-badge tl-badge--${state.kind === 'not_enrolled' ? 'none' : state.kind}`}>
            {panel.status[state.kind]}
          </span>
        </div>
        <StateLine state={state} now={now} repTimeZone={repTimeZone} />
        <Actions state={state} name={name} email={email} enrollable={enrollable} {...actions} />
      </div>
    </li>
  );
}

function StateLine({
  state,
  now,
  repTimeZone,
}: {
  state: ParticipantState;
  now: number;
  repTimeZone: string;
}) {
  switch (state.kind) {
    case 'not_enrolled':
      return <p className="tl-muted">{panel.notEnrolled}</p>;
    case 'active': {
      const [n, m] = [state.stepIndex + 1, state.stepCount];
      const next = state.waitingForTask
        ? panel.nextWaiting(state.stepType, n, m)
        : state.nextAt !== undefined
          ? panel.next(state.stepType, n, m, state.nextAt, now, repTimeZone)
          : panel.nextUnscheduled(state.stepType, n, m);
      return (
        <>
          <p>{state.sequenceName}</p>
          <p className="tl-muted">{next}</p>
        </>
      );
    }
    case 'paused': {
      const why =
        state.reason === 'out_of_office'
          ? panel.paused.out_of_office(state.until, now, repTimeZone)
          : panel.paused[state.reason]();
      return (
        <>
          <p>{state.sequenceName}</p>
          <p className="tl-muted">
            {common.joined([why, panel.pausedAt(state.stepType, state.stepIndex + 1, state.stepCount)])}
          </p>
          {(state.attention?.detail ?? state.detail) && (
            <p className="tl-detail">{state.attention?.detail ?? state.detail}</p>
          )}
          {state.attention?.openUrl && (
            <p>
              <a href={state.attention.openUrl} target="_top" rel="noreferrer">
                {state.attention.kind === 'challenge' ? 'Open the verification request' : 'Open the message'}
              </a>
            </p>
          )}
        </>
      );
    }
    case 'finished':
      return (
        <>
          <p>{state.sequenceName}</p>
          <p className="tl-muted">{panel.finished(state.endedAt, now, repTimeZone)}</p>
        </>
      );
    case 'unenrolled':
      return (
        <>
          <p>{state.sequenceName}</p>
          <p className="tl-muted">
            {common.joined([
              panel.unenrolled[state.reason],
              state.endedAt !== undefined ? panel.endedOn(state.endedAt, now, repTimeZone) : undefined,
            ])}
          </p>
          {state.detail && <p className="tl-detail">{state.detail}</p>}
        </>
      );
  }
}

function Actions({
  state,
  name,
  email,
  enrollable,
  ...a
}: ParticipantActions & { state: ParticipantState; name: string; email: string; enrollable: boolean }) {
  const [confirming, setConfirming] = useState(false);
  const unenrollRef = useRef<HTMLButtonElement>(null);
  const wasConfirming = useRef(false);
  // Keyboard users land back on "Unenroll" after choosing "Keep", not at the top of the page.
  useEffect(() => {
    if (!confirming && wasConfirming.current) unenrollRef.current?.focus();
    wasConfirming.current = confirming;
  }, [confirming]);
  const label = (action: string) => panel.actionLabel(action, name);

  if (enrollable) {
    return (
      <div className="tl-participant__actions">
        <button
          type="button"
          className="tl-button tl-button--small"
          aria-label={label(panel.enroll)}
          onClick={() => a.onEnroll([email])}
        >
          {panel.enroll}
        </button>
      </div>
    );
  }
  if (state.kind !== 'active' && state.kind !== 'paused') return null;
  const id = state.enrollmentId;

  if (confirming) {
    return (
      <div
        className="tl-participant__actions"
        role="group"
        aria-label={panel.confirmUnenroll(name, state.sequenceName)}
      >
        <p className="tl-small">{panel.confirmUnenroll(name, state.sequenceName)}</p>
        <button
          type="button"
          className="tl-button tl-button--small tl-button--danger"
          aria-label={label(panel.confirmUnenrollYes)}
          autoFocus
          onClick={() => {
            setConfirming(false);
            a.onUnenroll(id);
          }}
        >
          {panel.confirmUnenrollYes}
        </button>
        <button type="button" className="tl-button tl-button--small" onClick={() => setConfirming(false)}>
          {panel.keep}
        </button>
      </div>
    );
  }

  return (
    <div className="tl-participant__actions">
      {state.kind === 'active' && state.stepType === 'auto_email' && !state.waitingForTask && (
        <button
          type="button"
          className="tl-button tl-button--small"
          aria-label={label(panel.sendNow)}
          onClick={() => a.onSendNow(id)}
        >
          {panel.sendNow}
        </button>
      )}
      {state.kind === 'active' ? (
        <button
          type="button"
          className="tl-button tl-button--small"
          aria-label={label(panel.pause)}
          onClick={() => a.onPause(id)}
        >
          {panel.pause}
        </button>
      ) : (
        <button
          type="button"
          className="tl-button tl-button--small"
          aria-label={label(panel.resume)}
          onClick={() => a.onResume(id)}
        >
          {panel.resume}
        </button>
      )}
      <button
        type="button"
        className="tl-button tl-button--small"
        aria-label={label(panel.markMeeting)}
        onClick={() => a.onMarkMeeting(id)}
      >
        {panel.markMeeting}
      </button>
      <button
        type="button"
        ref={unenrollRef}
        className="tl-button tl-button--small tl-button--danger"
        aria-label={label(panel.unenroll)}
        onClick={() => setConfirming(true)}
      >
        {panel.unenroll}
      </button>
    </div>
  );
}
