import { describe, expect, it } from 'vitest';
import { bytesToBase64Url } from './base64';
import { createOAuthClient, type OAuthConfig, type StoredTokens, type TokenStore } from './oauth';
import { MailError } from './provider';
import { jsonResponse as json } from './testing';

const NOW = Date.UTC(2024, 6, 2, 9, 0);
const REDIRECT = 'https://abcdefghijklmnop.chromiumapp.org/';
const SECRET_ACCESS = 'ya29.SECRET-ACCESS';
const SECRET_REFRESH = '1//SECRET-REFRESH';

function memoryStore(initial?: StoredTokens): TokenStore & { data: Map<string, StoredTokens> } {
  const data = new Map<string, StoredTokens>(initial ? [['k', initial]] : []);
  return {
    data,
    get: async (key) => data.get(key),
    set: async (key, tokens) => void data.set(key, tokens),
    delete: async (key) => void data.delete(key),
  };
}

const idToken = (claims: object) =>
  `e30.${bytesToBase64Url(new TextEncoder().encode(JSON.stringify(claims)))}.sig`;

async function s256(verifier: string): Promise<string> {
  return bytesToBase64Url(
    new Uint8Array(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(verifier))),
  );
}

interface Harness {
  provider?: OAuthConfig['provider'];
  store?: ReturnType<typeof memoryStore>;
  /** What the authorization page answers: a code, or an error (e.g. login_required for a silent attempt). */
  authorize?: (params: URLSearchParams, interactive: boolean) => Record<string, string> | Error;
  token?: (form: URLSearchParams) => Response | Error | undefined;
  interactiveFallback?: boolean;
  clock?: () => number;
}

function harness(h: Harness = {}) {
  const store = h.store ?? memoryStore();
  const launches: { url: URL; interactive: boolean }[] = [];
  const tokenRequests: URLSearchParams[] = [];
  const challenges = new Map<string, string>();
  const client = createOAuthClient({
    config: {
      provider: h.provider ?? 'google',
      clientId: 'client-123',
      redirectUri: REDIRECT,
      loginHint: 'rep@acme.example',
    },
    store,
    storeKey: 'k',
    clock: h.clock ?? (() => NOW),
    ...(h.interactiveFallback === undefined ? {} : { interactiveFallback: h.interactiveFallback }),
    launchWebAuthFlow: async (url, interactive) => {
      const parsed = new URL(url);
      launches.push({ url: parsed, interactive });
      const answer = h.authorize?.(parsed.searchParams, interactive) ?? { code: `code-${launches.length}` };
      if (answer instanceof Error) throw answer;
      if (answer.code) challenges.set(answer.code, parsed.searchParams.get('code_challenge') ?? '');
      const redirect = new URL(REDIRECT);
      for (const [k, v] of Object.entries({ state: parsed.searchParams.get('state') ?? '', ...answer })) {
        redirect.searchParams.set(k, v);
      }
      return redirect.toString();
    },
    fetch: (async (_input: RequestInfo | URL, init?: RequestInit) => {
      const form = new URLSearchParams(String(init?.body));
      tokenRequests.push(form);
      const custom = h.token?.(form);
      if (custom instanceof Error) throw custom;
      if (custom) return custom;
      if (form.get('grant_type') === 'authorization_code') {
        // The verifier must hash to the challenge the authorization request carried (RFC 7636 S256).
        if ((await s256(form.get('code_verifier') ?? '')) !== challenges.get(form.get('code') ?? '')) {
          return json(400, { error: 'invalid_grant', error_description: 'PKCE verification failed' });
        }
      }
      return json(200, {
        access_token: SECRET_ACCESS,
        expires_in: 3599,
        refresh_token: SECRET_REFRESH,
        id_token: idToken({ email: 'rep@acme.example' }),
        token_type: 'Bearer',
      });
    }) as typeof fetch,
  });
  return { client, store, launches, tokenRequests };
}

const expired = (over: Partial<StoredTokens> = {}): StoredTokens => ({
  accessToken: 'old-access',
  refreshToken: 'old-refresh',
  expiresAt: NOW - 1,
  ...over,
});

