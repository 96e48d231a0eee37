import type autocannon from 'autocannon';
import { execFile } from 'node:child_process';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { createRequire } from 'node:module';
import { promisify } from 'node:util';
import { randomBytes } from 'node:crypto';
import { sql } from 'kysely';
import type { Session } from '../lib/contract/auth';
import type { PullResponse, PushResponse } from '../lib/contract/sync';
import type { TrackingLinks } from '../lib/contract/tracking';
import type { Analytics } from '../lib/contract/analytics';
import { calibMs, goalOver, median, report, round } from '../tools/bench/common';
import { rebuildTeam } from './analytics/facts';
import { seedEvents } from './analytics/seed';
import { createApp } from './app';
import { openDatabase } from './db/database';
import { createLogger } from './log';
import { serveApp } from './serve';
import { oneEnrollment } from './testing/fixtures';
import { startTestIssuer } from './testing/issuer';
import { PIXEL, PIXEL_HEADERS } from './tracking/pixel';

/**
 * `npm run bench:server`: the backend over real HTTP on this machine, against PostgreSQL when DATABASE_URL
 * is set (in a schema of its own, dropped at the end), else embedded PGlite. The pixel's load generator
 * (autocannon) runs in a child process and shares the machine's cores with the server.
 */
const CONNECTIONS = 50;
/** `npm run bench:server -- --pixel`: the pixel alone (after the same pushes), into .bench/server-pixel.json. */
const PIXEL_ONLY = process.argv.includes('--pixel');
const USER_AGENT = 'Mozilla/5.0 (Macintosh) AppleWebKit/605.1.15 Safari/605.1.15';

/** autocannon in a child process (so it does not share the server's event loop), 10 s at CONNECTIONS. */
async function load(url: string): Promise<autocannon.Result> {
  const cli = createRequire(import.meta.url).resolve('autocannon/autocannon.js');
  const { stdout } = await promisify(execFile)(
    process.execPath,
    [cli, '--json', '-c', String(CONNECTIONS), '-d', '10', '-H', `user-agent=${USER_AGENT}`, url],
    { maxBuffer: 10 * 1024 * 1024 },
  );
  const result = JSON.parse(stdout) as autocannon.Result;
  if (result.non2xx || result.errors)
    throw new Error(`${url}: ${result.non2xx} non-2xx, ${result.errors} errors`);
  return result;
}

/**
 * The pixel's yardstick: a bare node:http server in this same process answering the same GIF with the same
 * headers and no routing, database or token check: the most this machine can serve under this load today.
 */
