// @vitest-environment node
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Session } from '../../lib/contract/auth';
import type { ChangedRow, PullResponse, PushResponse } from '../../lib/contract/sync';
import type { PlaybookInput } from '../../lib/domain/playbook';
import { createTestServer, type TestServer } from '../testing/harness';

/**
 * Deals, their history, their flags and the team's playbooks through /sync/push and /sync/pull: who may
 * write what (attacks included), exactly once, and the conflict rules (server/sync/deal-mutations.ts).
 */

let t: TestServer;
beforeAll(async () => {
  t = await createTestServer();
}, 60_000);
afterAll(() => t?.close());

type M = { name: string; args: unknown };
const ids = new Map<string, number>();

async function push(s: Session, ...mutations: M[]) {
  let id = ids.get(s.user.id) ?? 0;
  const body = { clientId: 'laptop', mutations: mutations.map((m) => ({ id: ++id, ...m })) };
  ids.set(s.user.id, id);
  const res = await t.call<PushResponse>('POST', '/sync/push', { token: s.accessToken, body });
  expect(res.status).toBe(200);
  return res.body.results;
}

async function pull(s: Session): Promise<ChangedRow[]> {
  const res = await t.call<PullResponse>('GET', '/sync/pull?cursor=0&limit=10000', { token: s.accessToken });
  return res.body.rows;
}
const rowOf = async (s: Session, kind: string, id: string) =>
  (await pull(s)).find((r) => r.kind === kind && r.id === id);

const deal = (id: string, extra: object = {}) => ({
  name: 'deal.upsert',
  args: {
    id,
    name: `Acme ${id}`,
    companyDomain: 'acme.example',
    pipelineId: 'b2b',
    stageId: 'discovery',
    stageEnteredAt: 1000,
    createdAt: 1000,
    updatedAt: 1000,
    ...extra,
  },
});
const stageChanged = (id: string, dealId: string, by = 'rep@example.com') => ({
  id,
  dealId,
  at: 2000,
  by,
  kind: 'stage_changed',
  data: { fromStageId: 'discovery', toStageId: 'qualified' },
});
const override = (id: string, dealId: string) => ({
  id,
  dealId,
  at: 2000,
  by: 'boss@example.com',
  kind: 'override',
  data: { stageId: 'discovery', toStageId: 'qualified', criterionIds: ['pain'], reason: 'Signed LOI' },
});
const flag = (id: string, dealId: string, extra: object = {}) => ({
  name: 'dealFlag.upsert',
  args: { id, dealId, ownerId: 'whoever', ruleId: 'no_eb', severity: 'error', raisedAt: 1500, ...extra },
});
const playbook = (id: string, name = 'B2B'): { name: string; args: PlaybookInput } => ({
  name: 'playbook.upsert',
  args: {
    id,
    pipelineId: 'b2b',
    name,
    gate: 'require',
    stages: [
      { id: 'discovery', name: 'Discovery' },
      { id: 'won', name: 'Won', kind: 'won' },
    ],
  },
});

