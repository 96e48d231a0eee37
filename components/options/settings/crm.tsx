import { useEffect, useRef, useState } from 'react';
import { send, type Runtime } from '@/lib/protocol/endpoints';
import type { CrmFailureView, CrmOverview } from '@/lib/protocol/crm-settings';
import { Connected, NotConnected } from './crm-connection';
import { Failures, Logging } from './crm-logging';
import { CrmDeals, type PlaybookSummary } from './crm-deal-mapping';
import { CrmOptions } from './crm-options';
import { CrmOwners } from './crm-owners';
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

const defaultFormat = (at: number) =>
  new Date(at).toLocaleString('en-GB', { dateStyle: 'medium', timeStyle: 'short' });

/**
 * Settings → CRM: whether the team's HubSpot is connected and how logging to it goes (last sync, what waits,
 * the day's API usage against HubSpot's limit, every failure with HubSpot's own message and a retry), and
 * for admins connecting (OAuth or a private-app token), disconnecting, the options and the owner mapping.
 * Everyone else sees the same state read-only, a rep without the failures (they name the team's contacts).
 * Without a backend session it says what the bridge needs. The parts: crm-connection.tsx, crm-logging.tsx,
 * crm-options.tsx, crm-deal-mapping.tsx, crm-owners.tsx.
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
      // The failures name the team's contacts with HubSpot's messages: managers and admins only.
      const list =
        next.session === 'signedIn' && next.role !== 'rep'
          ? (await send(runtime, 'crmSettings.failures', {})).failures
          : [];
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
        {role === 'rep'
          ? status.connected && (
              <p className="hint" data-testid="crm-failures-hidden">
                {C.failuresForManagers}
              </p>
            )
          : (status.connected || failures.length > 0) && (
              <Failures
                failures={failures}
                admin={admin}
                busy={busy}
                formatDate={formatDate}
                onRetry={(ids) =>
                  act(async () => {
                    const { retried, blockedUntil } = await send(
                      runtime,
                      'crmSettings.retry',
                      ids ? { ids } : {},
                    );
                    return blockedUntil
                      ? C.retriedAfterBlock(retried, formatDate(blockedUntil))
                      : C.retried(retried);
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
