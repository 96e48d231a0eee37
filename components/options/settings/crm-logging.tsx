import type { CrmFailureView, CrmStatusView } from '@/lib/protocol/crm-settings';
import { C } from './crm-strings';

/** The share of the daily limit from which Settings → CRM warns. */
export const USAGE_WARNING = 0.8;

/** How logging goes: last sync, the outbox's counts, the day's HubSpot usage against its limit, and a block. */
export function Logging({
  status,
  formatDate,
  now,
}: {
  status: CrmStatusView;
  formatDate(at: number): string;
  now(): number;
}) {
  const { outbox, usage } = status;
  const share = usage?.limit ? usage.used / usage.limit : 0;
  const blocked = usage?.blockedUntil && usage.blockedUntil > now() ? usage.blockedUntil : undefined;
  return (
    <div data-testid="crm-logging">
      <h3>{C.syncTitle}</h3>
      <dl className="tl-sync-status">
        {status.connected && (
          <>
            <dt>{C.lastSync}</dt>
            <dd data-testid="crm-last-sync">{status.lastSyncAt ? formatDate(status.lastSyncAt) : C.never}</dd>
          </>
        )}
        <dt>{C.waiting}</dt>
        <dd data-testid="crm-waiting">{outbox.waiting.toLocaleString('en')}</dd>
        <dt>{C.logged}</dt>
        <dd data-testid="crm-logged">{outbox.logged.toLocaleString('en')}</dd>
        <dt>{C.skipped}</dt>
        <dd data-testid="crm-skipped">{outbox.skipped.toLocaleString('en')}</dd>
        <dt>{C.failed}</dt>
        <dd data-testid="crm-failed">{outbox.failed.toLocaleString('en')}</dd>
      </dl>
      {usage && (
        <>
          <h3 id="crm-usage-title">{C.usageTitle}</h3>
          <p data-testid="crm-usage">{C.usage(usage.used, usage.limit)}</p>
          {usage.limit ? (
            <progress aria-label={C.usageLabel} max={usage.limit} value={Math.min(usage.used, usage.limit)} />
          ) : null}
          {blocked ? (
            <p className="error" role="alert" data-testid="crm-blocked">
              {C.blocked(formatDate(blocked))}
            </p>
          ) : share >= USAGE_WARNING ? (
            <p
              className="warning"
              style={{ borderLeft: '3px solid var(--danger)', paddingLeft: 8 }}
              data-testid="crm-usage-warning"
            >
              {C.usageWarning(Math.floor(share * 100))}
            </p>
          ) : null}
        </>
      )}
    </div>
  );
}

/** Every failure with HubSpot's own message (managers and admins), and the admin's retry. */
export function Failures(props: {
  failures: CrmFailureView[];
  admin: boolean;
  busy: boolean;
  formatDate(at: number): string;
  onRetry(ids?: string[]): void;
}) {
  const { failures, admin, busy, formatDate } = props;
  const retryable = failures.filter((f) => f.state !== 'pending');
  return (
    <div data-testid="crm-failures">
      <h3>{C.failuresTitle}</h3>
      {failures.length === 0 ? (
        <p>{C.noFailures}</p>
      ) : (
        <>
          <ul className="tl-crm-failures">
            {failures.map((f) => (
              <li key={f.id} data-testid="crm-failure">
                <strong>{f.kind}</strong> ({C.failureStates[f.state]}, {C.attempts(f.attempts)},{' '}
                {formatDate(f.updatedAt)}): <span data-testid="crm-failure-message">{f.message}</span>{' '}
                {admin && f.state !== 'pending' && (
                  <button
                    disabled={busy}
                    aria-label={C.retryOne(f.kind, f.id)}
                    onClick={() => props.onRetry([f.id])}
                  >
                    {C.retry}
                  </button>
                )}
              </li>
            ))}
          </ul>
          {admin && retryable.length > 0 && (
            <button disabled={busy} onClick={() => props.onRetry()}>
              {C.retryAll}
            </button>
          )}
        </>
      )}
    </div>
  );
}
