import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { seriousViolations } from '@/components/testing/axe';
import type { Runtime } from '@/lib/protocol/endpoints';
import type { BackendView } from '@/lib/protocol/messages';
import { BackendSection } from './backend';

const NOW = Date.parse('2026-03-02T10:00:00Z');
const admin = { id: 'u1', email: 'lee@acme.test', role: 'admin' as const, teamId: 't1' };

/** The background's side of the messages, as a small state machine, recording what the page asked. */
function fakeBackground(initial: Partial<BackendView> = {}) {
  const asked: { name: string; request: Record<string, unknown> }[] = [];
  let view: BackendView = { pending: 0, failures: 0, rejected: [], ...initial };
  let members = [admin, { id: 'u2', email: 'sam@acme.test', role: 'rep' as const, teamId: 't1' }];
  const runtime: Runtime = {
    id: 'ext',
    onMessage: { addListener: () => undefined },
    sendMessage: async (m) => {
      const { name, request } = m as { name: string; request: Record<string, unknown> };
      asked.push({ name, request });
      const ok = (data: unknown) => ({ ok: true, data });
      switch (name) {
        case 'accounts.list':
          return ok([
            {
              provider: 'gmail',
              mailbox: 'lee@acme.test',
              connectedAt: NOW,
              dailyLimit: 2000,
              sandboxUrl: 'http://127.0.0.1:9999',
            },
          ]);
        case 'backend.configure':
          view = { ...view, url: String(request.url) };
          return ok(view);
        case 'backend.signIn':
          view = { ...view, user: admin, provider: 'sandbox', lastSyncAt: NOW - 120_000 };
          return ok(view);
        case 'backend.signOut':
          view = { pending: 0, failures: 0, rejected: [], url: view.url };
          return ok(view);
        case 'team.members':
          return ok(members);
        case 'team.setRole':
          members = members.map((x) =>
            x.id === request.memberId ? { ...x, role: request.role as 'rep' } : x,
          );
          return ok({ ok: true });
        case 'team.invite':
          return ok({
            token: 'tok',
            url: 'http://localhost:8787/join?invite=tok',
            role: request.role,
            expiresAt: NOW,
          });
        default:
          return ok(view);
      }
    },
  };
  return { runtime, asked };
}

afterEach(cleanup);

