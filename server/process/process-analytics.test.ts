// @vitest-environment node
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Session } from '../../lib/contract/auth';
import type { ProcessAnalytics } from '../../lib/contract/process-analytics';
import type { PullResponse, PushResponse } from '../../lib/contract/sync';
import {
  DealEventSchema,
  DealFlagSchema,
  DealSchema,
  type Deal,
  type DealEvent,
  type DealFlag,
} from '../../lib/domain/deal';
import { computeProcessAnalytics, dayStartsOf } from '../../lib/process/process-analytics';
import { createTestServer, type TestServer } from '../testing/harness';

/**
 * The server's process analytics (SQL) equal lib/process's on seeded data: a team of three reps and a
 * manager, 60 random deals over seven weeks (stage changes forward and back, deals won and lost, flags of
 * every severity raised and cleared, skipped criteria and a manager's overrides), pushed through sync; then
 * asked for several ranges, time zones, stall thresholds and callers. Each answer must equal
 * computeProcessAnalytics over the rows the caller can pull. FC_SEED replays a run; with DATABASE_URL set
 * the same runs on PostgreSQL.
 */
const SEED = Number(process.env.FC_SEED ?? 20261207);
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
const START = Date.UTC(2026, 8, 1);
const STAGES = ['discovery', 'qualified', 'demo', 'proposal', 'negotiation'];
const RULES = ['no_eb', 'stale', 'no_close_date', 'no_champion'];

let t: TestServer;
let manager: Session;
let reps: Session[];
let other: Session;
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

/** One deal's life: created, moved on (sometimes back), flagged and cleared, maybe closed. */
function life(id: string, owner: Session) {
  const created = START + Math.floor(random() * 40 * DAY);
  const moves: DealEvent[] = [];
  const marks: DealEvent[] = [];
  const flags: DealFlag[] = [];
  let stage = chance(0.8) ? 0 : 1;
  const first = STAGES[stage]!;
  let at = created;
  for (let n = 0; n < 5 && chance(0.7); n++) {
    at += Math.floor(random() * 9 * DAY) + (chance(0.1) ? 0 : HOUR);
    const next = chance(0.15) && stage > 0 ? stage - 1 : Math.min(stage + 1, STAGES.length - 1);
    if (next === stage) break;
    const fromStageId = STAGES[stage]!;
    const toStageId = STAGES[next]!;
    moves.push({
      id: `${id}:m${n}`,
      dealId: id,
      at,
      by: owner.user.email,
      kind: 'stage_changed',
      data: { fromStageId, toStageId },
    });
    if (chance(0.3))
      marks.push({
        id: `${id}:k${n}`,
        dealId: id,
        at,
        by: owner.user.email,
        kind: 'criteria_skipped',
        data: { stageId: fromStageId, toStageId, criterionIds: ['c1', ...(chance(0.5) ? ['c2'] : [])] },
      });
    stage = next;
  }
  const closed = chance(0.3) ? at + Math.floor(random() * 5 * DAY) : undefined;
  for (let n = 0; n < 4 && chance(0.6); n++) {
    const raisedAt = created + Math.floor(random() * 30 * DAY);
    const cleared = chance(0.6) ? raisedAt + Math.floor(random() * 6 * DAY) : undefined;
    const ruleId = pick(RULES);
    flags.push({
      id: `${id}:${ruleId}:${raisedAt}`,
      dealId: id,
      ownerId: owner.user.email,
      ruleId,
      severity: pick(['error', 'error', 'warning', 'info'] as const),
      raisedAt,
      ...(cleared !== undefined ? { clearedAt: cleared } : {}),
      because: [],
    });
  }
  const deal = {
    id,
    name: `Deal ${id}`,
    pipelineId: chance(0.85) ? 'b2b' : 'partners',
    stageId: STAGES[stage]!,
    stageEnteredAt: at,
    createdAt: created,
    updatedAt: at,
    status: closed === undefined ? 'open' : pick(['won', 'lost']),
    ...(closed !== undefined ? { closedAt: closed } : {}),
  };
  void first;
  return { deal, history: [...moves, ...marks], flags };
}

beforeAll(async () => {
  t = await createTestServer();
  const team = await t.newTeam('rep', 'rep', 'rep', 'manager');
  reps = team.members.slice(0, 3);
  manager = team.members[3]!;
  other = (await t.newTeam()).admin;
  const overrides: DealEvent[] = [];
  for (let i = 0; i < 60; i++) {
    const owner = pick(reps);
    const { deal, history, flags } = life(`d${i}`, owner);
    await push(owner, [
      { name: 'deal.upsert', args: deal },
      ...(history.length ? [{ name: 'dealEvents.record', args: { events: history } }] : []),
      ...flags.map((f) => ({ name: 'dealFlag.upsert', args: f })),
    ]);
    if (chance(0.2))
      overrides.push({
        id: `${deal.id}:override`,
        dealId: deal.id,
        at: deal.createdAt + Math.floor(random() * 10 * DAY),
        by: manager.user.email,
        kind: 'override',
        data: { stageId: 'proposal', toStageId: 'negotiation', criterionIds: ['c1'], reason: 'Verbal yes' },
      });
  }
  await push(manager, [{ name: 'dealEvents.record', args: { events: overrides } }]);
  // Another team's deal on the same days: never counted for this team.
  const stranger = life('d0', other);
  await push(other, [
    { name: 'deal.upsert', args: stranger.deal },
    ...stranger.flags.map((f) => ({ name: 'dealFlag.upsert', args: f })),
  ]);
}, 180_000);
afterAll(() => t?.close());

