// @vitest-environment node
import 'fake-indexeddb/auto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Session } from '../contract/auth';
import { ThreadlineDb } from '../db/database';
import type { Deal } from '../domain/deal';
import { defaultPlaybook } from '../process/default-playbook';
import { createTestServer, type TestServer } from '../../server/testing/harness';
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
