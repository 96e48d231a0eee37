import { describe, expect, it } from 'vitest';
import type { BackendSession } from '../sync/backend-session';
import { crmSettingsHandlers } from './crm-settings';

const NOW = Date.parse('2026-03-02T10:00:00Z');
const user = { id: 'u1', email: 'lee@acme.test', role: 'admin' as const, teamId: 't1' };

function setUp(opts: { signedIn: boolean; answer?: (path: string, init: RequestInit) => Response }) {
  const calls: { url: string; method: string; auth: string | null; body?: unknown }[] = [];
  const opened: string[] = [];
  const session = {
    load: async () =>
      opts.signedIn
        ? {
            url: 'http://backend.test',
            clientId: 'c',
            session: { accessToken: 'at', refreshToken: 'rt', accessExpiresAt: NOW + 3_600_000, user },
          }
        : { url: 'http://backend.test', clientId: 'c' },
    token: async () => 'at',
  } as unknown as Pick<BackendSession, 'load' | 'token'>;
  const fetchFn = (async (input: string | URL | Request, init: RequestInit = {}) => {
    const url = String(input);
    const headers = new Headers(init.headers);
    calls.push({
      url,
      method: init.method ?? 'GET',
      auth: headers.get('authorization'),
      ...(init.body ? { body: JSON.parse(String(init.body)) as unknown } : {}),
    });
    return opts.answer?.(new URL(url).pathname, init) ?? new Response('{}', { status: 500 });
  }) as typeof fetch;
  const handlers = crmSettingsHandlers({
    session,
    tabs: { create: async ({ url }) => void opened.push(url) },
    fetch: fetchFn,
    now: () => NOW,
  });
  return { handlers, calls, opened };
}
const json = (body: unknown, status = 200) =>
  new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });

describe('Settings → CRM in the worker', () => {
  it('answers "no session" without asking the backend when the rep is not signed in', async () => {
    const { handlers, calls } = setUp({ signedIn: false });
    expect(await handlers['crmSettings.overview']!({}, {})).toEqual({
      session: 'none',
      backendUrl: 'http://backend.test',
    });
    await expect(handlers['crmSettings.failures']!({}, {})).rejects.toThrow(/Not signed in to a backend/);
    expect(calls).toEqual([]);
  });

  it('calls the backend with the rep’s session and opens HubSpot’s consent page in a tab', async () => {
    const { handlers, calls, opened } = setUp({
      signedIn: true,
      answer: (path) =>
        path === '/crm/hubspot/authorize'
          ? json({ url: 'http://127.0.0.1:8026/oauth/authorize?state=s' })
          : json({ connected: false, outbox: { waiting: 0, logged: 0, skipped: 0, failed: 0 } }),
    });
    const overview = await handlers['crmSettings.overview']!({}, {});
    expect(overview).toMatchObject({ session: 'signedIn', role: 'admin', status: { connected: false } });
    await handlers['crmSettings.authorize']!({}, {});
    expect(opened).toEqual(['http://127.0.0.1:8026/oauth/authorize?state=s']);
    expect(calls.map((c) => [c.method, c.url, c.auth])).toEqual([
      ['GET', 'http://backend.test/crm/connection', 'Bearer at'],
      ['POST', 'http://backend.test/crm/hubspot/authorize', 'Bearer at'],
    ]);
  });

  it('opens nothing when the backend names something other than a web page', async () => {
    const { handlers, opened } = setUp({
      signedIn: true,
      answer: () => json({ url: 'javascript:alert(1)' }),
    });
    await expect(handlers['crmSettings.authorize']!({}, {})).rejects.toThrow(/not a web page/);
    expect(opened).toEqual([]);
  });

  it('passes the server’s refusal on in its words (a missing CRM_TOKEN_KEY)', async () => {
    const { handlers } = setUp({
      signedIn: true,
      answer: () =>
        json(
          {
            error: {
              code: 'crm_key_missing',
              message: 'CRM_TOKEN_KEY is not set on the server: set it and restart.',
            },
          },
          503,
        ),
    });
    await expect(handlers['crmSettings.privateApp']!({ token: 'pat-na1-0123456789' }, {})).rejects.toThrow(
      'POST /crm/hubspot/private-app answered 503: CRM_TOKEN_KEY is not set on the server: set it and restart.',
    );
  });
});