async function pulled(s: Session) {
  const deals: Deal[] = [];
  const events: DealEvent[] = [];
  const flags: DealFlag[] = [];
  let cursor = 0;
  for (;;) {
    const res = await t.call<PullResponse>('GET', `/sync/pull?cursor=${cursor}&limit=10000`, {
      token: s.accessToken,
    });
    for (const r of res.body.rows) {
      if (!r.data) continue;
      if (r.kind === 'deal') deals.push(DealSchema.parse(r.data));
      if (r.kind === 'deal_event') events.push(DealEventSchema.parse(r.data));
      if (r.kind === 'deal_flag') flags.push(DealFlagSchema.parse(r.data));
    }
    cursor = res.body.cursor;
    if (!res.body.more) break;
  }
  return { deals, events, flags };
}

async function ask(s: Session, query: Record<string, string>) {
  const res = await t.call<ProcessAnalytics>('GET', `/process-analytics?${new URLSearchParams(query)}`, {
    token: s.accessToken,
  });
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return res.body;
}

const CASES: Record<string, string>[] = [
  { from: '2026-09-01', to: '2026-10-31', timeZone: 'UTC' },
  { from: '2026-09-10', to: '2026-09-30', timeZone: 'Europe/Paris' },
  // New York leaves summer time on 1 November: a 25-hour day in the range.
  { from: '2026-10-15', to: '2026-11-20', timeZone: 'America/New_York', stalledDays: '7' },
  { from: '2026-09-01', to: '2026-09-01', timeZone: 'Asia/Kathmandu' },
  { from: '2026-12-01', to: '2026-12-31', timeZone: 'UTC', stalledDays: '30' },
];

describe('GET /process-analytics', () => {
  it('equals lib/process on the seeded team for the manager (the team), per rep and for a rep (their own)', async () => {
    const team = await pulled(manager);
    expect(team.deals).toHaveLength(60);
    for (const c of CASES) {
      const { dayStarts, dates } = dayStartsOf(c.from!, c.to!, c.timeZone!);
      const stalledDays = Number(c.stalledDays ?? 21);
      const expected = computeProcessAnalytics({ dayStarts, dates, stalledDays, ...team });
      expect(await ask(manager, c), JSON.stringify(c)).toEqual(expected);
      const rep = reps[0]!;
      const own = { ...team, deals: team.deals.filter((d) => d.ownerId === rep.user.email) };
      const ownExpected = computeProcessAnalytics({ dayStarts, dates, stalledDays, ...own });
      expect(await ask(manager, { ...c, repId: rep.user.id })).toEqual(ownExpected);
      expect(await ask(rep, c)).toEqual(ownExpected);
    }
    // The seeded data exercises every part (a comparison of empty lists would prove nothing).
    const wide = await ask(manager, CASES[0]!);
    expect(wide.totals.dealDays).toBeGreaterThan(500);
    expect(wide.totals.compliantDays).toBeLessThan(wide.totals.dealDays);
    expect(wide.byRep).toHaveLength(3);
    expect(wide.timeInStage.length).toBeGreaterThan(3);
    expect(wide.conversion.length).toBeGreaterThan(3);
    expect(wide.topRules).toHaveLength(RULES.length);
    expect(wide.stalled.length).toBeGreaterThan(0);
    expect(wide.totals.skips).toBeGreaterThan(0);
    expect(wide.totals.overrides).toBeGreaterThan(0);
    expect(wide.weekly).toHaveLength(9);
  }, 120_000);

  it('a rep reads their own deals only: the rows they pull, nobody else’s, and never by naming a colleague', async () => {
    const rep = reps[1]!;
    const mine = await pulled(rep);
    expect(new Set(mine.deals.map((d) => d.ownerId))).toEqual(new Set([rep.user.email]));
    const answer = await ask(rep, CASES[0]!);
    expect(new Set(answer.byDeal.map((d) => d.ownerId))).toEqual(new Set([rep.user.email]));
    const res = await t.call(
      'GET',
      `/process-analytics?${new URLSearchParams({ ...CASES[0]!, repId: reps[0]!.user.id })}`,
      {
        token: rep.accessToken,
      },
    );
    expect(res).toMatchObject({
      status: 403,
      body: { error: { message: 'query.repId: a rep sees only their own deals' } },
    });
  });

  it('keeps teams apart: another team’s manager names a member of this team and is told there is none', async () => {
    const res = await t.call(
      'GET',
      `/process-analytics?${new URLSearchParams({ ...CASES[0]!, repId: reps[0]!.user.id })}`,
      {
        token: other.accessToken,
      },
    );
    expect(res).toMatchObject({ status: 404, body: { error: { code: 'not_found' } } });
    const own = await ask(other, CASES[0]!);
    expect(own.byDeal.map((d) => d.ownerId)).toEqual([other.user.email]);
  });

  it('refuses a backwards or too long range, naming the field', async () => {
    const back = await t.call('GET', '/process-analytics?from=2026-09-10&to=2026-09-01', {
      token: manager.accessToken,
    });
    expect(back).toMatchObject({
      status: 400,
      body: { error: { message: expect.stringContaining('query.to: is before from') } },
    });
    const long = await t.call('GET', '/process-analytics?from=2025-01-01&to=2026-09-01', {
      token: manager.accessToken,
    });
    expect(long.status).toBe(400);
  });
});
