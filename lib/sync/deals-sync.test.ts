// @vitest-environment node
import 'fake-indexeddb/auto';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CrmConfig } from '../../server/crm/config';
import { createCrmWorker } from '../../server/crm/worker';
import { crmSandboxForTests } from '../../server/testing/crm';
import { createTestServer, type TestServer } from '../../server/testing/harness';
import type { HubSpotSandbox } from '../../tools/sandbox/hubspot/server';
import { runHubSpotStageEntries } from '../background/deal-hubspot-entries';
import type { Session } from '../contract/auth';
import type { PullResponse } from '../contract/sync';
import { ThreadlineDb } from '../db/database';
import type { Deal } from '../domain/deal';
import { PlaybookSchema } from '../domain/playbook';
import { defaultPlaybook } from '../process/default-playbook';
import { addSequence, createTestRunner, emailStep } from '../runner/testing';
import { createDexieSyncStore, enableSync } from './dexie-store';
import { createSyncClient } from './sync-client';

/**
 * Deals between devices through the real backend: the rep's deal, its history and flags reach their manager's
 * device (kept beside the manager's own, owned by the rep's address), a manager's move comes back to the rep,
 * and a rep's device that writes the team's playbook sees it refused while the manager's goes to everyone.
 */
let server: TestServer;
beforeAll(async () => {
  server = await createTestServer();
}, 60_000);
afterAll(() => server?.close());

const NOW = Date.parse('2026-12-07T09:00:00Z');
let n = 0;

async function device(session: Session) {
  const db = new ThreadlineDb(`deals-sync-${++n}`);
  await db.meta.put({ key: 'rep', value: { email: session.user.email, timeZone: 'UTC' } });
  await enableSync(db, session.user.id);
  const client = createSyncClient({
    baseUrl: 'http://threadline.test',
    fetch: (input, init) => Promise.resolve(server.app.request(String(input), init)),
    token: () => session.accessToken,
    clientId: `deals-client-${n}`,
    store: createDexieSyncStore(db),
    now: () => NOW,
  });
  return { db, sync: () => client.syncOnce() };
}

const deal = (ownerId: string): Deal => ({
  id: 'deal-acme',
  name: 'Acme',
  companyDomain: 'acme.example',
  ownerId,
  pipelineId: 'b2b',
  stageId: 'discovery',
  stageEnteredAt: NOW,
  contacts: [],
  facts: {},
  threadIds: [],
  status: 'open',
  createdAt: NOW,
  updatedAt: NOW,
});

describe('deals sync between a rep’s and a manager’s devices', () => {
  it('carries deals, history and flags to the manager, a manager’s move back, and keeps playbooks to managers', async () => {
    const { admin: manager, members } = await server.newTeam('rep');
    const rep = members[0]!;
    const laptop = await device(rep);
    await laptop.db.transaction(
      'rw',
      [laptop.db.deals, laptop.db.dealEvents, laptop.db.dealFlags],
      async () => {
        await laptop.db.deals.put(deal(rep.user.email));
        await laptop.db.dealEvents.put({
          id: 'ev-created',
          dealId: 'deal-acme',
          at: NOW,
          by: rep.user.email,
          kind: 'created',
          data: { stageId: 'discovery' },
        });
        await laptop.db.dealFlags.put({
          id: 'deal-acme:stale:1',
          dealId: 'deal-acme',
          ownerId: rep.user.email,
          ruleId: 'stale',
          severity: 'error',
          raisedAt: NOW,
          because: [],
        });
      },
    );
    // The rep's device also holds the default playbook as if it had saved it: the team's, so refused.
    await laptop.db.playbooks.put(defaultPlaybook());
    const pushed = await laptop.sync();
    expect(pushed.error).toBeUndefined();
    expect(pushed.rejected.map((r) => r.reason)).toEqual([
      'only a manager or an admin can change playbook b2b-default: the playbook is the team’s',
    ]);

    const boss = await device(manager);
    expect((await boss.sync()).error).toBeUndefined();
    // The manager's device keeps the rep's deal (for the board and analytics), owned by the rep's address.
    expect((await boss.db.deals.get('deal-acme'))?.ownerId).toBe(rep.user.email);
    expect(await boss.db.dealEvents.count()).toBe(1);
    expect((await boss.db.dealFlags.get('deal-acme:stale:1'))?.severity).toBe('error');

    // The manager moves the deal (an override) and saves the playbook with a require gate.
    const held = (await boss.db.deals.get('deal-acme'))!;
    await boss.db.transaction('rw', [boss.db.deals, boss.db.dealEvents], async () => {
      await boss.db.deals.put({ ...held, stageId: 'qualified', stageEnteredAt: NOW + 1, updatedAt: NOW + 1 });
      await boss.db.dealEvents.put({
        id: 'ev-override',
        dealId: 'deal-acme',
        at: NOW + 1,
        by: manager.user.email,
        kind: 'override',
        data: {
          stageId: 'discovery',
          toStageId: 'qualified',
          criterionIds: ['discovery-pain'],
          reason: 'CFO said yes',
        },
      });
    });
    await boss.db.playbooks.put({ ...defaultPlaybook(), gate: 'require' });
    expect((await boss.sync()).rejected).toEqual([]);

    await laptop.sync();
    expect((await laptop.db.deals.get('deal-acme'))?.stageId).toBe('qualified');
    expect((await laptop.db.dealEvents.get('ev-override'))?.kind).toBe('override');
    expect((await laptop.db.playbooks.get('b2b-default'))?.gate).toBe('require');
  });
});

