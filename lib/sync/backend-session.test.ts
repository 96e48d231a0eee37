// @vitest-environment node
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createOAuthClient } from '../mail/oauth';
import { startSandbox, type Sandbox } from '../../tools/sandbox/server';
import { createTestServer, type TestServer } from '../../server/testing/harness';
import { BackendError, createBackendSession } from './backend-session';

/**
 * Signing in to the backend as the demo does: the mail sandbox is a real OpenID Connect issuer (signed ID
 * tokens, discovery, keys), the extension's real PKCE client obtains an ID token carrying the backend's
 * nonce, and the real backend verifies it against the sandbox's published keys.
 */
let sandbox: Sandbox;
let server: TestServer;
beforeAll(async () => {
  sandbox = await startSandbox({ port: 0 });
  sandbox.addMailbox('rep@demo.example', 'gmail');
  server = await createTestServer({ issuers: [{ issuer: sandbox.url, audiences: ['threadline-demo'] }] });
}, 60_000);
afterAll(async () => {
  await sandbox?.stop();
  await server?.close();
});

const launch = async (url: string) =>
  (await fetch(url, { redirect: 'manual' })).headers.get('location') ?? undefined;

function device(
  options: { tamper?: (nonce: string) => string; allowHttp?: boolean; fetch?: typeof fetch } = {},
) {
  const items = new Map<string, unknown>();
  const session = createBackendSession({
    storage: {
      get: async (key) => (items.has(key) ? { [key]: items.get(key) } : {}),
      set: async (values) => void Object.entries(values).forEach(([k, v]) => items.set(k, v)),
      remove: async (key) => void items.delete(key),
    },
    fetch:
      options.fetch ??
      ((input, init) =>
        Promise.resolve(server.app.request(String(input).replace('http://threadline.test', ''), init))),
    // The backend runs in this process at an http address, as in the tests and the demo.
    allowHttp: options.allowHttp ?? true,
    signOutTimeoutMs: 200,
    idToken: (_provider, nonce, hint) =>
      createOAuthClient({
        config: {
          provider: 'google',
          clientId: 'threadline-demo',
          redirectUri: 'https://abcdefghijklmnop.chromiumapp.org/',
          ...(hint.loginHint ? { loginHint: hint.loginHint } : {}),
          endpoints: {
            authorize: `${hint.sandboxUrl}/oauth/authorize`,
            token: `${hint.sandboxUrl}/oauth/token`,
          },
        },
        fetch,
        launchWebAuthFlow: launch,
        store: { get: async () => undefined, set: async () => undefined, delete: async () => undefined },
        storeKey: 'unused',
        clock: () => Date.now(),
      }).openIdToken(options.tamper ? options.tamper(nonce) : nonce),
    newClientId: () => 'client-1',
  });
  return { session, items };
}

describe('signing in to the backend', () => {
  it('trades the sandbox’s signed ID token for a session, and renews it before it expires', async () => {
    const { session, items } = device();
    await session.configure('http://threadline.test/');
    const user = await session.signIn('sandbox', { loginHint: 'rep@demo.example', sandboxUrl: sandbox.url });
    expect(user).toMatchObject({ email: 'rep@demo.example', role: 'admin' });
    expect((await session.members(server.now())).map((m) => m.email)).toEqual(['rep@demo.example']);
    // Only the backend's own session is kept; no Google/Microsoft token is stored by signing in.
    expect(JSON.stringify([...items.values()])).not.toContain(sandbox.tokenFor('rep@demo.example'));

    const first = (await session.load())!.session!.accessToken;
    server.advance(20 * 60_000);
    const renewed = await session.token(server.now());
    expect(renewed).not.toBe(first);
    expect((await session.members(server.now())).length).toBe(1);
  });

  it('remembers that the backend ended the session, until the rep signs in again or signs out', async () => {
    const { session } = device();
    await session.configure('http://threadline.test');
    await session.signIn('sandbox', { loginHint: 'rep@demo.example', sandboxUrl: sandbox.url });
    // Weeks later the refresh token has expired: the backend refuses it.
    server.advance(90 * 86_400_000);
    await expect(session.token(server.now())).rejects.toThrow(/401/);
    expect(await session.load()).toMatchObject({ provider: 'sandbox', lapsedAt: server.now() });
    expect((await session.load())?.session).toBeUndefined();
    await session.signIn('sandbox', { loginHint: 'rep@demo.example', sandboxUrl: sandbox.url });
    expect((await session.load())?.lapsedAt).toBeUndefined();
    server.advance(90 * 86_400_000);
    await expect(session.token(server.now())).rejects.toThrow(/401/);
    await session.signOut();
    expect(await session.load()).toEqual({ url: 'http://threadline.test', clientId: 'client-1' });
  });

  it('is refused, keeping nothing, when the ID token does not carry the backend’s nonce', async () => {
    const { session } = device({ tamper: (nonce) => `${nonce}-replayed` });
    await session.configure('http://threadline.test');
    const attempt = session.signIn('sandbox', { loginHint: 'rep@demo.example', sandboxUrl: sandbox.url });
    await expect(attempt).rejects.toBeInstanceOf(BackendError);
    await expect(attempt).rejects.toThrow(/401/);
    expect((await session.load())?.session).toBeUndefined();
  });

  it('names a backend address that is not one', async () => {
    const { session } = device();
    await expect(session.configure('ftp://example.com')).rejects.toThrow(
      '"ftp://example.com" is not an http(s) address',
    );
    await expect(session.signIn('sandbox')).rejects.toThrow('Set the backend’s address first');
  });

  it('refuses a plain http backend in a production build, keeping nothing', async () => {
    const { session } = device({ allowHttp: false });
    await expect(session.configure('http://threadline.acme.test')).rejects.toThrow(
      '"http://threadline.acme.test" is not an https address',
    );
    expect(await session.load()).toBeUndefined();
    await session.configure('https://threadline.acme.test/');
    expect((await session.load())?.url).toBe('https://threadline.acme.test');
  });
});

describe('signing out', () => {
  it('ends the session on the backend too: a copy of its refresh token taken from the device is refused', async () => {
    const { session } = device();
    await session.configure('http://threadline.test');
    await session.signIn('sandbox', { loginHint: 'rep@demo.example', sandboxUrl: sandbox.url });
    const stolen = (await session.load())!.session!;
    await session.signOut(server.now());
    expect(await session.load()).toEqual({ url: 'http://threadline.test', clientId: 'client-1' });
    const replay = await server.app.request('/auth/refresh', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ refreshToken: stolen.refreshToken }),
    });
    expect(replay.status).toBe(401);
  });

  it('signs out on this device even when the backend cannot be reached or does not answer', async () => {
    const { session } = device();
    await session.configure('http://threadline.test');
    await session.signIn('sandbox', { loginHint: 'rep@demo.example', sandboxUrl: sandbox.url });
    const unreachable = device({ fetch: () => Promise.reject(new TypeError('fetch failed')) });
    await unreachable.session.configure('http://threadline.test');
    unreachable.items.set('backend', (await session.load())!);
    await unreachable.session.signOut(server.now());
    expect(await unreachable.session.load()).toEqual({ url: 'http://threadline.test', clientId: 'client-1' });

    const silent = device({ fetch: () => new Promise<Response>(() => undefined) });
    silent.items.set('backend', (await session.load())!);
    await silent.session.signOut(server.now());
    expect((await silent.session.load())?.session).toBeUndefined();
  });
});