describe('Settings → Team & sync', () => {
  it('signs in with the demo’s sandbox mailbox, taking the token out of a pasted invite link', async () => {
    const bg = fakeBackground();
    const origins: string[] = [];
    render(
      <BackendSection
        runtime={bg.runtime}
        now={() => NOW}
        requestOrigin={async (o) => (origins.push(o), true)}
        allowHttp
      />,
    );
    await screen.findByLabelText('Backend address');
    expect(await screen.findByDisplayValue('lee@acme.test')).toBeTruthy();
    fireEvent.change(screen.getByLabelText('Invite (optional)'), {
      target: { value: 'http://localhost:8787/join?invite=abc123' },
    });
    fireEvent.click(screen.getByRole('button', { name: 'Sign in with the sandbox mailbox' }));
    expect(await screen.findByTestId('backend-user')).toHaveProperty(
      'textContent',
      'Signed in as lee@acme.test (admin) at http://localhost:8787.',
    );
    expect(origins).toEqual(['http://localhost:8787']);
    expect(bg.asked.find((a) => a.name === 'backend.signIn')?.request).toEqual({
      provider: 'sandbox',
      invite: 'abc123',
      loginHint: 'lee@acme.test',
      sandboxUrl: 'http://127.0.0.1:9999',
    });
    expect(screen.getByText('2 minutes ago')).toBeTruthy();
  });

  it('shows what sync is doing: changes waiting, the last problem, changes the backend refused', async () => {
    const bg = fakeBackground({
      url: 'http://localhost:8787',
      user: { ...admin, role: 'rep' },
      pending: 42,
      failures: 3,
      error: 'The backend at http://localhost:8787 cannot be reached (fetch failed)',
      rejected: [{ id: 7, reason: 'no enrollment e9 of yours' }],
    });
    render(<BackendSection runtime={bg.runtime} now={() => NOW} />);
    expect((await screen.findByTestId('sync-pending')).textContent).toBe('42');
    expect(screen.getByTestId('sync-error').textContent).toContain('cannot be reached');
    expect(screen.getByTestId('sync-error').textContent).toContain('3 attempts in a row');
    expect(screen.getByText('1 change refused by the backend')).toBeTruthy();
    // A rep does not see the team.
    expect(screen.queryByTestId('team')).toBeNull();
    fireEvent.click(screen.getByRole('button', { name: 'Sync now' }));
    await waitFor(() => expect(bg.asked.some((a) => a.name === 'backend.syncNow')).toBe(true));
  });

  it('says when the backend ended the session, and lets the rep sign out to send from this computer alone', async () => {
    const { runtime, asked } = fakeBackground({ url: 'http://localhost:8787', lapsedAt: NOW - 3_600_000 });
    const { container } = render(<BackendSection runtime={runtime} />);
    const warning = await screen.findByTestId('backend-lapsed');
    expect(warning.getAttribute('role')).toBe('alert');
    expect(warning.textContent).toContain('The backend ended your session');
    expect(warning.textContent).toContain('Emails due wait until you sign in again');
    // Signing in again is right there, under it.
    expect(screen.getByRole('button', { name: 'Sign in with Google' })).toBeTruthy();
    expect(await seriousViolations(container)).toEqual([]);
    fireEvent.click(screen.getByRole('button', { name: 'Sign out and send from this computer alone' }));
    await waitFor(() => expect(screen.queryByTestId('backend-lapsed')).toBeNull());
    expect(asked.map((a) => a.name)).toContain('backend.signOut');
  });

  it('lets an admin change a member’s role and make an invite link', async () => {
    const bg = fakeBackground({ url: 'http://localhost:8787', user: admin });
    const { container } = render(<BackendSection runtime={bg.runtime} now={() => NOW} />);
    const role = await screen.findByLabelText('Role of sam@acme.test');
    fireEvent.change(role, { target: { value: 'manager' } });
    await waitFor(() =>
      expect(bg.asked.find((a) => a.name === 'team.setRole')?.request).toEqual({
        memberId: 'u2',
        role: 'manager',
      }),
    );
    fireEvent.change(screen.getByLabelText('Invite someone as'), { target: { value: 'manager' } });
    fireEvent.click(screen.getByRole('button', { name: 'Create invite link' }));
    expect((await screen.findByTestId('invite-link')).textContent).toContain('/join?invite=tok');
    expect(await seriousViolations(container)).toEqual([]);
  });

  it('does nothing when the browser’s permission for the backend is refused, and says so', async () => {
    const bg = fakeBackground();
    render(<BackendSection runtime={bg.runtime} requestOrigin={async () => false} />);
    fireEvent.change(await screen.findByLabelText('Backend address'), {
      target: { value: 'https://threadline.acme.test' },
    });
    fireEvent.click(screen.getByRole('button', { name: 'Sign in with Google' }));
    expect((await screen.findByRole('alert')).textContent).toBe(
      'Threadline needs your permission to reach https://threadline.acme.test',
    );
    expect(bg.asked.some((a) => a.name === 'backend.configure' || a.name === 'backend.signIn')).toBe(false);
  });

  it('refuses a plain http backend in a production build before asking the browser for anything', async () => {
    const bg = fakeBackground();
    const origins: string[] = [];
    render(<BackendSection runtime={bg.runtime} requestOrigin={async (o) => (origins.push(o), true)} />);
    fireEvent.change(await screen.findByLabelText('Backend address'), {
      target: { value: 'http://threadline.acme.test' },
    });
    fireEvent.click(screen.getByRole('button', { name: 'Sign in with Google' }));
    expect((await screen.findByRole('alert')).textContent).toBe(
      '"http://threadline.acme.test" is not an https address: Threadline reaches its backend over https only (e.g. https://threadline.example.com)',
    );
    expect(origins).toEqual([]);
    expect(bg.asked.some((a) => a.name === 'backend.configure' || a.name === 'backend.signIn')).toBe(false);
  });
});
