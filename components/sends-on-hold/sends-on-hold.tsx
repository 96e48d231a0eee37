import { sendsOnHold as s, type HoldReason } from '../strings';

/** Why and since when this device's sends wait for the team backend (lib/background/sends-on-hold.ts). */
export interface SendsHold {
  since: number;
  reason: HoldReason;
  url: string;
  status?: number;
  /** Emails due now that are waiting. */
  due: number;
}

export interface SendsOnHoldProps {
  /** Absent while sends go out as usual: nothing is shown. */
  hold: SendsHold | undefined;
  now: number;
  repTimeZone: string;
  /** Opens Settings → Team & sync. */
  onOpenSettings(): void;
}

/**
 * "Your sends are paused": while signed in to the team backend, a device sends only while it holds the
 * mailbox's lease, so a backend it cannot reach holds every email back. The rep should know, and where to look.
 */
export function SendsOnHold({ hold, now, repTimeZone, onOpenSettings }: SendsOnHoldProps) {
  if (!hold) return null;
  const since = s.since(hold.since, now, repTimeZone);
  return (
    <div className="tl-root tl-alert" role="status">
      <strong>{s.title}</strong> {s.why(hold.reason, hold.url, since, hold.status)}{' '}
      {s.then(hold.reason, hold.due)}{' '}
      <button type="button" className="tl-button tl-button--small" onClick={onOpenSettings}>
        {s.open(hold.reason)}
      </button>
    </div>
  );
}
