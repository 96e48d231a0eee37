// @vitest-environment node
import { randomBytes, randomUUID } from 'node:crypto';
import { watch, type FSWatcher } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Analytics } from '../../lib/contract/analytics';
import type { Session } from '../../lib/contract/auth';
import type { ChangedRow, Mutation, MutationResult, PullResponse } from '../../lib/contract/sync';
import { createSyncClient, type SyncStore } from '../../lib/sync/sync-client';
import { startTestIssuer, type TestIssuer } from '../testing/issuer';
import { freePort, serverProcess, type ServerProcess } from '../testing/process';
import { xorshift } from '../testing/random';

/**
 * Exactly once through real kills: `node --import tsx server/main.ts` serves the extension's sync client
 * (lib/sync/sync-client.ts, real fetch over HTTP), is killed with SIGKILL in the middle of a push and started
 * again on the same data; the client retries until its outbox is empty. Half the kills come at a random
 * moment of the push (within 1.5 times the pushes' median duration: before the request arrives, inside the
 * transaction, after the answer), half the moment its commit can be seen from outside the server (PGlite's
 * log file changes; on PostgreSQL the client's last mutation id), which is where a lost answer leaves the
 * client unsure and its retry must apply nothing. Each killed push must have committed all of its mutations
 * or none. Every round pushes a new batch of a rep's work (new contacts and edits to old ones, enrollments,
 * sends and opens, tasks created and completed, pauses and resumes, finishes, an event sent again), many
 * touching the same rows. In the end the rows are those the mutations make when each is applied once: every
 * enrollment's version counts the mutations that changed it, its step and Message-IDs are the last ones
 * sent, every event is there once, and every row's version, the team's change counter and the analytics
 * equal those of a second team sent the same mutations with no kill.
 *
 * Embedded PGlite runs in a temporary DATA_DIR, so its folder must also reopen after every hard kill. A
 * restart there takes about 1.7 s on the 2-core development machine (PGlite's start is most of it), so it is
 * killed 30 times (about a minute); PostgreSQL, when DATABASE_URL is set, restarts in about 1.1 s and is
 * killed the issue's 50 times (about a minute), in a database of its own created and dropped here (main.ts
 * takes no schema). KILL_SEED replays a run's mutations (not where its kills land: that is timing).
 */