async function bareGifServer(): Promise<{ url: string; close(): Promise<void> }> {
  const server = http.createServer((_req, res) => {
    res.writeHead(200, { ...PIXEL_HEADERS, 'content-length': PIXEL.length });
    res.end(PIXEL);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/t/o/bare.gif`,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((e) => (e ? reject(e) : resolve()));
      }),
  };
}

async function main() {
  const url = process.env.DATABASE_URL;
  const schema = url ? `threadline_bench_${randomBytes(4).toString('hex')}` : undefined;
  // As the server runs it (main.ts): embedded, the database answers from a worker thread.
  const database = await openDatabase({ url, schema, poolSize: 10, thread: true });
  const issuer = await startTestIssuer();
  const app = createApp({
    db: database.db,
    ...(database.readers ? { readers: database.readers } : {}),
    log: createLogger('warn'),
    publicUrl: 'http://bench.local',
    sessionSecret: randomBytes(32),
    trackingSecret: randomBytes(32),
    issuers: [{ issuer: issuer.issuer, audiences: [issuer.audience] }],
    bodyLimitBytes: 20 * 1024 * 1024,
    now: Date.now,
    // The limiters run (their cost is in the figures) but never refuse: the load comes from one address
    // and hits one link.
    rateLimits: {
      authPerMinute: 1e9,
      trackingPerTokenPerMinute: 1e9,
      trackingPerIpPerMinute: 1e9,
      trustProxyHops: 0,
    },
  });
  const server = await serveApp(app, { port: 0, hostname: '127.0.0.1' });
  const call = async <T>(method: string, path: string, body?: unknown, token?: string): Promise<T> => {
    const res = await fetch(`${server.url}${path}`, {
      method,
      // A JSON content type only with a body: an empty body is not JSON (POST /auth/nonce refuses it).
      headers: {
        ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
        ...(token ? { authorization: `Bearer ${token}` } : {}),
      },
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
    });
    if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${await res.text()}`);
    return (await res.json()) as T;
  };
  const signIn = async (invite?: string): Promise<Session> => {
    const { nonce } = await call<{ nonce: string }>('POST', '/auth/nonce');
    const idToken = await issuer.idToken({
      sub: randomBytes(8).toString('hex'),
      email: 'bench@example.com',
      nonce,
    });
    return call<Session>('POST', '/auth/signin', { idToken, nonce, ...(invite ? { invite } : {}) });
  };
  const contacts = (from: number, n: number) =>
    Array.from({ length: n }, (_, i) => ({
      id: from + i + 1,
      name: 'contact.upsert',
      args: {
        id: `c${from + i}`,
        email: `lead${from + i}@acme.test`,
        firstName: `Lead ${from + i}`,
        company: 'Acme',
      },
    }));

  try {
    // One push of 1,000 mutations, into a team that already has some.
    const pusher = await signIn();
    await call<PushResponse>(
      'POST',
      '/sync/push',
      { clientId: 'warm', mutations: contacts(0, 100) },
      pusher.accessToken,
    );
    let started = performance.now();
    const pushed = await call<PushResponse>(
      'POST',
      '/sync/push',
      { clientId: 'bench', mutations: contacts(100, 1000) },
      pusher.accessToken,
    );
    const push1000 = performance.now() - started;
    if (pushed.results.some((r) => r.status !== 'applied'))
      throw new Error('push: not every mutation applied');

    // A first pull of 10,000 rows.
    const puller = await signIn();
    for (let k = 0; k < 10; k++)
      await call(
        'POST',
        '/sync/push',
        { clientId: 'seed', mutations: contacts(k * 1000, 1000) },
        puller.accessToken,
      );
    started = performance.now();
    const pulled = await call<PullResponse>(
      'GET',
      '/sync/pull?cursor=0&limit=10000',
      undefined,
      puller.accessToken,
    );
    const pull10000 = performance.now() - started;
    if (pulled.rows.length !== 10_000) throw new Error(`pull: ${pulled.rows.length} rows`);

    // The open pixel under load.
    const rep = await signIn();
    await call(
      'POST',
      '/sync/push',
      {
        clientId: 'seed',
        mutations: oneEnrollment({ mailbox: 'bench@example.com' }),
      },
      rep.accessToken,
    );
    const links = await call<TrackingLinks>(
      'POST',
      '/tracking/links',
      { enrollmentId: 'e', stepIndex: 0 },
      rep.accessToken,
    );
    const pixelPath = links.pixelUrl.replace('http://bench.local', '');
    const answer = await fetch(`${server.url}${pixelPath}`, { headers: { 'user-agent': USER_AGENT } });
    if (!Buffer.from(await answer.arrayBuffer()).equals(PIXEL))
      throw new Error('pixel: the answer is not the 43-byte GIF the bare server sends');
    // The bare server under the same load before and after the pixel (once the pixel's opens are written):
    // the machine's other work changes within minutes, and the yardstick is the mean of the two.
    const bareRun = async () => {
      const bare = await bareGifServer();
      try {
        return await load(bare.url);
      } finally {
        await bare.close();
      }
    };
    const bareBefore = await bareRun();
    const result = await load(`${server.url}${pixelPath}`);
    // The opens the load left queued (written at a bounded pace while it lasted), written at full speed now.
    const drainStarted = performance.now();
    await app.drain();
    const drainMs = performance.now() - drainStarted;
    const bareAfter = await bareRun();
    const bareRps = (bareBefore.requests.average + bareAfter.requests.average) / 2;
    const bareP99 = (bareBefore.latency.p99 + bareAfter.latency.p99) / 2;
    const opens = await database.db
      .selectFrom('entities')
      .select(sql<number>`count(*)::int`.as('n'))
      .where('kind', '=', 'event')
      .executeTakeFirstOrThrow();
    // autocannon counts the answers it read; each connection may have had one more request answered as it
    // stopped. Every answered open must be written, none twice.
    // (plus the one open of the GIF check above.)
    if (opens.n < result.requests.total + 1 || opens.n > result.requests.total + 1 + CONNECTIONS)
      throw new Error(`pixel: ${opens.n} opens written for ${result.requests.total} requests`);
    const pixel = {
      pixel_rps: round(result.requests.average, 0),
      pixel_p99_ms: result.latency.p99,
      pixel_bare_rps: round(bareRps, 0),
      pixel_bare_p99_ms: bareP99,
      pixel_bare_rps_before: round(bareBefore.requests.average, 0),
      pixel_bare_rps_after: round(bareAfter.requests.average, 0),
      pixel_opens_written: opens.n,
      pixel_drain_ms: round(drainMs, 0),
    };
    const pixelNotes = {
      pixel_rps: `requests/s, ${database.engine}`,
      pixel_bare_rps: 'bare node:http, same GIF, same load (mean of before and after the pixel)',
      pixel_opens_written: `= requests answered (${result.requests.total} + 1 check + up to ${CONNECTIONS} in flight)`,
      pixel_drain_ms: 'writing the opens still queued when the load stopped',
    };
    const pixelRatios = {
      pixel_rps: { over: 'pixel_bare_rps', goal: '>= 0.4' },
      pixel_p99_ms: { over: 'pixel_bare_p99_ms', goal: '<= 3' },
    };
    if (PIXEL_ONLY) {
      report('server-pixel', { ...pixel, calib_ms: calibMs() }, pixelNotes, pixelRatios);
      return;
    }

    // Analytics over 1,000,000 events: a team of 100 reps (a manager and a rep who sign in, 98 more written
    // directly) in 50 sequences, seeded in one INSERT ... SELECT, then built once (as on a team's first query).
    const manager = await signIn();
    const invite = await call<{ token: string }>(
      'POST',
      '/team/invites',
      { role: 'rep' },
      manager.accessToken,
    );
    const rep0 = await signIn(invite.token);
    const teamId = manager.user.teamId;
    const others = Array.from({ length: 98 }, (_, i) => `bench-rep-${i}-${randomBytes(4).toString('hex')}`);
    await database.db
      .insertInto('users')
      .values(
        others.map((id, i) => ({
          id,
          team_id: teamId,
          email: `rep-${i + 2}@acme.test`,
          name: null,
          role: 'rep' as const,
          issuer: 'bench',
          subject: id,
          created_at: Date.now(),
        })),
      )
      .execute();
    const start = Date.UTC(2025, 0, 6);
    started = performance.now();
    const seeded = await seedEvents(database.db, {
      teamId,
      owners: [rep0.user.id, manager.user.id, ...others],
      sequences: 50,
      count: 1_000_000,
      start,
    });
    const seed1m = performance.now() - started;
    started = performance.now();
    // The work of the background builder (analytics/builder.ts) for this team after an upgrade, timed alone.
    await database.db.transaction().execute((trx) => rebuildTeam(trx, teamId));
    const build1m = performance.now() - started;
    // A bulk load is followed by ANALYZE, as after any import (autovacuum would do it a little later).
    await sql`analyze`.execute(database.db);
    // The embedded database builds on this process's event loop: let the keep-alive connections that went
    // idle meanwhile close before asking again (else a request can race the server closing its socket).
    await new Promise((resolve) => setTimeout(resolve, 6000));
    const timed = async (path: string, token: string, runs = 7) => {
      await call<Analytics>('GET', path, undefined, token); // warm-up
      const times: number[] = [];
      let answer: Analytics | undefined;
      for (let i = 0; i < runs; i++) {
        const t0 = performance.now();
        answer = await call<Analytics>('GET', path, undefined, token);
        times.push(performance.now() - t0);
      }
      return { ms: median(times), answer: answer! };
    };
    const whole = await timed(
      '/analytics?from=2025-01-06&to=2025-04-10&timeZone=Europe/Paris',
      manager.accessToken,
    );
    if (seeded !== 1_000_000 || whole.answer.bySequence.length !== 50 || whole.answer.byRep.length !== 100)
      throw new Error(
        `analytics: ${seeded} events, ${whole.answer.bySequence.length} sequences, ${whole.answer.byRep.length} reps`,
      );
    const month = await timed(
      '/analytics?from=2025-02-01&to=2025-02-28&timeZone=America/New_York',
      manager.accessToken,
    );
    const own = await timed(
      '/analytics?from=2025-01-06&to=2025-04-10&timeZone=Europe/Paris',
      rep0.accessToken,
    );

    const calib_ms = calibMs();
    report(
      'server',
      {
        ...pixel,
        push_1000_ms: round(push1000, 0),
        pull_10000_ms: round(pull10000, 0),
        analytics_1m_ms: round(whole.ms, 0),
        analytics_1m_month_ms: round(month.ms, 0),
        analytics_1m_rep_ms: round(own.ms, 0),
        analytics_seed_1m_ms: round(seed1m, 0),
        analytics_build_1m_ms: round(build1m, 0),
        calib_ms,
      },
      {
        ...pixelNotes,
        calib_ms: 'yardstick: fixed 1 MB build + JSON + sort, median of 5',
        push_1000_ms: '< 500',
        pull_10000_ms: '< 1000',
        analytics_1m_ms: '< 200 (team, 90 days, median of 7)',
        analytics_1m_month_ms: 'February, New York (edge contacts recounted)',
        analytics_1m_rep_ms: 'one rep’s own, 90 days',
        analytics_seed_1m_ms: 'INSERT ... SELECT generate_series',
        analytics_build_1m_ms: 'once, on a team’s first query',
      },
      {
        ...pixelRatios,
        push_1000_ms: { over: 'calib_ms', goal: goalOver(500) },
        pull_10000_ms: { over: 'calib_ms', goal: goalOver(1000) },
        analytics_1m_ms: { over: 'calib_ms', goal: goalOver(200) },
      },
    );
    console.log(
      `database: ${database.engine}; analytics over ${seeded} events: ${whole.answer.totals.counts.sent} sent, ` +
        `${whole.answer.bySequence.length} sequences, ${whole.answer.byRep.length} reps, ${whole.answer.daily.length} days`,
    );
  } finally {
    await server.stop();
    await app.drain();
    if (schema) await sql`drop schema ${sql.id(schema)} cascade`.execute(database.db);
    await database.close();
    await issuer.close();
  }
}

main().then(
  () => process.exit(0),
  (error) => {
    console.error(error);
    process.exit(1);
  },
);
