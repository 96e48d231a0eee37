// @vitest-environment node
import type { KyselyPlugin, PluginTransformQueryArgs, PluginTransformResultArgs } from 'kysely';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { computeAnalytics, type Analytics } from '../../lib/analytics/funnel';
import type { Session } from '../../lib/contract/auth';
import type { ErrorBody } from '../../lib/contract/errors';
import type { PullResponse, PushResponse } from '../../lib/contract/sync';
import type { Event } from '../../lib/domain/event';
import { makeStale } from '../testing/analytics';
import { createTestServer, type TestServer } from '../testing/harness';
import { createAnalyticsBuilder, type AnalyticsBuilderOptions } from './builder';
import { seedEvents } from './seed';

/**
 * Building a team's analytics never happens inside a request: a new team is built from the start, and a team
 * below ANALYTICS_VERSION (after an upgrade) answers 503 until the background builder has built it.
 */
const DAY = 86_400_000;
const START = Date.UTC(2025, 2, 3);
const RANGE = { from: '2025-03-01', to: '2025-03-31' };

let t: TestServer;
beforeAll(async () => {
  t = await createTestServer();
}, 60_000);
afterAll(() => t?.close());

/** A contact's history in a sequence: enrolled, two sends, opens, a reply on the second step. */
function story(s: Session, contact: string, at: number, opts: { reply?: boolean } = {}): Event[] {
  const base = { sequenceId: 'seq-1', contactId: contact, mailbox: s.user.email };
  const events: Event[] = [
    { id: `enrolled:${contact}`, at, type: 'enrolled', stepIndex: 0, ...base },
    { id: `sent:${contact}:0`, at: at + 1000, type: 'sent', stepIndex: 0, ...base },
    { id: `opened:${contact}:0`, at: at + 3_600_000, type: 'opened', stepIndex: 0, ...base },
    { id: `sent:${contact}:1`, at: at + 2 * DAY, type: 'sent', stepIndex: 1, ...base },
  ];
  if (opts.reply) events.push({ id: `replied:${contact}`, at: at + 3 * DAY, type: 'replied', ...base });
  return events;
}

let mutationIds = 0;
async function push(s: Session, mutation: { name: string; args: unknown }) {
  const res = await t.call<PushResponse>('POST', '/sync/push', {
    token: s.accessToken,
    body: { clientId: 'laptop', mutations: [{ id: ++mutationIds, ...mutation }] },
  });
  expect(res.status).toBe(200);
  expect(res.body.results.filter((r) => r.status === 'rejected')).toEqual([]);
}
/** Events without enrollments, in the team's sequence seq-1, from the rep's own address. */
const record = (s: Session, events: Event[]) => push(s, { name: 'events.record', args: { events } });