describe('deals', () => {
  it('are the owner’s: created with the caller as owner whatever the device said, read by their manager, not by a teammate rep', async () => {
    const { admin, members } = await t.newTeam('rep', 'rep', 'manager');
    const [ann, bob, boss] = members as [Session, Session, Session];
    expect(await push(ann, deal('d1'))).toEqual([{ id: 1, status: 'applied' }]);
    const own = await rowOf(ann, 'deal', 'd1');
    expect(own?.data).toMatchObject({ id: 'd1', ownerId: ann.user.email, status: 'open', facts: {} });
    expect(own?.mine).toBe(true);
    // A teammate rep neither reads it nor changes it.
    expect(await rowOf(bob, 'deal', 'd1')).toBeUndefined();
    const [attempt] = await push(bob, deal('d1', { name: 'Mine now' }));
    expect(attempt).toMatchObject({ status: 'rejected', reason: 'no deal d1 of yours' });
    expect((await rowOf(ann, 'deal', 'd1'))?.data?.name).toBe('Acme d1');
    // The manager and the admin read the team's deals.
    expect((await rowOf(boss, 'deal', 'd1'))?.mine).toBe(false);
    expect((await rowOf(admin, 'deal', 'd1'))?.data?.ownerId).toBe(ann.user.email);
  });

  it('are patched field by field in server order, and a replayed push applies once', async () => {
    const { admin } = await t.newTeam();
    await push(admin, deal('d2', { amount: { value: 5000, currency: 'eur' } }));
    // Two devices: one answers a fact, the other renames; both survive.
    const mutations = [
      { id: 101, name: 'deal.upsert', args: { id: 'd2', facts: { pain: { type: 'yes_no', value: true } } } },
      { id: 102, name: 'deal.upsert', args: { id: 'd2', name: 'Acme renewal', cleared: ['amount'] } },
    ];
    const first = await t.call<PushResponse>('POST', '/sync/push', {
      token: admin.accessToken,
      body: { clientId: 'phone', mutations },
    });
    expect(first.body.results.map((r) => r.status)).toEqual(['applied', 'applied']);
    const after = await rowOf(admin, 'deal', 'd2');
    expect(after?.data).toMatchObject({
      name: 'Acme renewal',
      facts: { pain: { type: 'yes_no', value: true } },
    });
    expect(after?.data).not.toHaveProperty('amount');
    // The same push again (a lost answer, retried): nothing applies twice, no new version.
    const retry = await t.call<PushResponse>('POST', '/sync/push', {
      token: admin.accessToken,
      body: { clientId: 'phone', mutations },
    });
    expect(retry.body.results.map((r) => r.status)).toEqual(['duplicate', 'duplicate']);
    expect((await rowOf(admin, 'deal', 'd2'))?.version).toBe(after?.version);
  });

  it('refuses an invalid deal naming the field, and a deal of another team as unknown', async () => {
    const { admin: a } = await t.newTeam();
    const { admin: other } = await t.newTeam();
    const [bad] = await push(a, deal('d3', { closeDate: '31/12/2026' }));
    expect(bad?.reason).toMatch(/^args\.closeDate: must be a date as "YYYY-MM-DD"/);
    await push(a, deal('d4'));
    // Another team's admin: the same id is a new deal of their own team, never a change to this one.
    expect(await push(other, deal('d4', { name: 'Elsewhere' }))).toEqual([
      { id: expect.any(Number), status: 'applied' },
    ]);
    expect((await rowOf(a, 'deal', 'd4'))?.data?.name).toBe('Acme d4');
    expect((await rowOf(other, 'deal', 'd4'))?.data?.name).toBe('Elsewhere');
    const [cross] = await push(other, {
      name: 'dealEvents.record',
      args: { events: [stageChanged('x1', 'd3')] },
    });
    expect(cross?.reason).toBe('events.0.dealId: no deal d3 of yours');
  });

  it('lets a manager move a rep’s deal (an override) and nothing more; the rep receives the move and its history', async () => {
    const { members } = await t.newTeam('rep', 'manager');
    const [ann, boss] = members as [Session, Session];
    await push(ann, deal('d5'));
    // A rep cannot record an override, even on their own deal.
    const [repOverride] = await push(ann, {
      name: 'dealEvents.record',
      args: { events: [override('o1', 'd5')] },
    });
    expect(repOverride?.reason).toBe(
      'events.0: only a manager or an admin can override the exit criteria of a require-gate pipeline',
    );
    const results = await push(
      boss,
      {
        name: 'deal.upsert',
        args: { id: 'd5', stageId: 'qualified', stageEnteredAt: 2000, updatedAt: 2000 },
      },
      { name: 'dealEvents.record', args: { events: [override('o2', 'd5')] } },
      { name: 'deal.upsert', args: { id: 'd5', name: 'Renamed by the boss' } },
    );
    expect(results.map((r) => r.status)).toEqual(['applied', 'applied', 'rejected']);
    expect(results[2]?.reason).toMatch(/a manager or an admin may only move it .* not change name/);
    const rows = await pull(ann);
    expect(rows.find((r) => r.id === 'd5')?.data).toMatchObject({ stageId: 'qualified', name: 'Acme d5' });
    expect(rows.find((r) => r.kind === 'deal_event' && r.id === 'o2')?.data).toMatchObject({
      kind: 'override',
      data: { reason: 'Signed LOI' },
    });
  });

  it('keeps history append-only and idempotent by id', async () => {
    const { admin } = await t.newTeam();
    await push(admin, deal('d6'));
    const events = [stageChanged('h1', 'd6'), { ...stageChanged('h2', 'd6'), at: 3000 }];
    expect(await push(admin, { name: 'dealEvents.record', args: { events } })).toMatchObject([
      { status: 'applied' },
    ]);
    const versions = (await pull(admin)).filter((r) => r.kind === 'deal_event').map((r) => r.version);
    // A device that never heard back sends them again (as new mutations): no new row, no new version.
    await push(admin, { name: 'dealEvents.record', args: { events } });
    expect((await pull(admin)).filter((r) => r.kind === 'deal_event').map((r) => r.version)).toEqual(
      versions,
    );
    const [moved] = await push(admin, {
      name: 'dealEvents.record',
      args: { events: [{ ...stageChanged('h1', 'd-other'), dealId: 'd-other' }] },
    });
    expect(moved?.status).toBe('rejected');
  });

  it('stores flags under the deal’s owner, written by the owner only, and never reopens a cleared one', async () => {
    const { members } = await t.newTeam('rep', 'manager');
    const [ann, boss] = members as [Session, Session];
    await push(ann, deal('d7'));
    expect(await push(ann, flag('f1', 'd7'))).toMatchObject([{ status: 'applied' }]);
    expect((await rowOf(ann, 'deal_flag', 'f1'))?.data?.ownerId).toBe(ann.user.email);
    const [managerFlag] = await push(boss, flag('f2', 'd7'));
    expect(managerFlag?.reason).toBe('dealId: no deal d7 of yours');
    await push(ann, flag('f1', 'd7', { clearedAt: 5000 }));
    // A late device still holding it open changes nothing.
    await push(ann, flag('f1', 'd7'));
    expect((await rowOf(ann, 'deal_flag', 'f1'))?.data?.clearedAt).toBe(5000);
  });
});

