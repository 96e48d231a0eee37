import { useEffect, useRef } from 'react';
import type { CrmStatusView } from '@/lib/protocol/crm-settings';
import { C } from './crm-strings';

/** Settings → CRM before connecting: the admin connects (OAuth or a private app's token); others are told who does. */
export function NotConnected(props: {
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

/** Settings → CRM once connected: the portal and how, the last problem, and the admin's disconnect. */
export function Connected(props: {
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
      {status.dealsPortalChange && (
        <p className="hint" data-testid="crm-portal-change">
          {C.portalChange(status.dealsPortalChange.previousPortalId, status.dealsPortalChange.requeued)}
        </p>
      )}
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
