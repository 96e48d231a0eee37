import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { sql, type KyselyPlugin } from 'kysely';
import type { Session } from '../../lib/contract/auth';
import { createApp, type App } from '../app';
import { openDatabase, type Database } from '../db/database';
import type { RateLimits } from '../rate-limit';
import type { CrmConfig } from '../crm/config';
import { createLogger } from '../log';
import { startTestIssuer, type TestIssuer } from './issuer';

export interface Reply<T = unknown> {
  status: number;
  body: T;
}

/**
 * One database and one app per test file (PGlite costs seconds to create). Tests stay apart by signing in
 * fresh members of fresh teams. With DATABASE_URL set, the file gets its own schema on that server, dropped
 * at the end, so parallel files and CI runs never meet.
 */
export interface TestServer {
  app: App;
  database: Database;
  issuer: TestIssuer;
  /** The server's clock; `advance` moves it. */
  now(): number;
  advance(ms: number): void;
  call<T = unknown>(
    method: string,
    path: string,
    options?: { token?: string; body?: unknown; raw?: string; headers?: Record<string, string> },
  ): Promise<Reply<T>>;
  signIn(options?: { email?: string; invite?: string; sub?: string }): Promise<Session>;
  /** An admin of a new team, and members with the given roles in it. */
  newTeam(...roles: ('rep' | 'manager' | 'admin')[]): Promise<{ admin: Session; members: Session[] }>;
  close(): Promise<void>;
}

/**
 * An empty embedded database costs seconds to create; a migrated one is kept as a tarball (keyed by the
 * migrations' source) and each test file starts from it in a fraction of that.
 */
async function openEmbedded(): Promise<Database> {
  const here = dirname(fileURLToPath(import.meta.url));
  const migrations = await readFile(join(here, '../db/migrations.ts'));
  const key = createHash('sha256').update(migrations).digest('hex').slice(0, 16);
  const template = join(here, '../../node_modules/.cache/threadline-server', `pglite-${key}.tar`);
  const saved = await readFile(template).catch(() => undefined);
  if (saved) return openDatabase({ loadDataDir: new Blob([saved]) });
  const database = await openDatabase({});
  const files = Buffer.from(await (await database.dump!()).arrayBuffer());
  await mkdir(dirname(template), { recursive: true });
  const partial = `${template}.${process.pid}.${randomUUID()}`;
  await writeFile(partial, files);
  await rename(partial, template); // atomic: files racing to save it each write a whole one
  return database;
}

export async function createTestServer(
  options: {
    plugins?: KyselyPlugin[];
    issuers?: { issuer: string; audiences: string[] }[];
    /** Limits on the public endpoints (none otherwise: tests sign in often, on a clock that stands still). */
    rateLimits?: RateLimits;
    /** The CRM bridge's config (server/crm/config.ts). */
    crm?: CrmConfig;
  } = {},
): Promise<TestServer> {
  const url = process.env.DATABASE_URL;
  const schema = url ? `threadline_test_${randomBytes(6).toString('hex')}` : undefined;
  const database = url ? await openDatabase({ url, schema, poolSize: 4 }) : await openEmbedded();
  const issuer = await startTestIssuer();
  let clock = Date.now();
  const now = () => clock;
  const app = createApp({
    db: (options.plugins ?? []).reduce((db, plugin) => db.withPlugin(plugin), database.db),
    ...(database.readers ? { readers: database.readers } : {}),
    log: createLogger(process.env.TEST_LOG_LEVEL ?? 'silent'),
    publicUrl: 'http://threadline.test',
    sessionSecret: randomBytes(32),
    trackingSecret: randomBytes(32),
    issuers: [{ issuer: issuer.issuer, audiences: [issuer.audience] }, ...(options.issuers ?? [])],
    bodyLimitBytes: 1024 * 1024,
    now,
    ...(options.rateLimits ? { rateLimits: options.rateLimits } : {}),
    ...(options.crm ? { crm: options.crm } : {}),
  });

  const call: TestServer['call'] = async (method, path, options = {}) => {
    const headers: Record<string, string> = { ...options.headers };
    if (options.token) headers.authorization = `Bearer ${options.token}`;
    let body: string | undefined = options.raw;
    if (options.body !== undefined) body = JSON.stringify(options.body);
    if (body !== undefined) headers['content-type'] ??= 'application/json';
    const res = await app.request(path, { method, headers, ...(body !== undefined ? { body } : {}) });
    const text = await res.text();
    let parsed: unknown = text;
    try {
      parsed = text ? JSON.parse(text) : undefined;
    } catch {
      // Not JSON (a page or a pixel): keep the text.
    }
    return { status: res.status, body: parsed as never };
  };

  const signIn: TestServer['signIn'] = async (options = {}) => {
    const { body: nonce } = await call<{ nonce: string }>('POST', '/auth/nonce');
    const email = options.email ?? `rep-${randomUUID()}@example.com`;
    const idToken = await issuer.idToken({ sub: options.sub ?? randomUUID(), email, nonce: nonce.nonce });
    const res = await call<Session>('POST', '/auth/signin', {
      body: { idToken, nonce: nonce.nonce, ...(options.invite ? { invite: options.invite } : {}) },
    });
    if (res.status !== 200) throw new Error(`sign-in failed: ${res.status} ${JSON.stringify(res.body)}`);
    return res.body;
  };

  return {
    app,
    database,
    issuer,
    now,
    advance: (ms) => {
      clock += ms;
    },
    call,
    signIn,
    async newTeam(...roles) {
      const admin = await signIn();
      const members: Session[] = [];
      for (const role of roles) {
        const invite = await call<{ token: string }>('POST', '/team/invites', {
          token: admin.accessToken,
          body: { role },
        });
        members.push(await signIn({ invite: invite.body.token }));
      }
      return { admin, members };
    },
    async close() {
      if (schema) await sql`drop schema ${sql.id(schema)} cascade`.execute(database.db);
      await database.close();
      await issuer.close();
    },
  };
}
