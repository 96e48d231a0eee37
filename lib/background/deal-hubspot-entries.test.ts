import { afterEach, describe, expect, it } from 'vitest';
import type { Deal, DealEvent } from '../domain/deal';
import { PlaybookSchema, type Automation } from '../domain/playbook';
import { automationEvent } from '../process/automations';
import { DAY_MS } from '../process/clock';
import { DEFAULT_PIPELINE_ID, defaultPlaybook } from '../process/default-playbook';
import { addSequence, createTestRunner, emailStep, type TestRunner } from '../runner/testing';
import {
  entryVerdict,
  HUBSPOT_ENTRIES_KEY,
  parseSeen,
  runHubSpotStageEntries,
  stageEntryKey,
} from './deal-hubspot-entries';
import { entryIds } from './deal-automations';

/**
 * HubSpot stage entries on one device of the rep: each entry is dealt with once, entries there before the
 * first run (the upgrade) run nothing, an entry seen more than a day after the move is recorded and not run,
 * an automation enabled later does not run for an entry already dealt with, a run with nothing new tells no
 * view, and calls made during a run do not run the automations a second time.
 */
const NOW = Date.parse('2026-12-07T10:00:00Z');
const REP = 'rep@seller.example';
let t: TestRunner;
afterEach(() => t?.db.close());

async function setup(opts: { enrollEnabled?: boolean } = {}) {
  t = createTestRunner({ now: NOW, rep: { email: REP } });
  let notified = 0;
  const deps = {
    db: t.db,
    runner: t.deps,
    now: () => t.clock.now,
    role: async () => 'rep' as const,
    queueChanged: () => void notified++,
    tick: async () => undefined,
  };
  const seq = await addSequence(t.db, { id: 'seq-proposal', ownerId: REP, steps: [emailStep('a')] });
  await t.db.contacts.put({ id: 'c-ada', email: 'ada@acme.example', firstName: 'Ada', custom: {} });
  const playbook = defaultPlaybook();
  playbook.stages
    .find((s) => s.id === 'proposal')!
    .automations.push({
      id: 'proposal-enter-enroll',
      label: 'Enroll the champion in the proposal follow-up',
      trigger: { on: 'enter' },
      action: { type: 'enroll', role: 'champion', sequenceId: seq.id },
      enabled: opts.enrollEnabled ?? true,
    });
  await t.db.playbooks.put(PlaybookSchema.parse(playbook));
  return {
    run: () => runHubSpotStageEntries(deps),
    notified: () => notified,
  };
}

/** The deal `id` moved into Proposal in HubSpot at `at`, as a pull writes it (deal row and history row). */
async function movedInHubSpot(id: string, at: number) {
  const deal: Deal = {
    id,
    name: id,
    companyDomain: 'acme.example',
    ownerId: REP,
    pipelineId: DEFAULT_PIPELINE_ID,
    stageId: 'proposal',
    stageEnteredAt: at,
    contacts: [{ contactId: 'c-ada', role: 'champion' }],
    facts: {},
    threadIds: [],
    status: 'open',
    createdAt: at - DAY_MS,
    updatedAt: at,
  };
  const move: DealEvent = {
    id: `${id}:hubspot:${at}`,
    dealId: id,
    at,
    by: 'hubspot',
    kind: 'stage_changed',
    data: { fromStageId: 'discovery', toStageId: 'proposal' },
  };
  await t.db.deals.put(deal);
  await t.db.dealEvents.put(move);
  return deal;
}

async function made(dealId: string) {
  const runs = (await t.db.dealEvents.where('dealId').equals(dealId).toArray()).filter(
    (e) => e.kind === 'automation_ran',
  );
  return {
    runs: runs.map((r) => (r.kind === 'automation_ran' ? r.data : undefined)!),
    tasks: await t.db.tasks.where('enrollmentId').equals(`deal:${dealId}`).count(),
    enrollments: await t.db.enrollments.where('sequenceId').equals('seq-proposal').count(),
  };
}

