import { useEffect, useState } from 'react';
import { send, type Runtime } from '@/lib/protocol/endpoints';
import type { BackendView } from '@/lib/protocol/messages';
import type { Member, Role } from '@/lib/contract/auth';
import { checkBackendUrl } from '@/lib/sync/backend-url';
import { B } from './backend-strings';
import { ErrorLine, useWork } from './use-work';

export interface BackendSectionProps {
  runtime: Runtime;
  /** Asks the browser for access to the backend's origin (an extension page's user gesture); false if refused. */
  requestOrigin?: (origin: string) => Promise<boolean>;
  /** Plain http backends: the demo and test builds only; a production build takes https addresses alone. */
  allowHttp?: boolean;
  now?: () => number;
  /** How often the status refreshes while the page is open. */
  refreshMs?: number;
}

const ROLES: Role[] = ['rep', 'manager', 'admin'];

function ago(ms: number): string {
  const s = Math.max(0, Math.round(ms / 1000));
  if (s < 60) return B.secondsAgo(s);
  const m = Math.round(s / 60);
  return m < 60 ? B.minutesAgo(m) : B.hoursAgo(Math.round(m / 60));
}

/**
 * Settings → Team & sync: the backend's address, signing in (Google, Microsoft, or the sandbox in the demo),
 * what sync is doing (last sync, changes waiting, errors, refused changes), and for admins the team: members,
 * roles and invite links.
 */
