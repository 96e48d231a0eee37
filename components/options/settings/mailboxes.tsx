import { useEffect, useState } from 'react';
import { send, type Runtime } from '@/lib/protocol/endpoints';
import type { AccountView } from '@/lib/protocol/messages';
import { S } from './strings';

const PROVIDER_NAME = { gmail: 'Gmail', graph: 'Outlook' } as const;

/**
 * Settings → Mailboxes: which mailboxes Threadline sends from, with their daily limits; connect Gmail or
 * Outlook (OAuth in a browser window; tokens stay on this device), or a mail-sandbox mailbox for the demo.
 */
export function AccountsSection({
  runtime,
  formatDate = (at) => new Date(at).toLocaleString('en-GB', { dateStyle: 'medium', timeStyle: 'short' }),
}: {
  runtime: Runtime;
  /** Shows an instant on the rep's clock. */
  formatDate?: (at: number) => string;
}) {
  const [accounts, setAccounts] = useState<AccountView[] | undefined>();
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);
  const [sandboxUrl, setSandboxUrl] = useState('http://127.0.0.1:8025');
  const [sandboxMailbox, setSandboxMailbox] = useState('rep@example.com');
  const [sandboxProvider, setSandboxProvider] = useState<'gmail' | 'graph'>('gmail');

  const refresh = () =>
    send(runtime, 'accounts.list', {}).then(setAccounts, (e: Error) => setError(e.message));
  // eslint-disable-next-line react-hooks/exhaustive-deps -- once on mount; refresh is a new closure every render.
  useEffect(() => void refresh(), []);

  /** A button's work; fire and forget: a failure shows in the error line. */
  const act = (work: () => Promise<unknown>) => void perform(work);
  async function perform(work: () => Promise<unknown>) {
    setBusy(true);
    setError(undefined);
    try {
      await work();
      await refresh();
    } catch (e) {
      setError(e instanceof Error ? e.message : String(e));
    } finally {
      setBusy(false);
    }
  }

  return (
    <section id="settings-mailboxes" aria-labelledby="mailboxes-title">
      <h2 id="mailboxes-title">{S.sections.mailboxes}</h2>
      <p className="hint">
        Threadline sends from these mailboxes and watches them for replies. Sign-in tokens stay on this
        device.
      </p>
      {accounts === undefined ? (
        <p>Loading…</p>
      ) : accounts.length === 0 ? (
        <p data-testid="no-accounts">No mailbox connected yet. Connect one to start sending.</p>
      ) : (
        <ul className="accounts" data-testid="accounts">
          {accounts.map((a) => (
            <li key={a.mailbox}>
              <span className="badge">
                {PROVIDER_NAME[a.provider]}
                {a.sandboxUrl ? ' · sandbox' : ''}
              </span>
              <span className="grow" data-testid="account-mailbox">
                {a.mailbox}
              </span>
              <span className="hint" data-testid="account-limits">
                {S.mailbox.perDay(a.dailyLimit)} · {S.mailbox.connected(formatDate(a.connectedAt))}
              </span>
              <button
                disabled={busy}
                onClick={() => act(() => send(runtime, 'accounts.disconnect', { mailbox: a.mailbox }))}
              >
                Disconnect<span hidden> {a.mailbox}</span>
              </button>
            </li>
          ))}
        </ul>
      )}
      <div className="row">
        <button
          className="primary"
          disabled={busy}
          onClick={() => act(() => send(runtime, 'accounts.connect', { provider: 'gmail' }))}
        >
          Connect Gmail
        </button>
        <button
          className="primary"
          disabled={busy}
          onClick={() => act(() => send(runtime, 'accounts.connect', { provider: 'graph' }))}
        >
          Connect Outlook
        </button>
      </div>
      <details>
        <summary>Demo: connect a mailbox of the mail sandbox (npm start)</summary>
        <div className="row">
          <label>
            Sandbox URL
            <input value={sandboxUrl} onChange={(e) => setSandboxUrl(e.target.value)} name="sandbox-url" />
          </label>
          <label>
            Mailbox
            <input
              value={sandboxMailbox}
              onChange={(e) => setSandboxMailbox(e.target.value)}
              name="sandbox-mailbox"
            />
          </label>
          <label>
            Kind
            <select
              value={sandboxProvider}
              onChange={(e) => setSandboxProvider(e.target.value as 'gmail' | 'graph')}
              name="sandbox-provider"
            >
              <option value="gmail">Gmail API</option>
              <option value="graph">Microsoft Graph</option>
            </select>
          </label>
          <button
            disabled={busy}
            onClick={() =>
              act(() =>
                send(runtime, 'accounts.connect', {
                  provider: sandboxProvider,
                  mailbox: sandboxMailbox,
                  sandboxUrl,
                }),
              )
            }
          >
            Connect sandbox mailbox
          </button>
        </div>
      </details>
      {error && (
        <p className="error" role="alert">
          {error}
        </p>
      )}
    </section>
  );
}