describe('HubSpot stage entries on the rep’s device', () => {
  it('at the upgrade, a deal already in a stage HubSpot moved it to runs nothing, now or later', async () => {
    const { run, notified } = await setup();
    await movedInHubSpot('deal-old', NOW - 10 * DAY_MS);
    await movedInHubSpot('deal-recent', NOW - 60_000);
    expect(await run()).toBe(0);
    t.clock.now += 60_000;
    expect(await run()).toBe(0);
    for (const id of ['deal-old', 'deal-recent'])
      expect(await made(id)).toEqual({ runs: [], tasks: 0, enrollments: 0 });
    expect(notified()).toBe(0);
    expect(parseSeen((await t.db.meta.get(HUBSPOT_ENTRIES_KEY))?.value, REP)?.deals).toEqual({
      'deal-old': `enter:proposal:${NOW - 10 * DAY_MS}`,
      'deal-recent': `enter:proposal:${NOW - 60_000}`,
    });
  });

  it('a fresh move after the first run runs the enter automations once, and later syncs tell no view', async () => {
    const { run, notified } = await setup();
    expect(await run()).toBe(0);
    await movedInHubSpot('deal-hs', NOW - 2 * 60_000);
    expect(await run()).toBe(1);
    const told = notified();
    expect(told).toBeGreaterThan(0);
    const after = await made('deal-hs');
    expect(after.runs.map((r) => [r.automationId, r.outcome]).sort()).toEqual([
      ['proposal-enter-enroll', 'enrolled'],
      ['proposal-enter-task', 'task_created'],
    ]);
    expect([after.tasks, after.enrollments]).toEqual([1, 1]);
    // Each later sync: nothing new, no view reloads.
    for (let i = 0; i < 3; i++) {
      t.clock.now += 60_000;
      expect(await run()).toBe(0);
    }
    expect(notified()).toBe(told);
    expect(await made('deal-hs')).toEqual(after);
  });

  it('an automation enabled after the entry was dealt with does not run for it', async () => {
    const { run } = await setup({ enrollEnabled: false });
    expect(await run()).toBe(0);
    await movedInHubSpot('deal-hs', NOW - 60_000);
    expect(await run()).toBe(1);
    expect((await made('deal-hs')).runs.map((r) => r.automationId)).toEqual(['proposal-enter-task']);
    // The manager turns the enroll automation on (the playbook arrives by sync).
    const playbook = (await t.db.playbooks.toArray())[0]!;
    for (const s of playbook.stages) for (const a of s.automations) a.enabled = true;
    await t.db.playbooks.put(playbook);
    t.clock.now += 60_000;
    expect(await run()).toBe(0);
    const after = await made('deal-hs');
    expect(after.runs.map((r) => r.automationId)).toEqual(['proposal-enter-task']);
    expect(after.enrollments).toBe(0);
  });

  it('a move first seen three days after it was made is on the deal’s history as not run', async () => {
    const { run, notified } = await setup();
    expect(await run()).toBe(0);
    await movedInHubSpot('deal-late', NOW - 3 * DAY_MS);
    expect(await run()).toBe(0);
    const late = await made('deal-late');
    expect([late.tasks, late.enrollments]).toEqual([0, 0]);
    expect(late.runs.map((r) => [r.automationId, r.outcome]).sort()).toEqual([
      ['proposal-enter-enroll', 'refused'],
      ['proposal-enter-task', 'refused'],
    ]);
    expect(late.runs[0]!.detail).toMatch(/not run, the move in HubSpot reached this computer 3 days after/);
    expect(notified()).toBe(1);
    expect(await run()).toBe(0);
    expect(await made('deal-late')).toEqual(late);
    expect(notified()).toBe(1);
  });

  it('a late move another device already ran for records nothing more', async () => {
    const { run } = await setup();
    expect(await run()).toBe(0);
    const deal = await movedInHubSpot('deal-late', NOW - 3 * DAY_MS);
    // What the rep's other computer made for the entry, pulled before this one saw the move.
    const key = stageEntryKey(deal);
    for (const id of ['proposal-enter-enroll', 'proposal-enter-task'])
      await t.db.dealEvents.put({
        ...automationEvent(
          deal,
          { automation: { id } as Automation, outcome: 'fix_it_queued', detail: 'made elsewhere' },
          { on: 'enter', stageId: 'proposal' },
          NOW - 3 * DAY_MS,
        ),
        id: entryIds(deal.id, id, key).event,
      });
    expect(await run()).toBe(0);
    expect((await made('deal-late')).runs.map((r) => r.detail)).toEqual(['made elsewhere', 'made elsewhere']);
  });

  it('calls made while a run goes on run the automations once: one enrollment, recorded as enrolled', async () => {
    const { run, notified } = await setup();
    expect(await run()).toBe(0);
    await movedInHubSpot('deal-hs', NOW - 60_000);
    const [first, ...rest] = await Promise.all([run(), run(), run()]);
    expect(first).toBe(1);
    expect(rest).toEqual([0, 0]);
    const after = await made('deal-hs');
    expect(after.enrollments).toBe(1);
    expect(after.tasks).toBe(1);
    expect(after.runs.map((r) => [r.automationId, r.outcome]).sort()).toEqual([
      ['proposal-enter-enroll', 'enrolled'],
      ['proposal-enter-task', 'task_created'],
    ]);
    // The task's own notice and the run's: one run.
    expect(notified()).toBe(2);
  });

  it('a device signed in as another rep starts over: the other rep’s remembered entries do not count', async () => {
    const { run } = await setup();
    await movedInHubSpot('deal-hs', NOW - 60_000);
    await t.db.meta.put({
      key: HUBSPOT_ENTRIES_KEY,
      value: { rep: 'someone@seller.example', deals: {} },
    });
    expect(await run()).toBe(0);
    expect(await made('deal-hs')).toEqual({ runs: [], tasks: 0, enrollments: 0 });
  });
});

describe('entryVerdict', () => {
  const deal = { id: 'd', stageId: 'proposal', stageEnteredAt: NOW };
  const seen = { rep: REP, deals: {} };
  it('remembers only on the first run, skips an entry dealt with, runs a fresh one, records a late one', () => {
    expect(entryVerdict(undefined, deal, NOW)).toBe('baseline');
    expect(entryVerdict({ rep: REP, deals: { d: stageEntryKey(deal) } }, deal, NOW + 5 * DAY_MS)).toBe(
      'done',
    );
    expect(entryVerdict(seen, deal, NOW + DAY_MS)).toBe('run');
    expect(entryVerdict(seen, deal, NOW + DAY_MS + 1)).toBe('late');
    // A device clock behind HubSpot's puts the move in the future: fresh.
    expect(entryVerdict(seen, deal, NOW - 3_600_000)).toBe('run');
  });
  it('reads a damaged or foreign row as none', () => {
    expect(parseSeen(undefined, REP)).toBeUndefined();
    expect(parseSeen({ rep: REP, deals: 'x' }, REP)).toBeUndefined();
    expect(parseSeen({ rep: 'other@x.example', deals: {} }, REP)).toBeUndefined();
    expect(parseSeen({ rep: REP, deals: { a: 'k', b: 3 } }, REP)).toEqual({ rep: REP, deals: { a: 'k' } });
  });
});
