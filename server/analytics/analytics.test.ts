// @vitest-environment node
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isoDateOfDay, startOfLocalDay } from '../../lib/analytics/days';
import { computeAnalytics, type Analytics } from '../../lib/analytics/funnel';
import type { Session } from '../../lib/contract/auth';
import type { AnalyticsQuery } from '../../lib/contract/analytics';
import { dayNumberOf } from '../../lib/contract/analytics';
import type { PullResponse, PushResponse } from '../../lib/contract/sync';
import type { TrackingLinks } from '../../lib/contract/tracking';
import { EventSchema, type Event } from '../../lib/domain/event';
import { createLogger } from '../log';
import { makeStale } from '../testing/analytics';
import { createTestServer, type TestServer } from '../testing/harness';
import { createAnalyticsBuilder } from './builder';
import { seedEvents } from './seed';

/**
 * The server counts what lib/analytics counts: several hundred random events of three reps in five
 * sequences (machine opens, opens naming no step, auto-replies, out-of-office notices, hard and soft bounces,
 * duplicate sends, tasks done on time, late, skipped or cut short), pushed in two halves: the first while the
 * team is below ANALYTICS_VERSION (as after an upgrade), then built by the background builder, the second
 * after (so both the build and the upkeep on writes are exercised); then asked for many ranges, time zones,
 * filters and callers. Each answer must equal computeAnalytics over the events the caller can pull.
 * FC_SEED replays a run.
 */
const SEED = Number(process.env.FC_SEED ?? 20261123);
let seed = SEED;
const random = () => {
  seed = (seed + 0x6d2b79f5) | 0;
  let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
  t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
  return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
};
const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!;
const chance = (p: number) => random() < p;

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
/** Events fall from 1 March to 10 April 2025: New York and Paris change clocks, so do Santiago and Lord Howe. */
const START = Date.UTC(2025, 2, 1);
const ZONES = [
  'UTC',
  'Europe/Paris',
  'America/New_York',
  'Asia/Kolkata',
  'Asia/Kathmandu',
  'Australia/Lord_Howe',
  'America/Santiago',
  'Pacific/Chatham',
];

let t: TestServer;
let admin: Session, manager: Session;
let reps: Session[];
const clientIds = new Map<string, number>();

async function push(s: Session, mutations: { name: string; args: unknown }[]) {
  for (let i = 0; i < mutations.length; i += 500) {
    let id = clientIds.get(s.user.id) ?? 0;
    const res = await t.call<PushResponse>('POST', '/sync/push', {
      token: s.accessToken,
      body: { clientId: 'laptop', mutations: mutations.slice(i, i + 500).map((m) => ({ id: ++id, ...m })) },
    });
    clientIds.set(s.user.id, id);
    expect(res.status).toBe(200);
    expect(res.body.results.filter((r) => r.status === 'rejected')).toEqual([]);
  }
}

