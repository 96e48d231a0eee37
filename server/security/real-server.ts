import { mkdtemp, rm } from 'node:fs/promises';
import { randomBytes } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import type { Session } from '../../lib/contract/auth';
import type { TestIssuer } from '../testing/issuer';
import { freePort, serverProcess, type ServerProcess } from '../testing/process';

export interface Answer<T = unknown> {
  status: number;
  body: T;
  headers: Headers;
}

/**
 * The backend as a real process (`server/main.ts`) on a database of its own: a temporary embedded one, or,
 * with DATABASE_URL, a database created on that server and dropped at the end. `processes` > 1 (PostgreSQL
 * only) starts several processes on the same database, as behind a load balancer.
 */
export async function startRealServer(env: Record<string, string>, processes = 1) {
  const url = process.env.DATABASE_URL;
  let dir: string | undefined;
  let admin: pg.Client | undefined;
  let dbName: string | undefined;
  let dbEnv: Record<string, string>;
  if (url) {
    dbName = `threadline_sec_${randomBytes(6).toString('hex')}`;
    admin = new pg.Client({ connectionString: url });
    await admin.connect();
    await admin.query(`create database ${dbName}`);
    const own = new URL(url);
    own.pathname = `/${dbName}`;
    dbEnv = { DATABASE_URL: own.toString() };
  } else {
    if (processes > 1) throw new Error('several processes need PostgreSQL (DATABASE_URL)');
    dir = await mkdtemp(join(tmpdir(), 'threadline-security-'));
    dbEnv = { DATABASE_URL: '', DATA_DIR: join(dir, 'pglite') };
  }
  const servers: ServerProcess[] = [];
  const cleanUp = async () => {
    for (const server of servers) await server.stop('SIGTERM');
    if (admin && dbName) {
      await admin.query(`drop database ${dbName} with (force)`);
      await admin.end();
    }
    if (dir) await rm(dir, { recursive: true, force: true });
  };
  try {
    for (let i = 0; i < processes; i++) {
      const server = serverProcess({ ...dbEnv, PORT: String(await freePort()), HOST: '127.0.0.1', ...env });
      servers.push(server);
      // One at a time: the first migrates.
      await server.start();
    }
  } catch (error) {
    await cleanUp(); // a server that would not start is not left running
    throw error;
  }

  async function call<T = unknown>(
    method: string,
    path: string,
    options: { token?: string; body?: unknown; raw?: string; on?: number; redirect?: 'manual' } = {},
  ): Promise<Answer<T>> {
    const base = servers[options.on ?? 0]!.base;
    const body = options.body !== undefined ? JSON.stringify(options.body) : options.raw;
    const res = await fetch(`${base}${path}`, {
      method,
      redirect: 'manual',
      headers: {
        ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
        ...(options.token ? { authorization: `Bearer ${options.token}` } : {}),
        'user-agent': 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) Thunderbird/128.0',
      },
      ...(body !== undefined ? { body } : {}),
    });
    const text = await res.text();
    let parsed: unknown = text;
    try {
      parsed = text ? JSON.parse(text) : undefined;
    } catch {
      // a page or a pixel
    }
    return { status: res.status, body: parsed as T, headers: res.headers };
  }

  /** Signs in with an ID token of `issuer` carrying `claims`; answers whatever the server says. */
  async function signIn(
    issuer: TestIssuer,
    claims: Record<string, unknown> & { sub: string },
    options: { invite?: string; tenant?: string } = {},
  ): Promise<Answer<Session>> {
    const nonce = await call<{ nonce: string }>('POST', '/auth/nonce');
    const idToken = await issuer.idToken(
      { ...claims, nonce: nonce.body.nonce },
      options.tenant ? { tenant: options.tenant } : {},
    );
    return call<Session>('POST', '/auth/signin', {
      body: { idToken, nonce: nonce.body.nonce, ...(options.invite ? { invite: options.invite } : {}) },
    });
  }

  /** A direct connection to the server's database (PostgreSQL only), for checks no API shows. */
  function database(): pg.Client | undefined {
    if (!url || !dbName) return undefined;
    const own = new URL(url);
    own.pathname = `/${dbName}`;
    return new pg.Client({ connectionString: own.toString() });
  }

  return {
    servers,
    call,
    signIn,
    database,
    stop: cleanUp,
  };
}
export type RealServer = Awaited<ReturnType<typeof startRealServer>>;