/**
 * A stage moved in HubSpot reaches the rep's two computers (and their manager's) by sync; the entered stage's
 * "enter" automations run once: the two devices of the rep make the same task, enrollment and history rows
 * (ids from the stage entry), which the backend keeps once; the manager's device runs nothing.
 */
describe('a stage moved in HubSpot, pulled by two devices of the rep and by a teammate', () => {
  let crmServer: TestServer;
  let hs: HubSpotSandbox;
  let crmConfig: CrmConfig;
  beforeAll(async () => {
    let clock: () => number = Date.now;
    const made = await crmSandboxForTests({ now: () => clock() });
    hs = made.hs;
    crmConfig = made.config;
    crmServer = await createTestServer({ crm: made.config });
    clock = crmServer.now;
  }, 120_000);
  afterAll(async () => {
    await crmServer?.close();
    await hs?.stop();
  });

  let m = 0;
  async function repDevice(session: Session) {
    const t = createTestRunner({ now: NOW, rep: { email: session.user.email, timeZone: 'UTC' } });
    const name = `d${++m}`;
    let ids = 0;
    const runner = t.restart({ newId: () => `${name}-${++ids}` });
    await t.db.meta.put({ key: 'rep', value: { email: session.user.email, timeZone: 'UTC' } });
    await enableSync(t.db, session.user.id);
    const client = createSyncClient({
      baseUrl: 'http://threadline.test',
      fetch: (input, init) => Promise.resolve(crmServer.app.request(String(input), init)),
      token: () => session.accessToken,
      clientId: `hubspot-entries-${name}`,
      store: createDexieSyncStore(t.db),
      now: () => NOW,
    });
    const deps = {
      db: t.db,
      runner,
      now: () => t.clock.now,
      role: async () => session.user.role,
      queueChanged: () => undefined,
      tick: async () => undefined,
    };
    return {
      db: t.db,
      async sync() {
        const r = await client.syncOnce();
        expect(r.error).toBeUndefined();
        expect(r.rejected).toEqual([]);
      },
      entries: () => runHubSpotStageEntries(deps),
      close: () => t.db.close(),
    };
  }

  async function serverRows(s: Session, kind: string) {
    const res = await crmServer.call<PullResponse>('GET', '/sync/pull?cursor=0&limit=10000', {
      token: s.accessToken,
    });
    return res.body.rows.filter((r) => r.kind === kind && !r.deleted && r.data).map((r) => r.data!);
  }

  it('runs the stage’s enter automations once: one task, one enrollment, one history row each', async () => {
    const { admin: manager, members } = await crmServer.newTeam('rep');
    const rep = members[0]!;
    hs.addOwner({ email: rep.user.email });
    const connected = await crmServer.call('POST', '/crm/hubspot/private-app', {
      token: manager.accessToken,
      body: { token: hs.privateAppToken() },
    });
    expect(connected.status).toBe(200);
    const laptop = await repDevice(rep);
    const desktop = await repDevice(rep);
    const boss = await repDevice(manager);
    try {
      // The manager's playbook: entering Proposal also enrolls the champion in the rep's follow-up sequence.
      const seq = await addSequence(laptop.db, {
        id: 'seq-proposal',
        name: 'Proposal follow-up',
        ownerId: rep.user.email,
        steps: [emailStep('a', { value: 2, unit: 'days' })],
      });
      const playbook = defaultPlaybook();
      playbook.stages
        .find((s) => s.id === 'proposal')!
        .automations.push({
          id: 'proposal-enter-enroll',
          label: 'Enroll the champion in the proposal follow-up',
          trigger: { on: 'enter' },
          action: { type: 'enroll', role: 'champion', sequenceId: seq.id },
          enabled: true,
        });
      await boss.db.playbooks.put(PlaybookSchema.parse(playbook));
      await boss.sync();
      await laptop.db.transaction('rw', [laptop.db.contacts, laptop.db.deals], async () => {
        await laptop.db.contacts.put({
          id: 'c-ada',
          email: 'ada@acme.example',
          firstName: 'Ada',
          custom: {},
        });
        await laptop.db.deals.put({
          ...deal(rep.user.email),
          id: 'deal-hs',
          contacts: [{ contactId: 'c-ada', role: 'champion' }],
        });
      });
      await laptop.sync();
      await desktop.sync();
      // Each sync runs the stage entries: the first run on a device only remembers what is already there.
      expect(await laptop.entries()).toBe(0);
      expect(await desktop.entries()).toBe(0);
      const worker = createCrmWorker({
        db: crmServer.database.db,
        log: pino({ level: 'silent' }),
        now: crmServer.now,
        config: crmConfig,
      });
      await worker.runOnce();
      const hubspotId = hs.records('deals').find((d) => d.properties.threadline_deal_id === 'deal-hs')!.id;

      // Someone moves the deal to "Contract sent" in HubSpot; the schedule takes it into Threadline.
      const moved = await fetch(`${hs.url}/crm/v3/objects/deals/${hubspotId}`, {
        method: 'PATCH',
        headers: { authorization: `Bearer ${hs.privateAppToken()}`, 'content-type': 'application/json' },
        body: JSON.stringify({ properties: { dealstage: 'contractsent' } }),
      });
      expect(moved.status).toBe(200);
      crmServer.advance(2 * 60_000);
      await worker.runOnce();

      // Both computers pull the move before either has pushed what its automations made.
      await laptop.sync();
      await desktop.sync();
      expect((await laptop.db.deals.get('deal-hs'))?.stageId).toBe('proposal');
      expect((await desktop.db.deals.get('deal-hs'))?.stageId).toBe('proposal');
      expect(await laptop.entries()).toBe(1);
      expect(await desktop.entries()).toBe(1);
      for (let i = 0; i < 2; i++) for (const d of [laptop, desktop, boss]) await d.sync();
      expect(await boss.entries()).toBe(0);
      // Run again (each sync runs them): nothing left to run, nothing new anywhere.
      expect(await laptop.entries()).toBe(0);
      expect(await desktop.entries()).toBe(0);
      for (const d of [laptop, desktop]) await d.sync();

      const tasks = (await serverRows(rep, 'task')).filter((t) => t.enrollmentId === 'deal:deal-hs');
      expect(tasks.map((t) => t.title)).toEqual(['Follow up on the proposal']);
      const enrollments = (await serverRows(rep, 'enrollment')).filter((e) => e.sequenceId === seq.id);
      expect(enrollments.map((e) => e.contactId)).toEqual(['c-ada']);
      const runs = (await serverRows(rep, 'deal_event')).filter(
        (e) => e.dealId === 'deal-hs' && e.kind === 'automation_ran',
      );
      expect(runs.map((e) => (e.data as { automationId: string }).automationId).sort()).toEqual([
        'proposal-enter-enroll',
        'proposal-enter-task',
      ]);
      for (const d of [laptop, desktop]) {
        expect(await d.db.tasks.where('enrollmentId').equals('deal:deal-hs').count()).toBe(1);
        expect(await d.db.enrollments.where('sequenceId').equals(seq.id).count()).toBe(1);
      }
    } finally {
      for (const d of [laptop, desktop, boss]) d.close();
    }
  });
});
