// @vitest-environment node
import { mkdtempSync, rmSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Session } from '../lib/contract/auth';
import type { TrackingLinks } from '../lib/contract/tracking';
import { openDatabase } from './db/database';
import { oneEnrollment } from './testing/fixtures';
import { startTestIssuer, type TestIssuer } from './testing/issuer';
import { freePort, serverProcess } from './testing/process';

/**
 * `npm run server` as a real process on its embedded database: SIGTERM while a push is still arriving and
 * opens are still held in memory. The push must be answered and applied, the opens written, the database
 * closed cleanly (a later process opens the same folder and finds everything), and the process must exit 0.
 */
let issuer: TestIssuer;
beforeAll(async () => {
  issuer = await startTestIssuer();
});
afterAll(() => issuer?.close());

describe('the server process', () => {
  it('on SIGTERM answers the push still arriving, writes the opens it held, closes its database, exits 0', async () => {
    const dataDir = mkdtempSync(path.join(tmpdir(), 'threadline-main-'));
    const server = serverProcess({
      PORT: String(await freePort()),
      HOST: '127.0.0.1',
      // Embedded: this test is about the process and its data folder, whatever database CI also has.
      DATABASE_URL: '',
      DATA_DIR: dataDir,
      LOG_LEVEL: 'info',
      OIDC_ISSUERS: JSON.stringify([{ issuer: issuer.issuer, audiences: [issuer.audience] }]),
    });
    const base = server.base;
    try {
      await server.start();
      expect(server.output()).toContain('listening');

      const call = async <T>(method: string, route: string, body?: unknown, token?: string): Promise<T> => {
        const res = await fetch(`${base}${route}`, {
          method,
          headers: {
            ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
            ...(token ? { authorization: `Bearer ${token}` } : {}),
          },
          ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
        });
        expect(res.status, `${method} ${route}: ${await res.clone().text()}`).toBe(200);
        return (await res.json()) as T;
      };
      const { nonce } = await call<{ nonce: string }>('POST', '/auth/nonce');
      const idToken = await issuer.idToken({ sub: 'rep-1', email: 'rep@acme.test', nonce });
      const rep = await call<Session>('POST', '/auth/signin', { idToken, nonce });
      await call(
        'POST',
        '/sync/push',
        {
          clientId: 'laptop',
          mutations: oneEnrollment({
            mailbox: 'rep@acme.test',
            email: 'ada@buyer.test',
            ids: { contact: 'c1', sequence: 'q', enrollment: 'e1' },
          }),
        },
        rep.accessToken,
      );
      const links = await call<TrackingLinks>(
        'POST',
        '/tracking/links',
        { enrollmentId: 'e1', stepIndex: 0 },
        rep.accessToken,
      );
      // Five opens: held a few seconds in memory before they are written (server/tracking/batcher.ts).
      for (let i = 0; i < 5; i++) {
        const pixel = await fetch(links.pixelUrl.replace(/^https?:\/\/[^/]+/, base), {
          headers: { 'user-agent': 'Mozilla/5.0 (Macintosh) AppleWebKit/605.1.15 Safari/605.1.15' },
        });
        expect(pixel.headers.get('content-type')).toBe('image/gif');
      }

      // A push whose body is still on its way when the signal comes.
      const body = JSON.stringify({
        clientId: 'laptop',
        mutations: [{ id: 4, name: 'contact.upsert', args: { id: 'c2', email: 'bo@buyer.test' } }],
      });
      const answer = new Promise<{ status: number; text: string }>((resolve, reject) => {
        const req = request(
          `${base}/sync/push`,
          {
            method: 'POST',
            headers: {
              'content-type': 'application/json',
              'content-length': Buffer.byteLength(body),
              authorization: `Bearer ${rep.accessToken}`,
            },
          },
          (res) => {
            let text = '';
            res.on('data', (chunk) => (text += chunk));
            res.on('end', () => resolve({ status: res.statusCode ?? 0, text }));
          },
        );
        req.on('error', reject);
        req.write(body.slice(0, 20));
        setTimeout(() => {
          void server.stop('SIGTERM');
          setTimeout(() => req.end(body.slice(20)), 500);
        }, 200);
      });
      const pushed = await answer;
      expect(pushed.status).toBe(200);
      expect(JSON.parse(pushed.text)).toMatchObject({ lastMutationId: 4, results: [{ status: 'applied' }] });
      expect(await server.exited()).toBe(0);
      expect(server.output()).toContain('shutting down');
      expect(server.output()).toContain('"msg":"stopped"');
    } finally {
      await server.stop();
    }

    // The folder opens again with everything in it.
    const reopened = await openDatabase({ dataDir });
    try {
      const count = async (kind: string) =>
        (
          await sql<{ n: number }>`select count(*)::int as n from entities where kind = ${kind}`.execute(
            reopened.db,
          )
        ).rows[0]!.n;
      expect(await count('contact')).toBe(2);
      expect(await count('event')).toBe(5);
    } finally {
      await reopened.close();
      rmSync(dataDir, { recursive: true, force: true });
    }
  }, 240_000); // a fresh embedded database takes about a minute to start on a busy 2-core machine
});