const SEED = Number(process.env.KILL_SEED ?? 20261123);

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function signIn(base: string, issuer: TestIssuer): Promise<Session> {
  const post = (path: string, body?: unknown) =>
    fetch(`${base}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body ?? {}),
    });
  const { nonce } = (await (await post('/auth/nonce')).json()) as { nonce: string };
  const idToken = await issuer.idToken({ sub: randomUUID(), email: `rep-${randomUUID()}@acme.test`, nonce });
  const res = await post('/auth/signin', { idToken, nonce });
  if (res.status !== 200) throw new Error(`sign-in failed: ${res.status} ${await res.text()}`);
  return (await res.json()) as Session;
}

/** What the extension keeps in IndexedDB, in memory (as in lib/sync/sync-client.test.ts). */
function memoryStore() {
  let outbox: Mutation[] = [];
  let cursor = 0;
  const store: SyncStore = {
    pending: async () => [...outbox],
    acknowledge: async (last) => void (outbox = outbox.filter((m) => m.id > last)),
    cursor: async () => cursor,
    applyPulled: async (_rows, next) => void (cursor = next),
  };
  return { store, queue: (mutations: Mutation[]) => outbox.push(...mutations) };
}

/** One push as the client saw it: the mutation ids it carried and, when it heard one, the answer. */
interface PushSeen {
  ids: number[];
  results?: MutationResult[];
  ms?: number;
}

/** Real fetch, with each push and its answer noted. */
function recordingFetch(pushes: PushSeen[]): typeof fetch {
  return async (input, init) => {
    if (!String(input).endsWith('/sync/push')) return fetch(input, init);
    const seen: PushSeen = {
      ids: (JSON.parse(String(init!.body)) as { mutations: Mutation[] }).mutations.map((m) => m.id),
    };
    pushes.push(seen);
    const started = performance.now();
    const res = await fetch(input, init);
    try {
      seen.results = ((await res.clone().json()) as { results: MutationResult[] }).results;
      seen.ms = performance.now() - started;
    } catch {
      // The answer was cut off: the client does not hear it either.
    }
    return res;
  };
}

/** How long to wait at most before a random kill: 1.5 times the median push the client heard back from. */
function pushWindow(pushes: PushSeen[]): number {
  const durations = pushes.flatMap((p) => (p.ms === undefined ? [] : [p.ms])).sort((a, b) => a - b);
  return 1.5 * durations[durations.length >> 1]!;
}

const STEPS = ['auto_email', 'call', 'auto_email', 'todo'] as const;
const HOUR = 3_600_000;
const START = Date.UTC(2026, 0, 5, 9);

interface PlannedEnrollment {
  id: string;
  status: 'active' | 'paused' | 'finished';
  stepIndex: number;
  waitingTaskId?: string;
  messageIds: string[];
  /** Mutations that changed it: its version once each was applied once. */
  changes: number;
}

/**
 * A rep's work as the extension queues it, batch by batch, with what the rows must be after each mutation
 * is applied once.
 */
function workPlan(rand: () => number) {
  let nextId = 1;
  let clock = START;
  const contacts = new Map<string, { title?: string }>();
  const enrollments: PlannedEnrollment[] = [];
  const tasks = new Map<string, 'open' | 'completed'>();
  const events: { id: string; at: number; type: string; enrollmentId: string }[] = [];
  let batch: Mutation[] = [];
  const add = (name: string, args: unknown) => batch.push({ id: nextId++, name, args });
  const event = (type: string, e: string, extra: object = {}) => {
    const recorded = {
      id: `${type}:${e}:${events.length}`,
      at: (clock += 1000),
      type,
      enrollmentId: e,
      ...extra,
    };
    events.push(recorded);
    add('events.record', { events: [recorded] });
  };
  const pick = <T>(list: T[]) => list[Math.floor(rand() * list.length)]!;

  function enroll() {
    const c = `c${contacts.size}`;
    contacts.set(c, {});
    add('contact.upsert', { id: c, email: `${c}@prospect.test`, firstName: `Lead ${c}`, company: 'Acme' });
    const e = `e${enrollments.length}`;
    add('enroll', {
      ...{ id: e, sequenceId: 'q', contactId: c, mailbox: 'me@acme.test', status: 'active' },
      ...{ enrolledAt: clock, stepIndex: 0, readyAt: clock },
    });
    enrollments.push({ id: e, status: 'active', stepIndex: 0, messageIds: [], changes: 0 });
    event('enrolled', e);
  }

  /** What the runner does next for one enrollment, as the mutations it queues. */
  function advance(e: PlannedEnrollment) {
    e.changes++; // every branch below sends exactly one mutation that changes the enrollment
    if (e.status === 'paused') {
      e.status = 'active';
      add('enrollment.resume', { enrollmentId: e.id, at: clock, readyAt: clock });
      return event('resumed', e.id);
    }
    if (rand() < 0.12) {
      e.status = 'paused';
      add('enrollment.pause', { enrollmentId: e.id, at: clock });
      return event('paused', e.id);
    }
    const step = e.stepIndex;
    const done = step + 1 === STEPS.length;
    if (e.waitingTaskId) {
      tasks.set(e.waitingTaskId, 'completed');
      add('task.complete', { taskId: e.waitingTaskId, at: clock, outcome: 'done' });
      event('task_completed', e.id, { stepIndex: step });
      e.waitingTaskId = undefined;
      e.stepIndex++;
      add('enrollment.progress', {
        ...{ enrollmentId: e.id, stepIndex: e.stepIndex, cleared: ['waitingTaskId'] },
        ...(done ? { finishedAt: clock } : { readyAt: clock + HOUR }),
      });
    } else if (STEPS[step] === 'auto_email') {
      e.messageIds = [...e.messageIds, `<${e.id}.${step}@acme.test>`];
      e.stepIndex++;
      add('enrollment.progress', {
        ...{ enrollmentId: e.id, stepIndex: e.stepIndex, messageIds: e.messageIds },
        ...{ lastMessageId: e.messageIds.at(-1), threadId: `t-${e.id}`, failures: 0 },
        ...(done ? { finishedAt: clock } : { readyAt: clock + HOUR }),
      });
      event('sent', e.id, { stepIndex: step });
      if (rand() < 0.5) event('opened', e.id, { stepIndex: step });
    } else {
      const taskId = `${e.id}:${step}`;
      tasks.set(taskId, 'open');
      add('task.create', {
        ...{ id: taskId, enrollmentId: e.id, sequenceId: 'q', contactId: `c${e.id.slice(1)}` },
        ...{ stepId: `s${step}`, stepIndex: step, type: STEPS[step], title: 'Call them', priority: 'medium' },
        ...{ createdAt: clock, dueAt: clock + HOUR, blocking: true, status: 'open' },
      });
      e.waitingTaskId = taskId;
      add('enrollment.progress', { enrollmentId: e.id, waitingTaskId: taskId, cleared: ['readyAt'] });
      event('task_created', e.id, { stepIndex: step });
    }
    if (done && !e.waitingTaskId) {
      e.status = 'finished';
      event('finished', e.id);
    }
  }

  return {
    contacts,
    enrollments,
    tasks,
    events,
    /** The first batch: the sequence and a few enrollments. */
    setUp(): Mutation[] {
      batch = [];
      add('sequence.upsert', {
        id: 'q',
        name: 'Intro',
        steps: STEPS.map((type, i) => ({
          ...{ id: `s${i}`, type, delay: { value: 1, unit: 'days' } },
          ...(type === 'auto_email' ? { subject: `Step ${i}`, body: 'Hello {{firstName}}' } : {}),
        })),
      });
      for (let i = 0; i < 6; i++) enroll();
      return batch;
    },
    /** One round: a new enrollment or two, the runner's next moves, edits to contacts, a replayed event. */
    next(): Mutation[] {
      batch = [];
      clock += HOUR;
      for (let i = rand() < 0.5 ? 1 : 2; i > 0; i--) enroll();
      // Eight moves, each of a live enrollment: the same one may move twice in a batch.
      for (let i = 0; i < 8; i++) advance(pick(enrollments.filter((e) => e.status !== 'finished')));
      for (let i = 0; i < 3; i++) {
        const c = pick([...contacts.keys()]);
        const title = `Title ${nextId}`;
        contacts.get(c)!.title = title;
        add('contact.upsert', { id: c, title });
      }
      // The extension sends an event again after losing track of whether it went (idempotent by id).
      add('events.record', { events: [pick(events)] });
      return batch;
    },
    get lastId() {
      return nextId - 1;
    },
  };
}

async function pullAll(base: string, token: string): Promise<{ rows: ChangedRow[]; cursor: number }> {
  const rows: ChangedRow[] = [];
  let cursor = 0;
  for (;;) {
    const res = await fetch(`${base}/sync/pull?cursor=${cursor}`, {
      headers: { authorization: `Bearer ${token}` },
    });
    const page = (await res.json()) as PullResponse;
    rows.push(...page.rows);
    cursor = page.cursor;
    if (!page.more) return { rows, cursor };
  }
}

/**
 * A row as two teams that received the same mutations both hold it: a sequence also names its owner and
 * the server's time of its last change.
 */
const comparable = ({ kind, id, version, deleted, data }: ChangedRow) => {
  const { updatedAt: _, ownerId: __, ...rest } = data ?? {};
  return { kind, id, version, deleted, data: kind === 'sequence' ? rest : data };
};

interface Engine {
  name: string;
  kills: number;
  env(): Promise<Record<string, string>>;
  /** Resolves `committed` as soon as the next push's transaction commits, seen from outside the server. */
  watchCommit(): Promise<{ committed: Promise<void>; stop(): void }>;
  cleanUp(): Promise<void>;
}

/**
 * PGlite writes its log (pg_wal) once per push, when the transaction commits (reads write none): the moment
 * the file changes, the commit is on disk and the server is about to answer.
 */
function embedded(): Engine {
  let dir = '';
  return {
    name: 'embedded PGlite',
    kills: 30,
    async env() {
      dir = await mkdtemp(join(tmpdir(), 'threadline-kill-'));
      return { DATA_DIR: join(dir, 'pglite'), DATABASE_URL: '' };
    },
    async watchCommit() {
      let watcher: FSWatcher | undefined;
      const committed = new Promise<void>((resolve) => {
        watcher = watch(join(dir, 'pglite', 'pg_wal'), () => resolve());
      });
      return { committed, stop: () => watcher!.close() };
    },
    cleanUp: () => (dir ? rm(dir, { recursive: true, force: true }) : Promise.resolve()),
  };
}

/**
 * A database of its own on the server, created and dropped here (main.ts takes no schema). A commit shows as
 * the client's new last mutation id, read in a loop on a connection of the test's.
 */
function postgres(url: string): Engine {
  const name = `threadline_kill_${randomBytes(6).toString('hex')}`;
  const own = new URL(url);
  own.pathname = `/${name}`;
  const server = new pg.Client({ connectionString: url });
  const watching = new pg.Client({ connectionString: own.toString() });
  const lastId = async () =>
    Number(
      (await watching.query(`select coalesce(max(last_mutation_id), 0) as id from sync_clients`)).rows[0].id,
    );
  let created = false;
  let connected = false;
  return {
    name: 'PostgreSQL',
    kills: 50,
    async env() {
      await server.connect();
      await server.query(`create database ${name}`);
      created = true;
      return { DATABASE_URL: own.toString() };
    },
    async watchCommit() {
      if (!connected) await watching.connect();
      connected = true;
      const before = await lastId();
      let stopped = false;
      const committed = (async () => {
        while (!stopped) if ((await lastId()) > before) return;
      })();
      committed.catch(() => {}); // a query cut short by the end of the test: nobody waits for it then
      return { committed, stop: () => void (stopped = true) };
    },
    cleanUp: async () => {
      await watching.end().catch(() => {});
      if (created) await server.query(`drop database ${name} with (force)`);
      await server.end();
    },
  };
}

const engines = [embedded(), ...(process.env.DATABASE_URL ? [postgres(process.env.DATABASE_URL)] : [])];

describe.each(engines)('a push to a server killed at random moments ($name)', (engine) => {
  let issuer: TestIssuer;
  let server: ServerProcess;
  beforeAll(async () => {
    issuer = await startTestIssuer();
    server = serverProcess({
      ...(await engine.env()),
      PORT: String(await freePort()),
      HOST: '127.0.0.1',
      SESSION_SECRET: randomBytes(32).toString('hex'), // the same for every start: sessions outlive a restart
      TRACKING_SECRET: randomBytes(32).toString('hex'),
      OIDC_ISSUERS: JSON.stringify([{ issuer: issuer.issuer, audiences: [issuer.audience] }]),
      RATE_LIMIT_AUTH_PER_MINUTE: '0',
      LOG_LEVEL: 'warn',
    });
    await server.start();
  }, 120_000);
  afterAll(async () => {
    await server?.stop();
    await issuer?.close();
    await engine.cleanUp();
  });

  it(`applies every mutation exactly once after ${engine.kills} kills and the client's retries`, async () => {
    const rand = xorshift(SEED);
    const plan = workPlan(rand);
    const rep = await signIn(server.base, issuer);
    const pushes: PushSeen[] = [];
    const device = memoryStore();
    const sync = createSyncClient({
      baseUrl: server.base,
      fetch: recordingFetch(pushes),
      token: () => rep.accessToken,
      clientId: 'laptop',
      store: device.store,
      now: Date.now,
    });
    const sent: Mutation[] = [...plan.setUp()];
    device.queue(sent);
    expect(await sync.syncOnce()).toMatchObject({ pending: 0, failures: 0, rejected: [] });

    const landed = { 'before the commit': 0, 'after the commit, answer lost': 0, 'after the answer': 0 };
    const lostAnswers = new Set<number>();
    const restarts: number[] = [];
    for (let round = 0; round < engine.kills; round++) {
      const batch = plan.next();
      sent.push(...batch);
      device.queue(batch);
      const first = pushes.length;
      // Half the kills at a random moment of the push, half the moment its transaction commits.
      const commit = round % 2 ? await engine.watchCommit() : undefined;
      const syncing = sync.syncOnce();
      await (commit ? Promise.race([commit.committed, syncing]) : sleep(rand() * pushWindow(pushes)));
      await server.stop();
      commit?.stop();
      await syncing;
      restarts.push(await server.start());

      let status = await sync.syncOnce();
      // A connection kept alive to the dead process may fail the first try.
      for (let tries = 1; status.error && tries < 3; tries++) status = await sync.syncOnce();
      expect(status, `round ${round} (KILL_SEED=${SEED})`).toMatchObject({
        pending: 0,
        failures: 0,
        rejected: [],
      });

      // The killed push committed all of its mutations or none: its retry finds them all applied or all new.
      const killed = pushes[first]!;
      if (killed.results) landed['after the answer']++;
      else {
        const retry = pushes.slice(first + 1).find((p) => p.results)!;
        const statuses = new Set(
          retry.results!.filter((r) => killed.ids.includes(r.id)).map((r) => r.status),
        );
        expect([...statuses], `round ${round}: the retry of a killed push`).toHaveLength(1);
        if (statuses.has('duplicate')) {
          landed['after the commit, answer lost']++;
          for (const id of killed.ids) lostAnswers.add(id);
        } else landed['before the commit']++;
      }
    }
    console.info(
      `${engine.name}: ${engine.kills} kills landed ${JSON.stringify(landed)}; restarts took ` +
        `${Math.round(restarts.sort((a, b) => a - b)[restarts.length >> 1]!)} ms (median), ` +
        `${Math.round(restarts.at(-1)!)} ms at most`,
    );

    // Each mutation was answered applied once, or (its answer lost) only duplicate afterwards.
    const applied = new Map<number, number>();
    for (const p of pushes)
      for (const r of p.results ?? []) {
        expect(r.status).not.toBe('rejected');
        if (r.status === 'applied') applied.set(r.id, (applied.get(r.id) ?? 0) + 1);
      }
    for (const { id } of sent)
      expect(applied.get(id) ?? 0, `mutation ${id}`).toBe(lostAnswers.has(id) ? 0 : 1);
    const ack = await fetch(`${server.base}/sync/pull?cursor=0&limit=1&clientId=laptop`, {
      headers: { authorization: `Bearer ${rep.accessToken}` },
    });
    expect(((await ack.json()) as PullResponse).lastMutationId).toBe(plan.lastId);

    // The rows are what each mutation applied once makes.
    const { rows, cursor } = await pullAll(server.base, rep.accessToken);
    const of = (kind: string) => new Map(rows.filter((r) => r.kind === kind).map((r) => [r.id, r.data!]));
    const enrollments = of('enrollment');
    for (const e of plan.enrollments) {
      const { status, stepIndex, messageIds, version, waitingTaskId } = enrollments.get(e.id)!;
      expect({ status, stepIndex, messageIds, version, waitingTaskId }, e.id).toEqual({
        ...{ status: e.status, stepIndex: e.stepIndex, messageIds: e.messageIds },
        ...{ version: e.changes, waitingTaskId: e.waitingTaskId },
      });
    }
    expect(enrollments.size).toBe(plan.enrollments.length);
    const contacts = of('contact');
    expect(contacts.size).toBe(plan.contacts.size);
    for (const [id, { title }] of plan.contacts) expect(contacts.get(id)?.title, id).toBe(title);
    expect(new Map([...of('task')].map(([id, t]) => [id, t.status]))).toEqual(plan.tasks);
    expect([...of('event').keys()].sort()).toEqual(plan.events.map((e) => e.id).sort());

    // And the same as a team that was sent the same mutations once, with no kill: every row's version (a
    // second application would take another), the team's change counter and what analytics count.
    const reference = await signIn(server.base, issuer);
    const calm = memoryStore();
    calm.queue(sent);
    const calmSync = createSyncClient({
      ...{ baseUrl: server.base, fetch, token: () => reference.accessToken, clientId: 'calm' },
      ...{ store: calm.store, now: Date.now },
    });
    expect(await calmSync.syncOnce()).toMatchObject({ pending: 0, failures: 0, rejected: [] });
    const expected = await pullAll(server.base, reference.accessToken);
    const byKey = (a: ChangedRow, b: ChangedRow) => `${a.kind}:${a.id}`.localeCompare(`${b.kind}:${b.id}`);
    expect(rows.sort(byKey).map(comparable)).toEqual(expected.rows.sort(byKey).map(comparable));
    expect(cursor).toBe(expected.cursor);
    const analytics = async (token: string) =>
      (await (
        await fetch(`${server.base}/analytics?from=2026-01-01&to=2026-12-31`, {
          headers: { authorization: `Bearer ${token}` },
        })
      ).json()) as Analytics;
    const counted = await analytics(rep.accessToken);
    expect(counted.totals.counts.sent).toBe(plan.events.filter((e) => e.type === 'sent').length);
    expect(counted).toEqual(await analytics(reference.accessToken));

    // Kills landed on both sides of the commit (else this would not test what it says).
    expect(landed['before the commit']).toBeGreaterThan(0);
    expect(landed['after the commit, answer lost']).toBeGreaterThan(0);
  }, 300_000);
});