export function BackendSection({
  runtime,
  requestOrigin,
  allowHttp = false,
  now = Date.now,
  refreshMs = 5000,
}: BackendSectionProps) {
  const [view, setView] = useState<BackendView>();
  const [url, setUrl] = useState('');
  const { busy, error, run } = useWork();
  const [sandboxUrl, setSandboxUrl] = useState('http://127.0.0.1:8025');
  const [sandboxMailbox, setSandboxMailbox] = useState('');
  const [members, setMembers] = useState<Member[]>();
  const [invite, setInvite] = useState<{ url: string; role: Role }>();
  const [inviteRole, setInviteRole] = useState<Role>('rep');
  const [inviteToken, setInviteToken] = useState('');

  /** The demo signs in as the sandbox mailbox already connected under Mailboxes, if there is one. */
  const fillFromSandboxAccount = () =>
    void send(runtime, 'accounts.list', {}).then(
      (accounts) => {
        const demo = accounts.find((a) => a.sandboxUrl);
        if (demo) {
          setSandboxMailbox((m) => m || demo.mailbox);
          setSandboxUrl(demo.sandboxUrl!);
        }
      },
      () => undefined,
    );

  const refresh = async () => {
    const next = await send(runtime, 'backend.view', {});
    setView(next);
    return next;
  };
  useEffect(() => {
    void run(async () => {
      const v = await refresh();
      setUrl((u) => u || v.url || (allowHttp ? 'http://localhost:8787' : ''));
    });
    fillFromSandboxAccount();
    const timer = setInterval(() => void refresh().catch(() => undefined), refreshMs);
    return () => clearInterval(timer);
    // eslint-disable-next-line react-hooks/exhaustive-deps -- once on mount: the helpers are new closures every render.
  }, []);

  const canSeeTeam = view?.user && view.user.role !== 'rep';
  useEffect(() => {
    if (!canSeeTeam) return setMembers(undefined);
    void run(async () => setMembers(await send(runtime, 'team.members', {})));
    // eslint-disable-next-line react-hooks/exhaustive-deps -- again only when who may see the team changes.
  }, [canSeeTeam, view?.user?.id]);

  /** A button's work, then the status as it now stands; fire and forget: run() shows a failure in the error line. */
  const act = (work: () => Promise<unknown>) =>
    void run(async () => {
      await work();
      await refresh();
    });

  async function saveUrl() {
    // Named before the browser is asked for anything: not an address, or http in a production build.
    const origin = new URL(checkBackendUrl(url, allowHttp)).origin;
    if (requestOrigin && !(await requestOrigin(origin))) throw new Error(B.originRefused(origin));
    await send(runtime, 'backend.configure', { url });
  }

  /** The token itself, or the invite link an admin sent (…/join?invite=<token>). */
  const inviteTokenOf = (text: string) => {
    const trimmed = text.trim();
    try {
      return new URL(trimmed).searchParams.get('invite') ?? trimmed;
    } catch {
      return trimmed;
    }
  };

  const signIn = (provider: 'google' | 'microsoft' | 'sandbox') =>
    act(async () => {
      if (url !== view?.url) await saveUrl();
      await send(runtime, 'backend.signIn', {
        provider,
        ...(inviteToken.trim() ? { invite: inviteTokenOf(inviteToken) } : {}),
        ...(provider === 'sandbox' ? { loginHint: sandboxMailbox, sandboxUrl } : {}),
      });
    });

  const user = view?.user;
  return (
    <section aria-labelledby="backend-title" data-testid="backend-section">
      <h2 id="backend-title">{B.title}</h2>
      <p className="hint">{B.intro}</p>
      {view === undefined ? (
        <p>{B.loading}</p>
      ) : user ? (
        <>
          <p data-testid="backend-user">{B.signedInAs(user.email, B.roles[user.role], view.url ?? '')}</p>
          <dl className="tl-sync-status" data-testid="sync-status">
            <dt>{B.lastSync}</dt>
            <dd>{view.lastSyncAt ? ago(now() - view.lastSyncAt) : B.never}</dd>
            <dt>{B.pending}</dt>
            <dd data-testid="sync-pending">{view.pending.toLocaleString('en')}</dd>
            {view.error && (
              <>
                <dt>{B.problem}</dt>
                <dd className="error" data-testid="sync-error">
                  {view.error}
                  {view.failures > 1 ? ` ${B.failures(view.failures)}` : ''}
                </dd>
              </>
            )}
          </dl>
          {view.rejected.length > 0 && (
            <details>
              <summary>{B.rejected(view.rejected.length)}</summary>
              <ul>
                {view.rejected.map((r) => (
                  <li key={r.id}>
                    #{r.id}: {r.reason}
                  </li>
                ))}
              </ul>
            </details>
          )}
          <div className="row">
            <button
              className="primary"
              disabled={busy}
              onClick={() => act(() => send(runtime, 'backend.syncNow', {}))}
            >
              {B.syncNow}
            </button>
            <button disabled={busy} onClick={() => act(() => send(runtime, 'backend.signOut', {}))}>
              {B.signOut}
            </button>
          </div>
          {members && (
            <div data-testid="team">
              <h3>{B.team}</h3>
              <table className="tl-table">
                <thead>
                  <tr>
                    <th scope="col">{B.member}</th>
                    <th scope="col">{B.role}</th>
                  </tr>
                </thead>
                <tbody>
                  {members.map((m) => (
                    <tr key={m.id}>
                      <td>{m.name ? `${m.name} <${m.email}>` : m.email}</td>
                      <td>
                        {user.role === 'admin' && m.id !== user.id ? (
                          <select
                            aria-label={B.roleOf(m.email)}
                            value={m.role}
                            disabled={busy}
                            onChange={(e) =>
                              act(async () => {
                                await send(runtime, 'team.setRole', {
                                  memberId: m.id,
                                  role: e.target.value as Role,
                                });
                                setMembers(await send(runtime, 'team.members', {}));
                              })
                            }
                          >
                            {ROLES.map((r) => (
                              <option key={r} value={r}>
                                {B.roles[r]}
                              </option>
                            ))}
                          </select>
                        ) : (
                          B.roles[m.role]
                        )}
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
              {user.role === 'admin' && (
                <div className="row">
                  <label>
                    {B.inviteAs}
                    <select value={inviteRole} onChange={(e) => setInviteRole(e.target.value as Role)}>
                      {ROLES.map((r) => (
                        <option key={r} value={r}>
                          {B.roles[r]}
                        </option>
                      ))}
                    </select>
                  </label>
                  <button
                    disabled={busy}
                    onClick={() =>
                      act(async () => {
                        const made = await send(runtime, 'team.invite', { role: inviteRole });
                        setInvite({ url: made.url, role: made.role });
                      })
                    }
                  >
                    {B.createInvite}
                  </button>
                </div>
              )}
              {invite && (
                <p data-testid="invite-link">
                  {B.inviteReady(B.roles[invite.role])} <code>{invite.url}</code>
                </p>
              )}
            </div>
          )}
        </>
      ) : (
        <>
          {view.lapsedAt !== undefined && (
            <div className="tl-warning" role="alert" data-testid="backend-lapsed">
              <p>{B.lapsed(new Date(view.lapsedAt).toLocaleString())}</p>
              <button disabled={busy} onClick={() => act(() => send(runtime, 'backend.signOut', {}))}>
                {B.signOutLapsed}
              </button>
            </div>
          )}
          <div className="row">
            <label>
              {B.url}
              <input name="backend-url" value={url} onChange={(e) => setUrl(e.target.value)} />
            </label>
            <label>
              {B.invite}
              <input
                name="invite"
                value={inviteToken}
                placeholder={B.invitePlaceholder}
                onChange={(e) => setInviteToken(e.target.value)}
              />
            </label>
          </div>
          <div className="row">
            <button className="primary" disabled={busy} onClick={() => signIn('google')}>
              {B.signInGoogle}
            </button>
            <button className="primary" disabled={busy} onClick={() => signIn('microsoft')}>
              {B.signInMicrosoft}
            </button>
          </div>
          <details onToggle={(e) => (e.currentTarget as HTMLDetailsElement).open && fillFromSandboxAccount()}>
            <summary>{B.demo}</summary>
            <div className="row">
              <label>
                {B.sandboxUrl}
                <input
                  name="backend-sandbox-url"
                  value={sandboxUrl}
                  onChange={(e) => setSandboxUrl(e.target.value)}
                />
              </label>
              <label>
                {B.sandboxMailbox}
                <input
                  name="backend-sandbox-mailbox"
                  value={sandboxMailbox}
                  onChange={(e) => setSandboxMailbox(e.target.value)}
                />
              </label>
              <button disabled={busy || !sandboxMailbox} onClick={() => signIn('sandbox')}>
                {B.signInSandbox}
              </button>
            </div>
          </details>
        </>
      )}
      <ErrorLine error={error} />
    </section>
  );
}
