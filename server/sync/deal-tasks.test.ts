// @vitest-environment node
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Session } from '../../lib/contract/auth';
import type { ChangedRow, PullResponse, PushResponse } from '../../lib/contract/sync';
import { createTestServer, type TestServer } from '../testing/harness';

/**
 * A deal's tasks (the Next step's call or to-do, a stage automation's task) live in the tasks table under the
 * enrollment key `deal:<deal id>` (lib/background/deals.ts), not under an enrollment: the backend takes them
 * for the deal's owner, keeps them to the owner, and lets another device of the owner complete them.
 */
let t: TestServer;
beforeAll(async () => {
  t = await createTestServer();
}, 60_000);
afterAll(() => t?.close());

type M = { name: string; args: unknown };
const ids = new Map<string, number>();

async function push(s: Session, clientId: string, ...mutations: M[]) {
  const key = `${s.user.id}:${clientId}`;
  let id = ids.get(key) ?? 0;
  const body = { clientId, mutations: mutations.map((m) => ({ id: ++id, ...m })) };
  ids.set(key, id);
  const res = await t.call<PushResponse>('POST', '/sync/push', { token: s.accessToken, body });
  expect(res.status).toBe(200);
  return res.body.results;
}
async function pull(s: Session): Promise<ChangedRow[]> {
  const res = await t.call<PullResponse>('GET', '/sync/pull?cursor=0&limit=10000', { token: s.accessToken });
  return res.body.rows;
}

const deal = (id: string) => ({
  name: 'deal.upsert',
  args: {
    id,
    name: 'Acme',
    companyDomain: 'acme.example',
    pipelineId: 'b2b',
    stageId: 'discovery',
    stageEnteredAt: 1000,
    createdAt: 1000,
    updatedAt: 1000,
  },
});
const dealTask = (id: string, dealId: string) => ({
  name: 'task.create',
  args: {
    id,
    enrollmentId: `deal:${dealId}`,
    sequenceId: `deal:${dealId}`,
    contactId: 'c-ada',
    stepId: 're-engage',
    stepIndex: 0,
    type: 'call',
    title: 'Re-engage: call',
    notes: 'Acme',
    priority: 'high',
    createdAt: t.now(),
    dueAt: t.now() + 86_400_000,
    blocking: false,
    status: 'open',
  },
});

describe('deal tasks through sync', () => {
  it('takes a deal task from the laptop, and the phone completes it', async () => {
    const { admin: rep } = await t.newTeam();
    expect(
      await push(
        rep,
        'laptop',
        { name: 'contact.upsert', args: { id: 'c-ada', email: 'ada@acme.example' } },
        deal('d1'),
        dealTask('deal:d1:re-engage:1', 'd1'),
      ),
    ).toEqual([
      { id: 1, status: 'applied' },
      { id: 2, status: 'applied' },
      { id: 3, status: 'applied' },
    ]);
    // The phone pulls the task, then completes it from its queue.
    const task = (await pull(rep)).find((r) => r.kind === 'task' && r.id === 'deal:d1:re-engage:1');
    expect(task?.data).toMatchObject({ enrollmentId: 'deal:d1', status: 'open', title: 'Re-engage: call' });
    expect(
      await push(rep, 'phone', {
        name: 'task.complete',
        args: { taskId: 'deal:d1:re-engage:1', at: t.now(), outcome: 'connected' },
      }),
    ).toEqual([{ id: 1, status: 'applied' }]);
    const done = (await pull(rep)).find((r) => r.kind === 'task' && r.id === 'deal:d1:re-engage:1');
    expect(done?.data).toMatchObject({ status: 'completed', outcome: 'connected' });
    // The laptop retries its push (its ack was lost): nothing changes, the task stays completed.
    const retried = await t.call<PushResponse>('POST', '/sync/push', {
      token: rep.accessToken,
      body: { clientId: 'laptop', mutations: [{ id: 3, ...dealTask('deal:d1:re-engage:1', 'd1') }] },
    });
    expect(retried.body.lastMutationId).toBe(3);
    const still = (await pull(rep)).find((r) => r.kind === 'task' && r.id === 'deal:d1:re-engage:1');
    expect(still?.data).toMatchObject({ status: 'completed' });
  });

  it('refuses a task for a deal that is not the caller’s, or that does not exist, naming it', async () => {
    const { admin: owner, members } = await t.newTeam('rep');
    const teammate = members[0]!;
    await push(owner, 'laptop', deal('d2'));
    expect(await push(teammate, 'laptop', dealTask('deal:d2:x:1', 'd2'))).toEqual([
      { id: 1, status: 'rejected', reason: 'no deal d2 of yours' },
    ]);
    expect(await push(teammate, 'laptop', dealTask('deal:nope:x:1', 'nope'))).toEqual([
      { id: 2, status: 'rejected', reason: 'no deal nope of yours' },
    ]);
    // Another team never sees the owner's deal task.
    await push(
      owner,
      'laptop',
      { name: 'contact.upsert', args: { id: 'c-ada', email: 'ada@acme.example' } },
      dealTask('deal:d2:y:1', 'd2'),
    );
    const { admin: stranger } = await t.newTeam();
    expect((await pull(stranger)).some((r) => r.kind === 'task')).toBe(false);
    expect((await pull(teammate)).some((r) => r.kind === 'task' && r.id === 'deal:d2:y:1')).toBe(false);
  });
});
