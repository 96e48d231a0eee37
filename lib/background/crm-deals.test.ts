import { describe, expect, it } from 'vitest';
import type { Deal } from '../domain/deal';
import { listen, send, type Runtime, type Sender } from '../protocol/endpoints';
import type { BackendSession } from '../sync/backend-session';
import { crmDealsHandlers, DEAL_REFRESH_EVERY_MS } from './crm-deals';

const NOW = Date.parse('2026-12-07T10:00:00Z');
const rep = { id: 'u1', email: 'rep@seller.example', role: 'rep' as const, teamId: 't1' };
const deals = new Map<string, Pick<Deal, 'id' | 'ownerId'>>([
  ['d-mine', { id: 'd-mine', ownerId: 'REP@seller.example' }],
  ['d-other', { id: 'd-other', ownerId: 'other@seller.example' }],
]);
const json = (body: unknown, status = 200) =>
  new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });

function setUp(opts: { signedIn?: boolean; user?: typeof rep; answer?: () => Response } = {}) {
  const clock = { now: NOW };
  const calls: { url: string; auth: string | null; body: unknown }[] = [];
  let pulls = 0;
  const session = {
    load: async () =>
      opts.signedIn === false
        ? { url: 'http://backend.test', clientId: 'c' }
        : {
            url: 'http://backend.test',
            clientId: 'c',
            session: {
              accessToken: 'at',
              refreshToken: 'rt',
              accessExpiresAt: NOW + 3_600_000,
              user: opts.user ?? rep,
            },
          },
    token: async () => 'at',
  } as unknown as Pick<BackendSession, 'load' | 'token'>;
  const fetchFn = (async (input: string | URL | Request, init: RequestInit = {}) => {
    calls.push({
      url: String(input),
      auth: new Headers(init.headers).get('authorization'),
      body: JSON.parse(String(init.body)) as unknown,
    });
    return opts.answer?.() ?? json({ linked: true, moved: true, stageId: 'demo', hubspotId: '9' });
  }) as typeof fetch;
  const handlers = crmDealsHandlers({
    db: { deals: { get: async (id: string) => deals.get(id) } } as never,
    session,
    fetch: fetchFn,
    now: () => clock.now,
    pull: async () => void pulls++,
  });
  return { handlers, calls, clock, pulls: () => pulls };
}

describe('crmDeals.refresh: the deal’s HubSpot stage read on opening a thread', () => {
  it('asks the backend with the rep’s session, then pulls so the moved stage lands on this device', async () => {
    const { handlers, calls, pulls } = setUp();
    expect(await handlers['crmDeals.refresh']!({ dealId: 'd-mine' }, {})).toEqual({
      state: 'read',
      linked: true,
      moved: true,
    });
    expect(calls).toEqual([
      { url: 'http://backend.test/crm/deals/refresh', auth: 'Bearer at', body: { dealId: 'd-mine' } },
    ]);
    expect(pulls()).toBe(1);
  });

  it('refuses a deal that is not on this device or not the rep’s; a manager may ask about a team deal', async () => {
    const { handlers, calls } = setUp();
    await expect(handlers['crmDeals.refresh']!({ dealId: 'd-other' }, {})).rejects.toThrow(
      /no deal d-other of yours/,
    );
    await expect(handlers['crmDeals.refresh']!({ dealId: 'nope' }, {})).rejects.toThrow(/no deal nope/);
    expect(calls).toEqual([]);
    const manager = setUp({ user: { ...rep, role: 'manager' as never } });
    expect((await manager.handlers['crmDeals.refresh']!({ dealId: 'd-other' }, {})).state).toBe('read');
  });

  it('is quiet without a session, for a deal the backend does not have yet, and unlinked deals pull nothing', async () => {
    const out = setUp({ signedIn: false });
    expect(await out.handlers['crmDeals.refresh']!({ dealId: 'd-mine' }, {})).toEqual({
      state: 'no_backend',
    });
    expect(out.calls).toEqual([]);
    const unsynced = setUp({ answer: () => json({ error: 'not_found', message: 'no deal' }, 404) });
    expect(await unsynced.handlers['crmDeals.refresh']!({ dealId: 'd-mine' }, {})).toEqual({
      state: 'not_linked',
    });
    const unlinked = setUp({ answer: () => json({ linked: false, moved: false }) });
    expect(await unlinked.handlers['crmDeals.refresh']!({ dealId: 'd-mine' }, {})).toMatchObject({
      linked: false,
    });
    expect(unsynced.pulls() + unlinked.pulls()).toBe(0);
  });

  it('asks the backend at most once a minute per deal, however often the thread opens', async () => {
    const { handlers, calls, clock } = setUp();
    await handlers['crmDeals.refresh']!({ dealId: 'd-mine' }, {});
    clock.now += DEAL_REFRESH_EVERY_MS - 1;
    expect(await handlers['crmDeals.refresh']!({ dealId: 'd-mine' }, {})).toEqual({ state: 'throttled' });
    expect(calls).toHaveLength(1);
    clock.now += 1;
    expect((await handlers['crmDeals.refresh']!({ dealId: 'd-mine' }, {})).state).toBe('read');
    expect(calls).toHaveLength(2);
  });

  it('is answered to the mail page and refused from a page that is not a mail host', async () => {
    const { handlers } = setUp();
    const from = (url: string): Runtime => {
      let listener: ((m: unknown, s: Sender) => Promise<unknown> | undefined) | undefined;
      const runtime: Runtime = {
        id: 'ext',
        sendMessage: async (m) => listener?.(m, { id: 'ext', url }),
        onMessage: { addListener: (cb) => void (listener = cb) },
      };
      listen(runtime, handlers, (u) => u.startsWith('https://mail.google.com/'));
      return runtime;
    };
    expect(
      (await send(from('https://mail.google.com/mail/u/0/'), 'crmDeals.refresh', { dealId: 'd-mine' })).state,
    ).toBe('read');
    await expect(
      send(from('https://evil.example/'), 'crmDeals.refresh', { dealId: 'd-mine' }),
    ).rejects.toThrow(/refused/);
  });
});