describe('playbooks', () => {
  it('are the team’s, written by managers and admins; a rep’s change is refused (attack) and nothing changes', async () => {
    const { admin, members } = await t.newTeam('rep', 'manager');
    const [ann, boss] = members as [Session, Session];
    expect(await push(boss, playbook('pb'))).toMatchObject([{ status: 'applied' }]);
    const seen = await rowOf(ann, 'playbook', 'pb');
    expect(seen?.data).toMatchObject({ name: 'B2B', gate: 'require', updatedAt: t.now() });
    // The rep tries to turn the gate to warn, then to delete the playbook.
    const attack = await push(
      ann,
      { ...playbook('pb'), args: { ...playbook('pb').args, gate: 'warn' } },
      {
        name: 'playbook.delete',
        args: { playbookId: 'pb' },
      },
    );
    expect(attack).toEqual([
      {
        id: expect.any(Number),
        status: 'rejected',
        reason: 'only a manager or an admin can change playbook pb: the playbook is the team’s',
      },
      {
        id: expect.any(Number),
        status: 'rejected',
        reason: 'only a manager or an admin can delete playbook pb: the playbook is the team’s',
      },
    ]);
    expect((await rowOf(admin, 'playbook', 'pb'))?.data?.gate).toBe('require');
    // A rep cannot create one either (an id nobody has used).
    const [created] = await push(ann, playbook('pb-new'));
    expect(created?.status).toBe('rejected');
    expect(await rowOf(admin, 'playbook', 'pb-new')).toBeUndefined();
    // The admin edits it; an invalid one is refused naming the path.
    const [broken] = await push(admin, {
      ...playbook('pb'),
      args: {
        ...playbook('pb').args,
        rules: [
          {
            id: 'r',
            name: 'R',
            severity: 'error',
            message: 'm',
            when: { op: 'and', conditions: [{ type: 'fact', key: 'nope', op: 'empty' }] },
          },
        ],
      },
    });
    expect(broken?.reason).toContain('args.rules.0.when.conditions.0.key: no fact "nope"');
    await push(admin, playbook('pb', 'B2B v2'));
    expect((await rowOf(ann, 'playbook', 'pb'))?.data?.name).toBe('B2B v2');
    // Another team never sees it.
    const { admin: stranger } = await t.newTeam();
    expect(await rowOf(stranger, 'playbook', 'pb')).toBeUndefined();
    await push(boss, { name: 'playbook.delete', args: { playbookId: 'pb' } });
    expect((await rowOf(ann, 'playbook', 'pb'))?.deleted).toBe(true);
  });
});