describe('OAuth client', () => {
  it('signs in to Google with PKCE (S256), offline access and the Gmail scopes', async () => {
    const { client, store, launches, tokenRequests } = harness();
    await expect(client.signIn()).resolves.toBe('rep@acme.example');

    const { url, interactive } = launches[0]!;
    expect(interactive).toBe(true);
    expect(url.origin + url.pathname).toBe('https://accounts.google.com/o/oauth2/v2/auth');
    const p = url.searchParams;
    expect(p.get('response_type')).toBe('code');
    expect(p.get('client_id')).toBe('client-123');
    expect(p.get('redirect_uri')).toBe(REDIRECT);
    expect(p.get('code_challenge_method')).toBe('S256');
    expect(p.get('code_challenge')).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(p.get('state')?.length).toBeGreaterThanOrEqual(16);
    expect(p.get('access_type')).toBe('offline');
    expect(p.get('login_hint')).toBe('rep@acme.example');
    expect(p.get('scope')?.split(' ')).toEqual([
      'https://www.googleapis.com/auth/gmail.send',
      'https://www.googleapis.com/auth/gmail.readonly',
      'openid',
      'email',
    ]);
    expect(tokenRequests[0]?.get('grant_type')).toBe('authorization_code');
    expect(store.data.get('k')).toEqual({
      accessToken: SECRET_ACCESS,
      refreshToken: SECRET_REFRESH,
      expiresAt: NOW + 3599_000,
      account: 'rep@acme.example',
    });
  });

  it('signs in to Microsoft with the Graph mail scopes on the tenant endpoint', async () => {
    const { client, launches, tokenRequests } = harness({ provider: 'microsoft' });
    await client.signIn();
    const { url } = launches[0]!;
    expect(url.origin + url.pathname).toBe('https://login.microsoftonline.com/common/oauth2/v2.0/authorize');
    expect(url.searchParams.get('scope')).toBe('Mail.Send Mail.ReadWrite offline_access openid email');
    expect(url.searchParams.get('response_mode')).toBe('query');
    expect(tokenRequests[0]?.get('scope')).toBe('Mail.Send Mail.ReadWrite offline_access openid email');
  });

  it('rejects a redirect whose state is not ours, and stores nothing', async () => {
    const { client, store } = harness({ authorize: () => ({ code: 'c', state: 'forged' }) });
    await expect(client.signIn()).rejects.toMatchObject({
      kind: 'auth',
      message: expect.stringContaining('state'),
    });
    expect(store.data.size).toBe(0);
  });

  it('hands out the stored token until shortly before it expires', async () => {
    const { client, tokenRequests } = harness({ store: memoryStore(expired({ expiresAt: NOW + 3600_000 })) });
    await expect(client.getAccessToken()).resolves.toBe('old-access');
    expect(tokenRequests).toHaveLength(0);
  });

  it('refreshes ahead of expiry, once for concurrent callers, and keeps the refresh token', async () => {
    const { client, store, tokenRequests } = harness({
      store: memoryStore(expired({ expiresAt: NOW + 60_000 })),
      token: () => json(200, { access_token: 'new-access', expires_in: 3600 }),
    });
    const tokens = await Promise.all([
      client.getAccessToken(),
      client.getAccessToken(),
      client.getAccessToken(),
    ]);
    expect(tokens).toEqual(['new-access', 'new-access', 'new-access']);
    expect(tokenRequests).toHaveLength(1);
    expect(tokenRequests[0]?.get('grant_type')).toBe('refresh_token');
    expect(tokenRequests[0]?.get('refresh_token')).toBe('old-refresh');
    expect(store.data.get('k')).toMatchObject({ accessToken: 'new-access', refreshToken: 'old-refresh' });
  });

  it('re-authorises silently when the refresh token is rejected', async () => {
    const { client, launches } = harness({
      store: memoryStore(expired()),
      token: (form) =>
        form.get('grant_type') === 'refresh_token' ? json(400, { error: 'invalid_grant' }) : undefined,
    });
    await expect(client.getAccessToken()).resolves.toBe(SECRET_ACCESS);
    expect(launches.map((l) => l.interactive)).toEqual([false]);
    expect(launches[0]?.url.searchParams.get('prompt')).toBe('none');
  });

  it('falls back to an interactive sign-in only when the silent one fails', async () => {
    const { client, launches } = harness({
      store: memoryStore(expired({ refreshToken: undefined })),
      authorize: (_p, interactive): Record<string, string> =>
        interactive ? { code: 'c-1' } : { error: 'login_required' },
    });
    await expect(client.getAccessToken()).resolves.toBe(SECRET_ACCESS);
    expect(launches.map((l) => l.interactive)).toEqual([false, true]);
  });

  it('can be told never to open a window, and then says sign-in is needed', async () => {
    const { client, launches } = harness({
      store: memoryStore(expired({ refreshToken: undefined })),
      authorize: () => new Error('User interaction required.'),
      interactiveFallback: false,
    });
    await expect(client.getAccessToken()).rejects.toMatchObject({ kind: 'auth' });
    expect(launches).toHaveLength(1);
  });

  it('keeps the grant when the token endpoint is down', async () => {
    const { client, store, launches } = harness({
      store: memoryStore(expired()),
      token: () => json(503, { error: 'temporarily_unavailable' }),
    });
    await expect(client.getAccessToken()).rejects.toMatchObject({ kind: 'transient' });
    expect(launches).toHaveLength(0);
    expect(store.data.get('k')?.refreshToken).toBe('old-refresh');
  });

  it('says why Google refuses a production build’s sign-in: its web client wants the secret the build leaves out', async () => {
    // Google's documented answer to a code exchange without client_secret from a Web application client.
    const { client } = harness({
      token: () => json(400, { error: 'invalid_request', error_description: 'client_secret is missing.' }),
    });
    await expect(client.signIn()).rejects.toThrow(
      'Google token endpoint answered 400 invalid_request: Google asks this client for its secret, which a production build never carries',
    );
  });

  it('forgets the tokens on sign-out', async () => {
    const { client, store } = harness({ store: memoryStore(expired({ expiresAt: NOW + 3600_000 })) });
    await client.signOut();
    expect(store.data.size).toBe(0);
    await expect(client.getAccessToken()).rejects.toMatchObject({ kind: 'not_connected' });
  });

  it('never puts a token, code or verifier in an error', async () => {
    const leaks = [SECRET_ACCESS, SECRET_REFRESH, 'old-refresh', 'old-access', 'code-1'];
    const errors: unknown[] = [];
    const cases: Harness[] = [
      {
        store: memoryStore(expired()),
        token: () => json(400, { error: 'invalid_grant', refresh_token: 'old-refresh' }),
        interactiveFallback: false,
        authorize: () => new Error(`failed at ${REDIRECT}?code=code-1&state=x`),
      },
      {
        store: memoryStore(expired()),
        // A network error that echoes the request body it failed to send.
        token: (form) => new TypeError(`connect failed body=${form.toString()}`),
      },
      {
        store: memoryStore(expired()),
        token: () => json(200, { access_token: SECRET_ACCESS, expires_in: 'soon' }),
      },
      { token: () => json(401, { error: 'invalid_client', error_description: `bad ${SECRET_REFRESH}` }) },
    ];
    for (const c of cases) {
      const { client, tokenRequests } = harness(c);
      errors.push(await client.getAccessToken().catch((e: unknown) => e));
      errors.push(await client.signIn().catch((e: unknown) => e));
      for (const form of tokenRequests)
        leaks.push(...['code', 'code_verifier'].flatMap((k) => form.get(k) ?? []));
    }
    for (const error of errors.filter((e) => e instanceof Error)) {
      expect(error).toBeInstanceOf(MailError);
      const text = `${String(error)} ${JSON.stringify(error)} ${(error as Error).stack ?? ''}`;
      for (const secret of leaks) expect(text).not.toContain(secret);
    }
    expect(errors.filter((e) => e instanceof Error).length).toBeGreaterThanOrEqual(6);
  });
});
