import { describe, expect, it, vi } from 'vitest';
import type { AnalyticsCatalog } from '@/lib/options-ports/interfaces/analytics';
import { remoteAnalyticsSource } from './analytics-remote';

const catalog: AnalyticsCatalog = {
  scope: 'own',
  timeZone: 'Europe/Paris',
  sequences: [],
  reps: [{ mailbox: 'ben@seller.example', name: 'Ben', memberId: 'member-ben' }],
  hasData: true,
};
const zeroRow = {
  counts: Object.fromEntries(
    ['enrolled', 'contacted', 'reached', 'sent', 'delivered', 'bounced', 'bouncedHard', 'bouncedSoft']
      .concat(['openedHuman', 'openedAll', 'clicked', 'replied', 'outOfOffice', 'meetings', 'unsubscribed'])
      .map((k) => [k, 0]),
  ),
  rates: Object.fromEntries(
    ['bounceRate', 'openRate', 'openRateAll', 'clickRate', 'replyRate', 'outOfOfficeRate', 'meetingRate']
      .concat(['unsubscribeRate'])
      .map((k) => [k, null]),
  ),
};
const answer = {
  totals: zeroRow,
  bySequence: [],
  byStep: [],
  byRep: [],
  daily: [],
  abTests: [],
  taskAdherence: [],
};
// 1 to 7 March 2026 on Paris time: midnight is 23:00 UTC the day before.
const filter = { from: Date.UTC(2026, 1, 28, 23), to: Date.UTC(2026, 2, 7, 23) };

function source(response: () => Response) {
  const fetch = vi.fn(async (_url: string, _init?: RequestInit) => response());
  const token = vi.fn(async () => 'session-1');
  const s = remoteAnalyticsSource({
    baseUrl: 'https://tl.example/',
    token,
    fetch: fetch as unknown as typeof globalThis.fetch,
    catalog: async () => catalog,
  });
  return { s, fetch, token };
}

describe('analytics from the team backend', () => {
  it('asks GET /analytics for whole days on the rep’s clock, with the session token, and a member by mailbox', async () => {
    const { s, fetch } = source(() => Response.json(answer));
    expect(
      await s.load({
        ...filter,
        sequenceIds: ['seq-1'],
        mailboxes: ['ben@seller.example'],
        stepIndexes: [2],
      }),
    ).toEqual(answer);
    const [url, init] = fetch.mock.calls[0]!;
    const u = new URL(url);
    expect(u.origin + u.pathname).toBe('https://tl.example/analytics');
    expect(Object.fromEntries(u.searchParams)).toEqual({
      from: '2026-03-01',
      to: '2026-03-07',
      timeZone: 'Europe/Paris',
      sequenceId: 'seq-1',
      stepIndex: '2',
      repId: 'member-ben',
    });
    expect((init!.headers as Record<string, string>).authorization).toBe('Bearer session-1');
    expect((await s.catalog()).scope).toBe('team');
  });

  it('reports the backend’s own error message, a proxy’s page by the route, and an answer of the wrong shape by its field', async () => {
    const denied = source(() =>
      Response.json({ error: { code: 'forbidden', message: 'Only managers see the team' } }, { status: 403 }),
    );
    await expect(denied.s.load(filter)).rejects.toMatchObject({ message: 'Only managers see the team' });
    const building = source(() =>
      Response.json(
        {
          error: {
            code: 'analytics_building',
            message: 'The team’s figures are being built: try in a minute',
          },
        },
        { status: 503, headers: { 'retry-after': '60' } },
      ),
    );
    await expect(building.s.load(filter)).rejects.toMatchObject({
      message: 'The team’s figures are being built: try in a minute',
      status: 503,
    });
    const proxy = source(
      () => new Response('<html><body>Bad Gateway</body></html>', { status: 502, statusText: 'Bad Gateway' }),
    );
    await expect(proxy.s.load(filter)).rejects.toThrow(
      'GET /analytics answered 502 Bad Gateway: an HTML page rather than the backend’s JSON',
    );
    const wrong = source(() => Response.json({ ...answer, totals: { counts: {} } }));
    await expect(wrong.s.load(filter)).rejects.toThrow(
      /^GET \/analytics answered an unexpected shape: totals\./,
    );
    const down = remoteAnalyticsSource({
      baseUrl: 'https://tl.example',
      token: async () => 't',
      fetch: (async () => {
        throw new TypeError('Failed to fetch');
      }) as unknown as typeof fetch,
      catalog: async () => catalog,
    });
    await expect(down.load(filter)).rejects.toThrow(
      'The backend at https://tl.example cannot be reached (Failed to fetch)',
    );
  });
});
