import { useEffect, useRef, useState } from 'react';
import { send, type Runtime } from '@/lib/protocol/endpoints';
import type { CrmFailureView, CrmOverview, CrmStatusView } from '@/lib/protocol/crm-settings';
import { CrmDeals, CrmOptions, CrmOwners, type PlaybookSummary } from './crm-options';
import { C } from './crm-strings';
import { ErrorLine, useWork } from './use-work';

export interface CrmSectionProps {
  runtime: Runtime;
  /** The Threadline playbooks (pipelines, stages, facts) the deal mapping maps from. */
  playbooks?: () => Promise<PlaybookSummary[]>;
  formatDate?: (at: number) => string;
  now?: () => number;
  /** How often the state refreshes while the page is open (a connection made in HubSpot's tab shows up). */
  refreshMs?: number;
}

/** The share of the daily limit from which Settings → CRM warns. */
export const USAGE_WARNING = 0.8;

const defaultFormat = (at: number) =>
  new Date(at).toLocaleString('en-GB', { dateStyle: 'medium', timeStyle: 'short' });

/**
 * Settings → CRM: whether the team's HubSpot is connected and how logging to it goes (last sync, what waits,
 * the day's API usage against HubSpot's limit, every failure with HubSpot's own message and a retry), and
 * for admins connecting (OAuth or a private-app token), disconnecting, the options and the owner mapping.
 * Everyone else sees the same state read-only. Without a backend session it says what the bridge needs.
 */
