// @vitest-environment node
import { Hono } from 'hono';
import { spawnSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadEnv } from './env';
import { serveApp } from './serve';
import { createTestServer, type TestServer } from './testing/harness';

let t: TestServer;
beforeAll(async () => {
  t = await createTestServer();
}, 60_000);
afterAll(() => t?.close());

describe('the server', () => {
  it('answers /health when its database does', async () => {
    expect(await t.call('GET', '/health')).toEqual({ status: 200, body: { status: 'ok' } });
  });

  it('publishes its OpenAPI document with every route', async () => {
    const { status, body } = await t.call<{ openapi: string; paths: Record<string, unknown> }>(
      'GET',
      '/openapi.json',
    );
    expect(status).toBe(200);
    expect(body.openapi).toBe('3.1.0');
    expect(Object.keys(body.paths)).toEqual(
      expect.arrayContaining([
        '/auth/nonce',
        '/auth/signin',
        '/auth/refresh',
        '/me',
        '/team/members',
        '/team/invites',
        '/team/members/{userId}',
        '/sync/push',
        '/sync/pull',
        '/leases/{mailbox}',
        '/tracking/links',
        '/t/o/{token}',
        '/t/c/{token}',
        '/t/u/{token}',
      ]),
    );
  });

  it('answers unknown routes with a JSON 404', async () => {
    const { status, body } = await t.call('GET', '/nope');
    expect(status).toBe(404);
    expect(body).toEqual({ error: { code: 'not_found', message: 'no route GET /nope' } });
  });
});

describe('bad input', () => {
  it('rejects a malformed JSON body with 400', async () => {
    const { admin } = await t.newTeam();
    const res = await t.call<{ error: { code: string } }>('POST', '/sync/push', {
      token: admin.accessToken,
      raw: '{"clientId": ',
    });
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('invalid_request');
  });

  it('rejects unknown fields, naming them', async () => {
    const { admin } = await t.newTeam();
    const res = await t.call<{ error: { message: string } }>('POST', '/team/invites', {
      token: admin.accessToken,
      body: { role: 'rep', extra: 1 },
    });
    expect(res.status).toBe(400);
    expect(res.body.error.message).toMatch(/extra/);
  });

  it('rejects a body of the wrong type, naming the field', async () => {
    const { admin } = await t.newTeam();
    const res = await t.call<{ error: { message: string } }>('POST', '/sync/push', {
      token: admin.accessToken,
      body: { clientId: 'c', mutations: 'all of them' },
    });
    expect(res.status).toBe(400);
    expect(res.body.error.message).toMatch(/^json\.mutations:/);
  });

  it('rejects a body sent without a JSON content type', async () => {
    const { admin } = await t.newTeam();
    const res = await t.call('POST', '/team/invites', {
      token: admin.accessToken,
      raw: '{"role":"rep"}',
      headers: { 'content-type': 'text/plain' },
    });
    expect(res.status).toBe(415);
    expect(res.body).toMatchObject({ error: { code: 'unsupported_media_type' } });
  });

  it('rejects an oversized body with 413 and writes nothing', async () => {
    const { admin } = await t.newTeam();
    const huge = 'x'.repeat(2 * 1024 * 1024);
    const res = await t.call<{ error: { code: string } }>('POST', '/sync/push', {
      token: admin.accessToken,
      body: {
        clientId: 'c',
        mutations: [{ id: 1, name: 'contact.upsert', args: { id: 'c1', email: 'a@b.co', company: huge } }],
      },
    });
    expect(res.status).toBe(413);
    expect(res.body.error.code).toBe('payload_too_large');
    const pull = await t.call<{ rows: unknown[] }>('GET', '/sync/pull?cursor=0', {
      token: admin.accessToken,
    });
    expect(pull.body.rows).toEqual([]);
  });
});

describe('settings', () => {
  it('has defaults for a fresh machine', () => {
    const env = loadEnv({});
    expect(env).toMatchObject({
      PORT: 8787,
      DATA_DIR: '.data/pglite',
      PUBLIC_URL: 'http://localhost:8787',
      OIDC_ISSUERS: [],
    });
    expect(env.DATABASE_URL).toBeUndefined();
    expect(loadEnv({ DATABASE_URL: '', PORT: '' })).toMatchObject({ PORT: 8787 });
  });

  it('stops on a bad setting with a message naming the variable', () => {
    expect(() => loadEnv({ PORT: 'eighty' })).toThrow(/PORT:/);
    expect(() => loadEnv({ DATABASE_URL: 'mysql://x' })).toThrow(/DATABASE_URL: must be a postgres/);
    expect(() => loadEnv({ OIDC_ISSUERS: '[{' })).toThrow(/OIDC_ISSUERS: is not JSON/);
    expect(() => loadEnv({ OIDC_ISSUERS: '[{"issuer":"https://a.example"}]' })).toThrow(
      /OIDC_ISSUERS\.0\.audiences/,
    );
    expect(() => loadEnv({ TRACKING_SECRET: 'short' })).toThrow(/TRACKING_SECRET: must be at least 32/);
    expect(() => loadEnv({ CRM_SYNC_INTERVAL_S: '0' })).toThrow(/CRM_SYNC_INTERVAL_S: must be at least 0.05/);
    expect(loadEnv({ CRM_SYNC_INTERVAL_S: '0.1' }).CRM_SYNC_INTERVAL_S).toBe(0.1);
  });

  it('`npm run server` exits with the message when a setting is bad', () => {
    const run = spawnSync(process.execPath, ['--import', 'tsx', 'server/main.ts'], {
      env: { ...process.env, PORT: 'eighty', DATABASE_URL: 'mysql://db', OIDC_ISSUERS: '[' },
      encoding: 'utf8',
      timeout: 30_000,
    });
    expect(run.status).toBe(1);
    expect(run.stderr).toMatch(/PORT: .*\n.*DATABASE_URL: must be a postgres.*\n.*OIDC_ISSUERS: is not JSON/);
  });

  it('requires secrets and a public address in production', () => {
    expect(() => loadEnv({ NODE_ENV: 'production' })).toThrow(/SESSION_SECRET: required in production/);
  });

  it('reads Google and Microsoft issuers from OIDC_ISSUERS', () => {
    const issuers = [
      { issuer: 'https://accounts.google.com', audiences: ['123.apps.googleusercontent.com'] },
      {
        issuer: 'https://login.microsoftonline.com/{tenantid}/v2.0',
        audiences: ['0000-1111'],
        discoveryUrl: 'https://login.microsoftonline.com/common/v2.0/.well-known/openid-configuration',
      },
    ];
    expect(loadEnv({ OIDC_ISSUERS: JSON.stringify(issuers) }).OIDC_ISSUERS).toEqual(issuers);
  });
});

describe('graceful shutdown', () => {
  it('finishes the requests in flight, then refuses new ones', async () => {
    let release!: () => void;
    const released = new Promise<void>((resolve) => (release = resolve));
    const slow = new Hono().get('/slow', async (c) => {
      await released;
      return c.text('done');
    });
    const server = await serveApp(slow, { port: 0, hostname: '127.0.0.1' });
    const inFlight = fetch(`${server.url}/slow`).then((r) => r.text());
    await new Promise((resolve) => setTimeout(resolve, 100)); // let the request arrive
    let stopped = false;
    const stopping = server.stop().then(() => (stopped = true));
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(stopped).toBe(false);
    release();
    expect(await inFlight).toBe('done');
    await stopping;
    await expect(fetch(`${server.url}/slow`)).rejects.toThrow();
  });
});