async function pulledEvents(s: Session): Promise<Event[]> {
  await t.app.drain();
  const events: Event[] = [];
  let cursor = 0;
  for (;;) {
    const res = await t.call<PullResponse>('GET', `/sync/pull?cursor=${cursor}&limit=10000`, {
      token: s.accessToken,
    });
    for (const r of res.body.rows) if (r.kind === 'event' && r.data) events.push(r.data as Event);
    cursor = res.body.cursor;
    if (!res.body.more) break;
  }
  // Time order, then id: the order the server reads "first" in (a task's due time, a duplicate send's variant).
  return events.sort((a, b) => a.at - b.at || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}

/** A moment near the range's edges now and then: some zone's midnight, give or take a millisecond. */
function someTime(base: number, spread: number): number {
  const at = base + Math.floor(random() * spread);
  if (!chance(0.15)) return at;
  const zone = pick(ZONES);
  const date = isoDateOfDay(Math.floor(at / DAY));
  return Math.max(START, startOfLocalDay(date, zone) + pick([-1, 0, 0, 1]));
}

/** One enrollment's history, as the runner (and, for opens and clicks, the tracking pixel) records it. */
function history(enrollmentId: string, sequenceId: string, mailbox: string): Event[] {
  const events: Event[] = [];
  const base = { enrollmentId, sequenceId, mailbox, contactId: `c-${enrollmentId}` };
  let n = 0;
  let at = someTime(START, 30 * DAY);
  const add = (type: Event['type'], when: number, extra: Partial<Event> = {}) =>
    events.push({ id: `${type}:${enrollmentId}:${n++}`, at: when, type, ...base, ...extra });
  add('enrolled', at, { stepIndex: chance(0.8) ? 0 : 1 });
  let next = 0;
  for (let step = 0; step < 5; step++) {
    at = chance(0.2) ? at : someTime(at, 3 * DAY);
    if (step === 2 && chance(0.7)) {
      const taskId = `${enrollmentId}:task`;
      const dueAt = someTime(at, DAY);
      add('task_created', at, { stepIndex: 2, data: { taskId, dueAt } });
      if (chance(0.7)) {
        const done = someTime(at, 3 * DAY);
        // A snoozed task's completion carries its new due time; the first one named counts.
        const later = chance(0.2) ? dueAt + DAY : dueAt;
        add(chance(0.8) ? 'task_completed' : 'task_skipped', done, {
          stepIndex: 2,
          data: { taskId, dueAt: later },
        });
      }
      continue;
    }
    const variant = step === 0 ? pick([0, 1, 1, 2]) : undefined;
    add('sent', at, { stepIndex: step, data: variant === undefined ? {} : { variant } });
    if (chance(0.05)) add('sent', at, { stepIndex: step, data: { variant: 0 } }); // the same send, twice
    next = step + 1;
    for (let o = Math.floor(random() * 4); o > 0; o--) {
      const when = someTime(at, 2 * DAY);
      if (chance(0.2))
        add('opened', when, { data: {} }); // an open naming no step
      else add('opened', when, { stepIndex: step, data: chance(0.3) ? { machine: true } : {} });
    }
    if (chance(0.15)) add('clicked', someTime(at, DAY), chance(0.3) ? {} : { stepIndex: step });
    const r = random();
    const when = chance(0.1) ? at : someTime(at, 2 * DAY);
    if (r < 0.06) {
      add('bounced', when, { stepIndex: next, data: { permanent: chance(0.6) } });
      if (chance(0.5)) break;
    } else if (r < 0.12) add('out_of_office', when, { stepIndex: next });
    else if (r < 0.16) add('auto_replied', when, { stepIndex: next });
    else if (r < 0.26) {
      add('replied', when, { stepIndex: next });
      if (chance(0.4)) add('meeting_booked', when + HOUR, { stepIndex: next });
      if (chance(0.7)) {
        add('unenrolled', when + 1, { stepIndex: next, reason: 'replied' });
        break;
      }
    } else if (r < 0.29) {
      add('unsubscribed', when, { stepIndex: next });
      add('unenrolled', when, { stepIndex: next, reason: 'unsubscribed' });
      break;
    }
  }
  return events;
}

beforeAll(async () => {
  t = await createTestServer();
  const team = await t.newTeam('rep', 'rep', 'rep', 'manager');
  admin = team.admin;
  reps = team.members.slice(0, 3);
  manager = team.members[3]!;

  const batches: { s: Session; events: Event[] }[] = [];
  for (const [r, s] of reps.entries()) {
    const sequences = [`q${r}a`, `q${r}b`];
    const setup: { name: string; args: unknown }[] = sequences.map((id) => ({
      name: 'sequence.upsert',
      args: {
        id,
        name: id,
        sharing: r === 0 && id.endsWith('a') ? 'team' : 'private',
        steps: [{ id: 's1', type: 'auto_email', delay: { value: 0, unit: 'days' } }],
      },
    }));
    const events: Event[] = [];
    for (let i = 0; i < 9; i++) {
      const e = `e${r}-${i}`;
      const sequenceId = i === 8 && r > 0 ? 'q0a' : pick(sequences); // the shared sequence, used by colleagues
      // Rep 2 sends from two mailboxes.
      const mailbox = r === 2 && i % 3 === 0 ? 'second@example.com' : s.user.email;
      setup.push(
        { name: 'contact.upsert', args: { id: `c-${e}`, email: `${e}@lead.test` } },
        {
          name: 'enroll',
          args: {
            id: e,
            sequenceId,
            contactId: `c-${e}`,
            mailbox,
            status: 'active',
            enrolledAt: START,
            stepIndex: 0,
          },
        },
      );
      events.push(...history(e, sequenceId, mailbox));
    }
    // An import that names a contact but no enrollment, and an event naming neither.
    events.push(
      {
        id: `enrolled:import:${r}`,
        at: someTime(START, 30 * DAY),
        type: 'enrolled',
        sequenceId: sequences[1],
        contactId: `imported-${r}`,
        mailbox: s.user.email,
        stepIndex: 0,
      },
      {
        id: `sent:import:${r}`,
        at: someTime(START, 30 * DAY),
        type: 'sent',
        sequenceId: sequences[1],
        contactId: `imported-${r}`,
        mailbox: s.user.email,
        stepIndex: 0,
      },
      { id: `replied:lonely:${r}`, at: someTime(START, 30 * DAY), type: 'replied', mailbox: s.user.email },
    );
    await push(s, setup);
    batches.push({ s, events });
  }

  const record = (s: Session, events: Event[]) =>
    push(
      s,
      Array.from({ length: Math.ceil(events.length / 200) }, (_, i) => ({
        name: 'events.record',
        args: { events: events.slice(i * 200, i * 200 + 200) },
      })),
    );
  await makeStale(t.database.db, admin.user.teamId);
  for (const { s, events } of batches)
    await record(
      s,
      events.filter((_, i) => i % 2 === 0),
    );
  // The background builder builds the team's analytics from what is stored; the rest arrives afterwards.
  expect((await ask(manager, { from: '2025-03-01', to: '2025-04-30' })).status).toBe(503);
  await buildStaleTeams();
  expect((await ask(manager, { from: '2025-03-01', to: '2025-04-30' })).status).toBe(200);
  for (const { s, events } of batches) {
    const rest = events.filter((_, i) => i % 2 === 1);
    await record(s, rest);
    await record(s, rest.slice(0, 5)); // a retried push: nothing counts twice
  }

  // Opens and clicks through the tracking pixel and links, today: they carry the enrollment's sequence.
  for (const [r, s] of reps.entries()) {
    const links = await t.call<TrackingLinks>('POST', '/tracking/links', {
      token: s.accessToken,
      body: { enrollmentId: `e${r}-1`, stepIndex: 0, links: ['https://acme.test/'] },
    });
    t.advance(60_000);
    const browser = { 'user-agent': 'Mozilla/5.0 (Macintosh) AppleWebKit/605.1.15 Safari/605.1.15' };
    await t.app.request(links.body.pixelUrl.replace('http://threadline.test', ''), { headers: browser });
    await t.app.request(links.body.pixelUrl.replace('http://threadline.test', ''), {
      headers: { 'user-agent': 'Mozilla/5.0 (via ggpht.com GoogleImageProxy)' },
    });
    await t.app.request(links.body.links[0]!.trackedUrl.replace('http://threadline.test', ''), {
      headers: browser,
    });
  }
  await t.app.drain();
}, 120_000);
afterAll(() => t?.close());

/** What a server does at start after an upgrade: builds every team below ANALYTICS_VERSION. */
async function buildStaleTeams() {
  const built = await createAnalyticsBuilder(t.database.db, createLogger('silent'), {
    cancelsStatements: t.database.engine === 'postgres',
  }).runOnce();
  expect(built.filter((b) => b.outcome !== 'built')).toEqual([]);
}

function ask(s: Session, query: AnalyticsQuery) {
  const params = new URLSearchParams(
    Object.entries(query).flatMap(([k, v]) => (v === undefined ? [] : [[k, String(v)]])),
  );
  return t.call<Analytics>('GET', `/analytics?${params}`, { token: s.accessToken });
}

async function expectSame(s: Session, query: AnalyticsQuery, events: Event[]) {
  const timeZone = query.timeZone ?? 'UTC';
  const from = startOfLocalDay(query.from, timeZone);
  const to = startOfLocalDay(isoDateOfDay(dayNumberOf(query.to)! + 1), timeZone);
  const expected = computeAnalytics(
    events,
    {
      from,
      to,
      ...(query.sequenceId ? { sequenceIds: [query.sequenceId] } : {}),
      ...(query.stepIndex !== undefined ? { stepIndexes: [Number(query.stepIndex)] } : {}),
    },
    { timeZone },
  );
  const res = await ask(s, query);
  expect(res.status, JSON.stringify(query)).toBe(200);
  expect(res.body, `${JSON.stringify(query)} (FC_SEED=${SEED})`).toEqual(expected);
  return res.body;
}

function someRange(): { from: string; to: string } {
  const first = Math.floor(START / DAY) - 2 + Math.floor(random() * 40);
  const length = pick([0, 0, 1, 2, 6, 13, 30, 45]);
  return { from: isoDateOfDay(first), to: isoDateOfDay(first + length) };
}

describe('the analytics API', () => {
  it('counts a manager’s whole team as lib/analytics does, in any range and time zone', async () => {
    const events = await pulledEvents(admin);
    expect(events.length).toBeGreaterThan(300);
    expect(events.some((e) => e.type === 'opened' && e.data?.machine === true)).toBe(true);
    const whole = await expectSame(
      manager,
      { from: '2025-02-20', to: '2025-04-30', timeZone: 'Europe/Paris' },
      events,
    );
    expect(whole.totals.counts.sent).toBeGreaterThan(50);
    expect(whole.byRep.length).toBe(4);
    for (let i = 0; i < 24; i++) await expectSame(manager, { ...someRange(), timeZone: pick(ZONES) }, events);
    await expectSame(admin, { from: '2026-11-01', to: '2026-12-01', timeZone: 'Europe/Paris' }, events);
  });

  it('counts one step the way lib/analytics filters by it', async () => {
    const events = await pulledEvents(admin);
    for (let i = 0; i < 10; i++)
      await expectSame(
        manager,
        { ...someRange(), timeZone: pick(ZONES), stepIndex: pick([0, 1, 2, 3]) },
        events,
      );
  });

  it('counts one sequence, one rep, or both, for a manager', async () => {
    for (let i = 0; i < 12; i++) {
      const r = Math.floor(random() * reps.length);
      const byRep = chance(0.6);
      const sequenceId = chance(0.6) ? pick(['q0a', 'q0b', `q${r}a`, `q${r}b`]) : undefined;
      const events = byRep ? await pulledEvents(reps[r]!) : await pulledEvents(admin);
      await expectSame(
        manager,
        {
          ...someRange(),
          timeZone: pick(ZONES),
          ...(byRep ? { repId: reps[r]!.user.id } : {}),
          ...(sequenceId || !byRep ? { sequenceId: sequenceId ?? 'q0a' } : {}),
          ...(chance(0.3) ? { stepIndex: pick([0, 1]) } : {}),
        },
        events,
      );
    }
  });

  it('gives a rep their own numbers only, a shared sequence included', async () => {
    for (const [r, s] of reps.entries()) {
      const own = await pulledEvents(s);
      await expectSame(s, { from: '2025-02-20', to: '2025-04-30', timeZone: 'America/New_York' }, own);
      await expectSame(s, { ...someRange(), timeZone: pick(ZONES), sequenceId: 'q0a' }, own);
      await expectSame(s, { ...someRange(), repId: s.user.id }, own);
      const shared = await ask(s, { from: '2025-02-20', to: '2025-04-30', sequenceId: 'q0a' });
      expect(shared.body.byRep.map((row) => row.mailbox)).toEqual(
        r === 2 ? expect.any(Array) : [s.user.email],
      );
    }
  });

  it('counts the pixel’s opens and the links’ clicks in the enrollment’s sequence, a proxy’s as machine', async () => {
    const today = isoDateOfDay(Math.floor(t.now() / DAY));
    const res = await ask(manager, { from: today, to: today });
    expect(res.body.totals.counts).toMatchObject({ openedHuman: 3, openedAll: 3, clicked: 3 });
    expect(res.body.bySequence.map((s) => s.sequenceId).sort()).toEqual(
      ['e0-1', 'e1-1', 'e2-1'].map((e) => pulled.get(e)).sort(),
    );
  });
});

const pulled = new Map<string, string>();
beforeAll(async () => {
  for (const r of (
    await t.call<PullResponse>('GET', '/sync/pull?cursor=0&limit=10000', { token: admin.accessToken })
  ).body.rows)
    if (r.kind === 'enrollment' && r.data) pulled.set(r.id, String(r.data.sequenceId));
});

describe('bad queries', () => {
  it('answer 400 naming the parameter', async () => {
    const cases: [Record<string, string>, RegExp][] = [
      [{ to: '2025-03-01' }, /query\.from/],
      [{ from: '2025-03-01', to: '2025-02-01' }, /query\.to: is before from/],
      [{ from: '2025-02-30', to: '2025-03-01' }, /query\.from: is not a calendar day/],
      [{ from: '2025-03-01', to: '2029-03-01' }, /query\.to: the range may span at most/],
      [{ from: '2025-03-01', to: '2025-03-02', timeZone: 'Mars/Olympus' }, /query\.timeZone/],
      [{ from: '2025-03-01', to: '2025-03-02', stepIndex: 'first' }, /query\.stepIndex/],
      [{ from: '2025-03-01', to: '2025-03-02', color: 'blue' }, /color/],
    ];
    for (const [query, message] of cases) {
      const res = await t.call<{ error: { message: string } }>(
        'GET',
        `/analytics?${new URLSearchParams(query)}`,
        {
          token: manager.accessToken,
        },
      );
      expect(res.status, JSON.stringify(query)).toBe(400);
      expect(res.body.error.message).toMatch(message);
    }
  });
});

describe('a team seeded in bulk (the benchmark’s data)', () => {
  it('is counted as lib/analytics counts the same events, once built in the background', async () => {
    const { admin: boss, members } = await t.newTeam('manager');
    const owners = [boss.user.id, members[0]!.user.id];
    const start = Date.UTC(2025, 0, 6);
    const inserted = await seedEvents(t.database.db, {
      teamId: boss.user.teamId,
      owners,
      sequences: 5,
      count: 4000,
      start,
    });
    expect(inserted).toBe(4000);
    // Written straight into the database, around the writes' upkeep: built as after an upgrade.
    await makeStale(t.database.db, boss.user.teamId);
    await buildStaleTeams();
    const events = await pulledEvents(boss);
    expect(events.map((e) => EventSchema.safeParse(e).success).every(Boolean)).toBe(true);
    const types = new Set(events.map((e) => e.type));
    for (const type of [
      'enrolled',
      'sent',
      'opened',
      'clicked',
      'bounced',
      'replied',
      'meeting_booked',
      'task_completed',
    ])
      expect(types, type).toContain(type);
    const whole = await expectSame(
      members[0]!,
      { from: '2025-01-06', to: '2025-04-10', timeZone: 'Europe/Paris' },
      events,
    );
    expect(whole.bySequence).toHaveLength(5);
    expect(whole.abTests.length).toBeGreaterThan(0);
    await expectSame(
      members[0]!,
      { from: '2025-02-01', to: '2025-02-28', timeZone: 'America/New_York' },
      events,
    );
  });
});