export function CrmSection({
  runtime,
  playbooks,
  formatDate = defaultFormat,
  now = Date.now,
  refreshMs = 5000,
}: CrmSectionProps) {
  const [overview, setOverview] = useState<CrmOverview>();
  const [failures, setFailures] = useState<CrmFailureView[]>([]);
  const [loadError, setLoadError] = useState<string>();
  const [notice, setNotice] = useState<string>();
  const [token, setToken] = useState('');
  const [confirming, setConfirming] = useState(false);
  const { busy, error, run } = useWork();
  const mounted = useRef(true);

  const refresh = async () => {
    try {
      const next = await send(runtime, 'crmSettings.overview', {});
      const list =
        next.session === 'signedIn' ? (await send(runtime, 'crmSettings.failures', {})).failures : [];
      if (!mounted.current) return next;
      setOverview(next);
      setFailures(list);
      setLoadError(undefined);
      return next;
    } catch (e) {
      if (mounted.current) setLoadError(e instanceof Error ? e.message : String(e));
      return undefined;
    }
  };
  useEffect(() => {
    mounted.current = true;
    void refresh();
    const timer = setInterval(() => void refresh(), refreshMs);
    const onFocus = () => void refresh();
    window.addEventListener('focus', onFocus);
    return () => {
      mounted.current = false;
      clearInterval(timer);
      window.removeEventListener('focus', onFocus);
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps -- once on mount: refresh is a new closure every render.
  }, []);

  const act = (work: () => Promise<string | undefined | void>) =>
    void run(async () => {
      setNotice(undefined);
      const said = await work();
      await refresh();
      if (said) setNotice(said);
    });

  const body = () => {
    if (!overview) return loadError ? null : <p>{C.loading}</p>;
    if (overview.session === 'none')
      return (
        <p data-testid="crm-team-feature">
          {C.teamFeature} <a href="#/settings/backend">{C.teamLink}</a>
        </p>
      );
    const { status, role, email } = overview;
    const admin = role === 'admin';
    return (
      <>
        {status.server && !status.server.tokenKey && (
          <p className="error" data-testid="crm-key-missing">
            {C.keyMissing}
          </p>
        )}
        {status.connected ? (
          <Connected
            status={status}
            admin={admin}
            busy={busy}
            formatDate={formatDate}
            confirming={confirming}
            setConfirming={setConfirming}
            onDisconnect={() =>
              act(async () => {
                const { revoked } = await send(runtime, 'crmSettings.disconnect', {});
                setConfirming(false);
                return C.disconnected(revoked);
              })
            }
          />
        ) : (
          <NotConnected
            status={status}
            admin={admin}
            busy={busy}
            token={token}
            setToken={setToken}
            onOAuth={() =>
              act(async () => {
                await send(runtime, 'crmSettings.authorize', {});
                return C.oauthOpened;
              })
            }
            onToken={() =>
              act(async () => {
                if (!token.trim()) throw new Error(C.tokenEmpty);
                await send(runtime, 'crmSettings.privateApp', { token: token.trim() });
                setToken('');
              })
            }
          />
        )}
        <Logging status={status} formatDate={formatDate} now={now} />
        {(status.connected || failures.length > 0) && (
          <Failures
            failures={failures}
            admin={admin}
            busy={busy}
            formatDate={formatDate}
            onRetry={(ids) =>
              act(async () => {
                const { retried } = await send(runtime, 'crmSettings.retry', ids ? { ids } : {});
                return C.retried(retried);
              })
            }
          />
        )}
        {status.connected && status.settings && (
          <>
            <CrmOptions
              runtime={runtime}
              settings={status.settings}
              canEdit={admin}
              ownDomain={email.slice(email.lastIndexOf('@') + 1)}
              onSaved={() => void refresh()}
            />
            {status.settings.deals && (
              <CrmDeals
                runtime={runtime}
                deals={status.settings.deals}
                canEdit={admin}
                playbooks={playbooks}
                onSaved={() => void refresh()}
              />
            )}
            <CrmOwners runtime={runtime} role={role} portalId={status.portalId ?? ''} />
          </>
        )}
      </>
    );
  };

  return (
    <section aria-labelledby="crm-title" data-testid="crm-section">
      <h2 id="crm-title">{C.title}</h2>
      <p className="hint">{C.intro}</p>
      {body()}
      <ErrorLine error={error ?? loadError} />
      {notice && (
        <p role="status" data-testid="crm-notice">
          {notice}
        </p>
      )}
    </section>
  );
}

function NotConnected(props: {
  status: CrmStatusView;
  admin: boolean;
  busy: boolean;
  token: string;
  setToken(t: string): void;
  onOAuth(): void;
  onToken(): void;
}) {
  const { status, admin, busy } = props;
  const keyMissing = status.server ? !status.server.tokenKey : false;
  const oauth = status.server ? status.server.oauth : true;
  return (
    <div data-testid="crm-not-connected">
      <p>{C.notConnected}</p>
      {!admin ? (
        <p className="hint">{C.onlyAdmins}</p>
      ) : (
        <>
          <div className="row">
            <button className="primary" disabled={busy || keyMissing || !oauth} onClick={props.onOAuth}>
              {C.connectOAuth}
            </button>
          </div>
          {!oauth && <p className="hint">{C.oauthMissing}</p>}
          <form
            onSubmit={(e) => {
              e.preventDefault();
              props.onToken();
            }}
          >
            <label htmlFor="crm-token">{C.tokenLabel}</label>
            <p className="hint" id="crm-token-hint">
              {C.tokenHint}
            </p>
            <div className="row">
              <input
                id="crm-token"
                type="password"
                autoComplete="off"
                aria-describedby="crm-token-hint"
                value={props.token}
                onChange={(e) => props.setToken(e.target.value)}
              />
              <button type="submit" disabled={busy || keyMissing}>
                {C.connectToken}
              </button>
            </div>
          </form>
        </>
      )}
    </div>
  );
}

function Connected(props: {
  status: CrmStatusView;
  admin: boolean;
  busy: boolean;
  formatDate(at: number): string;
  confirming: boolean;
  setConfirming(v: boolean): void;
  onDisconnect(): void;
}) {
  const { status, admin, busy, formatDate, confirming } = props;
  // Keyboard users stay where they were: on Cancel when asked, back on Disconnect when they cancel.
  const cancel = useRef<HTMLButtonElement>(null);
  const disconnect = useRef<HTMLButtonElement>(null);
  const asked = useRef(false);
  useEffect(() => {
    if (confirming) cancel.current?.focus();
    else if (asked.current) disconnect.current?.focus();
    asked.current = confirming;
  }, [confirming]);
  return (
    <div data-testid="crm-connected">
      <dl className="tl-sync-status">
        <dt>{C.connected}</dt>
        <dd>HubSpot</dd>
        <dt>{C.portal}</dt>
        <dd data-testid="crm-portal">{status.portalId}</dd>
        {status.hubDomain && (
          <>
            <dt>{C.hubDomain}</dt>
            <dd>{status.hubDomain}</dd>
          </>
        )}
        {status.kind && (
          <>
            <dt>{C.kind}</dt>
            <dd data-testid="crm-kind">{C.kinds[status.kind]}</dd>
          </>
        )}
        {status.connectedAt !== undefined && (
          <>
            <dt>{C.connectedAt}</dt>
            <dd>{formatDate(status.connectedAt)}</dd>
          </>
        )}
        {status.lastError && (
          <>
            <dt>{C.lastError}</dt>
            <dd className="error" data-testid="crm-last-error">
              {status.lastError}
            </dd>
          </>
        )}
      </dl>
      {admin &&
        (confirming ? (
          <div role="group" aria-labelledby="crm-confirm" className="row">
            <p id="crm-confirm">{C.confirmDisconnect}</p>
            <button className="danger" disabled={busy} onClick={props.onDisconnect}>
              {C.yesDisconnect}
            </button>
            <button ref={cancel} disabled={busy} onClick={() => props.setConfirming(false)}>
              {C.cancel}
            </button>
          </div>
        ) : (
          <div className="row">
            <button ref={disconnect} disabled={busy} onClick={() => props.setConfirming(true)}>
              {C.disconnect}
            </button>
          </div>
        ))}
    </div>
  );
}

function Logging({
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

function Failures(props: {
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