async function pulledEvents(s: Session): Promise<Event[]> {
  const res = await t.call<PullResponse>('GET', '/sync/pull?cursor=0&limit=10000', { token: s.accessToken });
  expect(res.body.more).toBe(false);
  return res.body.rows
    .flatMap((r) => (r.kind === 'event' && r.data ? [r.data as Event] : []))
    .sort((a, b) => a.at - b.at || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}

/** What the manager's Analytics page gets for March: status, Retry-After and body. */
async function ask(s: Session) {
  const res = await t.app.request(`/analytics?${new URLSearchParams(RANGE)}`, {
    headers: { authorization: `Bearer ${s.accessToken}` },
  });
  return {
    status: res.status,
    retryAfter: res.headers.get('retry-after'),
    body: (await res.json()) as unknown,
  };
}

/** As the page's Retry button would: asks again while the answer is 503 (for up to 5 s). */
async function askUntilBuilt(s: Session) {
  let answer = await ask(s);
  for (let i = 0; answer.status === 503 && i < 200; i++) {
    await new Promise((resolve) => setTimeout(resolve, 25));
    answer = await ask(s);
  }
  return answer;
}

/** What lib/analytics counts on a device from the same events. */
async function expected(s: Session): Promise<Analytics> {
  return computeAnalytics(
    await pulledEvents(s),
    { from: Date.UTC(2025, 2, 1), to: Date.UTC(2025, 3, 1) },
    { timeZone: 'UTC' },
  );
}

function builder(options: Partial<AnalyticsBuilderOptions> & { plugin?: KyselyPlugin } = {}) {
  const lines: { msg: string; team?: string; ms?: number; level: number }[] = [];
  const log = pino({ level: 'info' }, { write: (line: string) => void lines.push(JSON.parse(line)) });
  const db = options.plugin ? t.database.db.withPlugin(options.plugin) : t.database.db;
  const b = createAnalyticsBuilder(db, log, {
    cancelsStatements: t.database.engine === 'postgres',
    ...options,
  });
  return Object.assign(b, { lines });
}

/** Runs `then` once, as the build's statement that writes the facts starts (or, with `after`, ends). */
function onFactsStatement(then: () => void | Promise<void>, after = false): KyselyPlugin {
  let fired = false;
  const ids = new Set<unknown>();
  return {
    transformQuery(args: PluginTransformQueryArgs) {
      const node = args.node;
      if (
        !fired &&
        node.kind === 'RawNode' &&
        node.sqlFragments.join('').includes('insert into analytics_events')
      ) {
        fired = true;
        if (after) ids.add(args.queryId);
        else void then();
      }
      return node;
    },
    async transformResult(args: PluginTransformResultArgs) {
      if (ids.delete(args.queryId)) await then();
      return args.result;
    },
  };
}

async function teamWithHistory(contacts: number) {
  const { admin, members } = await t.newTeam('manager');
  await push(admin, {
    name: 'sequence.upsert',
    args: {
      id: 'seq-1',
      name: 'Intro',
      steps: [{ id: 's1', type: 'auto_email', delay: { value: 0, unit: 'days' } }],
    },
  });
  const events = Array.from({ length: contacts }, (_, i) =>
    story(admin, `c${i}`, START + i * 3_600_000, { reply: i % 3 === 0 }),
  );
  await record(admin, events.flat());
  return { admin, manager: members[0]! };
}

describe('a new team', () => {
  it('has its events in analytics as they arrive, with no build', async () => {
    const { admin, manager } = await teamWithHistory(3);
    const first = await ask(manager);
    expect(first.status).toBe(200);
    expect((first.body as Analytics).totals.counts.replied).toBe(1);
    await record(admin, story(admin, 'later', START + 5 * DAY, { reply: true }));
    const next = await ask(manager);
    expect((next.body as Analytics).totals.counts).toMatchObject({ enrolled: 4, replied: 2 });
    expect(next.body).toEqual(await expected(manager));
  });
});

describe('a team below ANALYTICS_VERSION', () => {
  it('answers 503 with Retry-After until the background build is done, then the same as before', async () => {
    const { admin, manager } = await teamWithHistory(6);
    const before = await ask(manager);
    expect(before.status).toBe(200);

    await makeStale(t.database.db, manager.user.teamId);
    const waiting = await ask(manager);
    expect(waiting.status).toBe(503);
    expect(Number(waiting.retryAfter)).toBeGreaterThan(0);
    const body = waiting.body as ErrorBody;
    expect(body.error.code).toBe('analytics_building');
    expect(body.error.message).toMatch(/being rebuilt.*try again/i);

    const b = builder({ retryMs: 50 });
    b.start();
    const after = await askUntilBuilt(manager);
    await b.stop();
    expect(after).toEqual(before);
    const built = b.lines.find((l) => l.msg === 'analytics: team built' && l.team === manager.user.teamId);
    expect(built?.ms).toBeGreaterThanOrEqual(0);

    // Built again, it keeps current with every write.
    await record(admin, story(admin, 'after-build', START + 9 * DAY, { reply: true }));
    expect((await ask(manager)).body).toEqual(await expected(manager));
  });

  it('counts what was written while it was being built', async () => {
    const { admin, manager } = await teamWithHistory(5);
    await makeStale(t.database.db, manager.user.teamId);
    // A push lands after the build has read the stored events: a reply of a contact already counted, and a
    // new contact. (On PostgreSQL it commits mid-build; PGlite has one connection, so it waits for the build.)
    let push: Promise<void> | undefined;
    const b = builder({
      plugin: onFactsStatement(() => {
        push = record(admin, [
          { id: 'replied:c1', at: START + 4 * DAY, type: 'replied', sequenceId: 'seq-1', contactId: 'c1' },
          ...story(admin, 'mid-build', START + 6 * DAY),
        ]);
        return t.database.engine === 'postgres' ? push : undefined;
      }, true),
    });
    expect(await b.runOnce()).toContainEqual({ team: manager.user.teamId, outcome: 'built' });
    await push;
    const answer = await ask(manager);
    expect((answer.body as Analytics).totals.counts).toMatchObject({ enrolled: 6, replied: 3 });
    expect(answer.body).toEqual(await expected(manager));
  });

  it('is built once when two server processes try at the same time', async () => {
    const { manager } = await teamWithHistory(4);
    const bulk = await seedEvents(t.database.db, {
      teamId: manager.user.teamId,
      owners: [manager.user.id],
      sequences: 3,
      count: 2000,
      start: START,
    });
    expect(bulk).toBe(2000);
    await makeStale(t.database.db, manager.user.teamId);
    const [one, two] = await Promise.all([builder().runOnce(), builder().runOnce()]);
    const outcomes = [...one, ...two].filter((d) => d.team === manager.user.teamId).map((d) => d.outcome);
    expect(outcomes.filter((o) => o === 'built')).toHaveLength(1);
    expect(outcomes.filter((o) => o !== 'built')).toEqual([expect.stringMatching(/^(busy|current)$/)]);
    const answer = await ask(manager);
    expect(answer.status).toBe(200);
    expect(answer.body).toEqual(await expected(manager));
  });

  it('is left as it was when the server shuts down during its build, and built at the next start', async () => {
    const { manager } = await teamWithHistory(4);
    await makeStale(t.database.db, manager.user.teamId);
    let stopped: Promise<void> | undefined;
    const b = builder({ plugin: onFactsStatement(() => void (stopped = b.stop())) });
    const pass = await b.runOnce();
    await stopped;
    expect(pass).toContainEqual({ team: manager.user.teamId, outcome: 'interrupted' });
    expect(b.lines.some((l) => l.msg.includes('stopped by shutdown'))).toBe(true);
    // Nothing half-built is shown: the manager is still asked to wait.
    expect((await ask(manager)).status).toBe(503);

    const next = builder();
    expect(await next.runOnce()).toContainEqual({ team: manager.user.teamId, outcome: 'built' });
    expect((await ask(manager)).body).toEqual(await expected(manager));
  });

  it('is tried again later when its build fails, and the failure is logged', async () => {
    const { manager } = await teamWithHistory(2);
    await makeStale(t.database.db, manager.user.teamId);
    const b = builder({
      retryMs: 50,
      plugin: onFactsStatement(() => {
        throw new Error('connection reset');
      }, true),
    });
    b.start();
    const answer = await askUntilBuilt(manager);
    await b.stop();
    const failed = b.lines.find((l) => l.msg.includes('build failed'));
    expect(failed).toMatchObject({ team: manager.user.teamId, level: 50 });
    expect(answer.body).toEqual(await expected(manager));
  });
});
