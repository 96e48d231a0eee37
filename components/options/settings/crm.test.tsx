import { cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { seriousViolations } from '@/components/testing/axe';
import type { Runtime } from '@/lib/protocol/endpoints';
import type { CrmFailureView, CrmOverview, CrmStatusView } from '@/lib/protocol/crm-settings';
import { CrmSection } from './crm';

const NOW = Date.parse('2026-03-02T10:00:00Z');
const format = (at: number) => new Date(at).toISOString().slice(0, 16).replace('T', ' ');
const outbox = { waiting: 0, logged: 0, skipped: 0, failed: 0 };
const settings = {
  createContacts: false,
  logPersonalDomains: false,
  neverLog: [],
  deals: { enabled: true, pipelines: {}, facts: {}, threadlineWins: [] },
};
const connected = (extra: Partial<CrmStatusView> = {}): CrmStatusView => ({
  connected: true,
  provider: 'hubspot',
  kind: 'oauth',
  portalId: '24681357',
  hubDomain: 'acme.hubspot.test',
  connectedAt: NOW - 3_600_000,
  lastSyncAt: NOW - 60_000,
  lastError: null,
  settings,
  usage: { day: '2026-03-02', used: 120, limit: 250_000, remaining: null, blockedUntil: null },
  outbox: { waiting: 2, logged: 40, skipped: 1, failed: 1 },
  server: { tokenKey: true, oauth: true },
  ...extra,
});

/** The background's side: the backend's answers as a small state machine, recording what the page asked. */
function fakeBackground(opts: {
  overview: CrmOverview;
  failures?: CrmFailureView[];
  refuse?: Record<string, string>;
  /** HubSpot's daily-limit block the backend reports on a retry. */
  blockedUntil?: number;
}) {
  const asked: { name: string; request: Record<string, unknown> }[] = [];
  let overview = opts.overview;
  let failures = opts.failures ?? [];
  let owners = {
    members: [
      { userId: 'u1', email: 'lee@acme.test', ownerId: '70000002', edited: false },
      { userId: 'u2', email: 'sam@acme.test', ownerId: null, edited: false },
    ],
    owners: [
      { id: '70000002', email: 'lee@acme.test', name: 'Lee Admin' },
      { id: '70000003', email: 'sam.r@acme.test', name: 'Sam Rivera' },
    ],
  };
  const status = () => (overview.session === 'signedIn' ? overview.status : undefined)!;
  const setStatus = (s: CrmStatusView) => {
    if (overview.session === 'signedIn') overview = { ...overview, status: s };
  };
  const runtime: Runtime = {
    id: 'ext',
    onMessage: { addListener: () => undefined },
    sendMessage: async (m) => {
      const { name, request } = m as { name: string; request: Record<string, unknown> };
      asked.push({ name, request });
      if (opts.refuse?.[name]) return { ok: false, error: opts.refuse[name] };
      const ok = (data: unknown) => ({ ok: true, data });
      switch (name) {
        case 'crmSettings.overview':
          return ok(overview);
        case 'crmSettings.failures':
          return ok({ failures });
        case 'crmSettings.authorize':
          return ok({ url: 'http://hubspot.test/oauth/authorize?state=x' });
        case 'crmSettings.privateApp':
          setStatus(connected({ kind: 'private_app', hubDomain: null }));
          return ok(status());
        case 'crmSettings.disconnect':
          setStatus({ connected: false, outbox, server: { tokenKey: true, oauth: true } });
          return ok({ revoked: true });
        case 'crmSettings.save': {
          const next = { ...status().settings!, ...request };
          setStatus({ ...status(), settings: next as typeof settings });
          return ok(next);
        }
        case 'crmSettings.retry':
          failures = failures.filter((f) => request.ids && !(request.ids as string[]).includes(f.id));
          return ok({ retried: 1, blockedUntil: opts.blockedUntil ?? null });
        case 'crmSettings.owners':
          return ok(owners);
        case 'crmSettings.setOwner':
          owners = {
            ...owners,
            members: owners.members.map((x) =>
              x.userId === request.userId ? { ...x, ownerId: request.ownerId as string, edited: true } : x,
            ),
          };
          return ok({ userId: request.userId, ownerId: request.ownerId });
        case 'crmSettings.pipelines':
          return ok({
            pipelines: [
              {
                id: 'default',
                label: 'Sales Pipeline',
                stages: [
                  { id: 'appointmentscheduled', label: 'Appointment Scheduled', closed: false },
                  { id: 'closedwon', label: 'Closed Won', closed: true },
                ],
              },
            ],
          });
        default:
          return { ok: false, error: `unexpected ${name}` };
      }
    },
  };
  return { runtime, asked };
}

const signedIn = (role: 'admin' | 'manager' | 'rep', status: CrmStatusView): CrmOverview => ({
  session: 'signedIn',
  backendUrl: 'http://localhost:8787',
  role,
  email: 'lee@acme.test',
  status,
});
const notConnected = (server = { tokenKey: true, oauth: true }): CrmStatusView => ({
  connected: false,
  outbox,
  server,
});
const show = (runtime: Runtime, extra: Partial<Parameters<typeof CrmSection>[0]> = {}) =>
  render(<CrmSection runtime={runtime} now={() => NOW} formatDate={format} refreshMs={60_000} {...extra} />);

afterEach(cleanup);

describe('Settings → CRM', () => {
  it('explains, without a backend session, that the CRM bridge is a team feature, with a link to Team & sync', async () => {
    const { runtime } = fakeBackground({ overview: { session: 'none' } });
    const { container } = show(runtime);
    const line = await screen.findByTestId('crm-team-feature');
    expect(line.textContent).toMatch(/team feature/);
    expect(within(line).getByRole('link', { name: 'Settings → Team & sync' }).getAttribute('href')).toBe(
      '#/settings/backend',
    );
    expect(screen.queryByRole('button')).toBeNull();
    expect(await seriousViolations(container)).toEqual([]);
  });

  it('tells the admin what to set when the server has no CRM_TOKEN_KEY, and does not offer to connect', async () => {
    const { runtime } = fakeBackground({
      overview: signedIn('admin', notConnected({ tokenKey: false, oauth: true })),
    });
    show(runtime);
    expect((await screen.findByTestId('crm-key-missing')).textContent).toMatch(
      /CRM_TOKEN_KEY is not set.*32 random bytes.*restart/,
    );
    expect(screen.getByRole('button', { name: 'Connect with HubSpot' })).toHaveProperty('disabled', true);
    expect(screen.getByRole('button', { name: 'Connect with a private-app token' })).toHaveProperty(
      'disabled',
      true,
    );
  });

  it('lets an admin start the OAuth flow (the worker opens HubSpot) or connect with a private-app token', async () => {
    const bg = fakeBackground({ overview: signedIn('admin', notConnected()) });
    const { container } = show(bg.runtime);
    fireEvent.click(await screen.findByRole('button', { name: 'Connect with HubSpot' }));
    expect(await screen.findByTestId('crm-notice')).toHaveProperty(
      'textContent',
      expect.stringMatching(/consent page opened in a new tab/),
    );
    expect(bg.asked.map((a) => a.name)).toContain('crmSettings.authorize');

    fireEvent.click(screen.getByRole('button', { name: 'Connect with a private-app token' }));
    expect((await screen.findByRole('alert')).textContent).toBe(
      'Paste the private app’s access token first.',
    );
    fireEvent.change(screen.getByLabelText('Private-app token'), {
      target: { value: '  pat-na1-abcdef123456 ' },
    });
    fireEvent.click(screen.getByRole('button', { name: 'Connect with a private-app token' }));
    await screen.findByTestId('crm-connected');
    expect(bg.asked.find((a) => a.name === 'crmSettings.privateApp')?.request).toEqual({
      token: 'pat-na1-abcdef123456',
    });
    expect(screen.getByTestId('crm-kind').textContent).toBe('a private app’s token');
    expect(await seriousViolations(container)).toEqual([]);
  });

  it('shows the server’s refusal in its own words, and an OAuth-less server sends the admin to the token', async () => {
    const bg = fakeBackground({
      overview: signedIn('admin', notConnected({ tokenKey: true, oauth: false })),
      refuse: {
        'crmSettings.privateApp':
          'POST /crm/hubspot/private-app answered 400: HubSpot does not know this private-app token: 401',
      },
    });
    show(bg.runtime);
    expect(await screen.findByRole('button', { name: 'Connect with HubSpot' })).toHaveProperty(
      'disabled',
      true,
    );
    expect(screen.getByText(/HUBSPOT_CLIENT_ID and HUBSPOT_CLIENT_SECRET/)).toBeTruthy();
    fireEvent.change(screen.getByLabelText('Private-app token'), {
      target: { value: 'pat-na1-wrong-token' },
    });
    fireEvent.click(screen.getByRole('button', { name: 'Connect with a private-app token' }));
    expect((await screen.findByRole('alert')).textContent).toMatch(/does not know this private-app token/);
  });

  it('shows the connection, last sync, counts, usage, and each failure with HubSpot’s message and a retry', async () => {
    const failures: CrmFailureView[] = [
      {
        id: 'email:sent:1',
        kind: 'email',
        state: 'failed',
        message: 'Property values were not valid: hs_email_subject',
        attempts: 5,
        updatedAt: NOW - 1000,
      },
      {
        id: 'note:bounce:2',
        kind: 'note',
        state: 'skipped',
        message: 'no HubSpot contact for x@acme.test',
        attempts: 1,
        updatedAt: NOW - 2000,
      },
    ];
    const bg = fakeBackground({ overview: signedIn('admin', connected()), failures });
    const { container } = show(bg.runtime);
    expect((await screen.findByTestId('crm-portal')).textContent).toBe('24681357');
    expect(screen.getByText('acme.hubspot.test')).toBeTruthy();
    expect(screen.getByTestId('crm-last-sync').textContent).toBe(format(NOW - 60_000));
    expect(screen.getByTestId('crm-waiting').textContent).toBe('2');
    expect(screen.getByTestId('crm-logged').textContent).toBe('40');
    expect(screen.getByTestId('crm-usage').textContent).toBe('120 of 250,000 (0%)');
    expect(screen.queryByTestId('crm-usage-warning')).toBeNull();
    const items = await screen.findAllByTestId('crm-failure');
    expect(items.map((i) => within(i).getByTestId('crm-failure-message').textContent)).toEqual([
      'Property values were not valid: hs_email_subject',
      'no HubSpot contact for x@acme.test',
    ]);
    fireEvent.click(screen.getByRole('button', { name: 'Retry email email:sent:1' }));
    await waitFor(() => expect(screen.getAllByTestId('crm-failure')).toHaveLength(1));
    expect(bg.asked.find((a) => a.name === 'crmSettings.retry')?.request).toEqual({ ids: ['email:sent:1'] });
    fireEvent.click(screen.getByRole('button', { name: 'Retry all' }));
    await screen.findByText('Nothing failed.');
    expect(bg.asked.filter((a) => a.name === 'crmSettings.retry').at(-1)?.request).toEqual({});
    expect(await seriousViolations(container)).toEqual([]);
  });

  it('warns at 80% of the daily limit, and says until when logging waits once HubSpot blocks it', async () => {
    const near = fakeBackground({
      overview: signedIn(
        'admin',
        connected({
          usage: { day: 'd', used: 200_000, limit: 250_000, remaining: 50_000, blockedUntil: null },
        }),
      ),
    });
    show(near.runtime);
    expect((await screen.findByTestId('crm-usage-warning')).textContent).toMatch(
      /^80% of HubSpot’s daily limit/,
    );
    cleanup();
    const blocked = fakeBackground({
      overview: signedIn(
        'admin',
        connected({
          usage: { day: 'd', used: 250_000, limit: 250_000, remaining: 0, blockedUntil: NOW + 3_600_000 },
        }),
      ),
    });
    show(blocked.runtime);
    expect((await screen.findByTestId('crm-blocked')).textContent).toBe(
      `HubSpot’s limit is reached: logging waits until ${format(NOW + 3_600_000)}.`,
    );
  });

  it('shows a manager the failures without a retry, and tells the admin a retry waits for HubSpot’s daily limit', async () => {
    const failures: CrmFailureView[] = [
      { id: 'e1', kind: 'email', state: 'failed', message: 'HubSpot said no', attempts: 5, updatedAt: NOW },
    ];
    const manager = fakeBackground({ overview: signedIn('manager', connected()), failures });
    show(manager.runtime);
    expect(await screen.findByText('HubSpot said no')).toBeTruthy();
    expect(screen.queryByRole('button', { name: /Retry/ })).toBeNull();
    cleanup();
    const until = NOW + 3_600_000;
    const admin = fakeBackground({ overview: signedIn('admin', connected()), failures, blockedUntil: until });
    show(admin.runtime);
    fireEvent.click(await screen.findByRole('button', { name: 'Retry all' }));
    expect((await screen.findByTestId('crm-notice')).textContent).toBe(
      `1 activity queued again: they go once HubSpot’s daily limit lifts, at ${format(until)}.`,
    );
  });

  it('says when the team reconnected to another portal and its deals are created there', async () => {
    const change = { previousPortalId: '11112222', at: null, requeued: null };
    const soon = fakeBackground({ overview: signedIn('rep', connected({ dealsPortalChange: change })) });
    show(soon.runtime);
    expect((await screen.findByTestId('crm-portal-change')).textContent).toBe(
      'Reconnected to another HubSpot portal (was 11112222): the deals are created in this one at the next sync.',
    );
    cleanup();
    const done = fakeBackground({
      overview: signedIn('admin', connected({ dealsPortalChange: { ...change, at: NOW, requeued: 12 } })),
    });
    show(done.runtime);
    expect((await screen.findByTestId('crm-portal-change')).textContent).toBe(
      'Reconnected to another HubSpot portal (was 11112222): 12 deals queued to be created in this one.',
    );
    cleanup();
    show(fakeBackground({ overview: signedIn('admin', connected({ dealsPortalChange: null })) }).runtime);
    await screen.findByTestId('crm-portal');
    expect(screen.queryByTestId('crm-portal-change')).toBeNull();
  });

  it('disconnects only after the admin confirms', async () => {
    const bg = fakeBackground({ overview: signedIn('admin', connected()) });
    show(bg.runtime);
    fireEvent.click(await screen.findByRole('button', { name: 'Disconnect HubSpot' }));
    // The keyboard's focus moves into the question, and back when it is cancelled.
    expect(document.activeElement?.textContent).toBe('Cancel');
    fireEvent.click(screen.getByRole('button', { name: 'Cancel' }));
    expect(document.activeElement?.textContent).toBe('Disconnect HubSpot');
    expect(bg.asked.some((a) => a.name === 'crmSettings.disconnect')).toBe(false);
    fireEvent.click(screen.getByRole('button', { name: 'Disconnect HubSpot' }));
    expect(screen.getByText(/Threadline stops logging to it/)).toBeTruthy();
    fireEvent.click(screen.getByRole('button', { name: 'Yes, disconnect' }));
    await screen.findByTestId('crm-not-connected');
    expect(screen.getByTestId('crm-notice').textContent).toBe(
      'HubSpot is disconnected; its tokens are revoked.',
    );
  });

  it('saves the options: creating contacts, and the never-log list (refusing what is not an address or domain)', async () => {
    const bg = fakeBackground({ overview: signedIn('admin', connected()) });
    show(bg.runtime);
    expect(await screen.findByText(/your team’s own domain \(acme\.test\)/)).toBeTruthy();
    fireEvent.click(screen.getByLabelText(/Create a contact in HubSpot/));
    await waitFor(() =>
      expect(bg.asked.find((a) => a.name === 'crmSettings.save')?.request).toEqual({ createContacts: true }),
    );
    const input = screen.getByLabelText('Address or domain never to log');
    fireEvent.change(input, { target: { value: 'not an address' } });
    fireEvent.click(screen.getByRole('button', { name: 'Add' }));
    expect((await screen.findByRole('alert')).textContent).toMatch(/“not an address” is neither an address/);
    fireEvent.change(input, { target: { value: '@Rival.example' } });
    fireEvent.click(screen.getByRole('button', { name: 'Add' }));
    await screen.findByRole('button', { name: 'Remove @rival.example' });
    expect(bg.asked.filter((a) => a.name === 'crmSettings.save').at(-1)?.request).toEqual({
      neverLog: ['@rival.example'],
    });
  });

  it('maps a Threadline stage and a fact to HubSpot, and lets Threadline win on the amount', async () => {
    const bg = fakeBackground({ overview: signedIn('admin', connected()) });
    show(bg.runtime, {
      playbooks: async () => [
        {
          pipelineId: 'p1',
          name: 'New business',
          stages: [{ id: 'discovery', name: 'Discovery' }],
          facts: [{ key: 'budget', label: 'Budget' }],
        },
      ],
    });
    const stage = await screen.findByLabelText('HubSpot stage for Discovery');
    await screen.findByRole('option', { name: 'Appointment Scheduled' });
    fireEvent.change(stage, { target: { value: 'appointmentscheduled' } });
    fireEvent.change(screen.getByLabelText('HubSpot property for Budget'), {
      target: { value: 'budget_eur' },
    });
    fireEvent.click(screen.getByLabelText('Threadline wins: Amount'));
    fireEvent.click(screen.getByRole('button', { name: 'Save deal mapping' }));
    await waitFor(() =>
      expect(bg.asked.find((a) => a.name === 'crmSettings.save')?.request).toEqual({
        deals: {
          enabled: true,
          pipelines: { p1: { hubspotPipelineId: 'default', stages: { discovery: 'appointmentscheduled' } } },
          facts: { budget: 'budget_eur' },
          threadlineWins: ['amount'],
        },
      }),
    );
  });

  it('shows each rep’s HubSpot owner and lets the admin change it', async () => {
    const bg = fakeBackground({ overview: signedIn('admin', connected()) });
    show(bg.runtime);
    const select = await screen.findByLabelText('HubSpot owner for sam@acme.test');
    const lee = screen.getAllByTestId('crm-owner-row')[0]!;
    expect(lee.textContent).toContain('matched by email');
    fireEvent.change(select, { target: { value: '70000003' } });
    await waitFor(() =>
      expect(screen.getAllByTestId('crm-owner-row')[1]!.textContent).toContain('set by an admin'),
    );
    expect(bg.asked.find((a) => a.name === 'crmSettings.setOwner')?.request).toEqual({
      userId: 'u2',
      ownerId: '70000003',
    });
  });

  it('shows a rep the same state read-only: no connecting, no retry, options disabled, no owner list', async () => {
    const failures: CrmFailureView[] = [
      { id: 'e1', kind: 'email', state: 'failed', message: 'HubSpot said no', attempts: 5, updatedAt: NOW },
    ];
    const bg = fakeBackground({ overview: signedIn('rep', connected()), failures });
    const { container } = show(bg.runtime);
    // The failures name the team's contacts with HubSpot's messages: a rep's page never asks for them.
    expect((await screen.findByTestId('crm-failures-hidden')).textContent).toBe(
      'Managers and admins see each failure with HubSpot’s message.',
    );
    expect(screen.getByTestId('crm-failed').textContent).toBe('1');
    expect(screen.queryByText('HubSpot said no')).toBeNull();
    expect(bg.asked.some((a) => a.name === 'crmSettings.failures')).toBe(false);
    expect(screen.queryByRole('button', { name: /Disconnect|Retry/ })).toBeNull();
    expect(screen.getByLabelText(/Create a contact in HubSpot/)).toHaveProperty('disabled', true);
    expect(screen.queryByLabelText('Address or domain never to log')).toBeNull();
    expect(screen.getByText('Managers and admins see which HubSpot owner each rep is.')).toBeTruthy();
    expect(bg.asked.some((a) => a.name === 'crmSettings.owners')).toBe(false);
    expect(await seriousViolations(container)).toEqual([]);
    cleanup();
    const off = fakeBackground({ overview: signedIn('rep', notConnected()) });
    show(off.runtime);
    expect(
      await screen.findByText('An admin of your team connects HubSpot; you see its state here.'),
    ).toBeTruthy();
    expect(screen.queryByRole('button')).toBeNull();
  });
});
