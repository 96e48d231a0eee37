// @vitest-environment node
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Session } from '../../lib/contract/auth';
import type { PullResponse, PushResponse } from '../../lib/contract/sync';
import { mutationsForChange } from '../../lib/db/row-mutations';
import type { Enrollment } from '../../lib/domain/enrollment';
import { moveToStep } from '../../lib/engine/move';
import { createTestServer, type TestServer } from '../testing/harness';

/** The rep's move to another step, as the device pushes it (lib/db/row-mutations.ts) and the server applies it. */

let t: TestServer;
beforeAll(async () => {
  t = await createTestServer();
}, 60_000);
afterAll(() => t?.close());

const DAY = 86_400_000;
let nextId = 1;
async function push(session: Session, ...mutations: { name: string; args: unknown }[]) {
  const res = await t.call<PushResponse>('POST', '/sync/push', {
    token: session.accessToken,
    body: { clientId: 'laptop', mutations: mutations.map((m) => ({ id: nextId++, ...m })) },
  });
  expect(res.status).toBe(200);
  return res.body.results;
}

async function stored(session: Session) {
  const page = await t.call<PullResponse>('GET', '/sync/pull?cursor=0&limit=10000', {
    token: session.accessToken,
  });
  return page.body.rows.find((r) => r.kind === 'enrollment' && r.id === 'e')?.data as Enrollment;
}

const SEQUENCE = {
  id: 'q',
  name: 'Intro',
  steps: [
    { id: 's1', type: 'call', delay: { value: 0, unit: 'days' } },
    { id: 's2', type: 'call', delay: { value: 2, unit: 'days' } },
    { id: 's3', type: 'call', delay: { value: 1, unit: 'days' } },
  ],
};

async function enrolled() {
  const { admin } = await t.newTeam();
  const enrollment: Enrollment = {
    id: 'e',
    sequenceId: 'q',
    contactId: 'c',
    mailbox: 'me@example.com',
    status: 'active',
    enrolledAt: t.now(),
    stepIndex: 0,
    readyAt: t.now(),
    dueAt: t.now(),
    edits: {},
    messageIds: [],
    failures: 0,
    version: 0,
  };
  const results = await push(
    admin,
    { name: 'contact.upsert', args: { id: 'c', email: 'lead@acme.test' } },
    { name: 'sequence.upsert', args: SEQUENCE },
    { name: 'enroll', args: mutationsForChange('enrollments', undefined, enrollment)[0]!.args },
  );
  expect(results.map((r) => r.status)).toEqual(['applied', 'applied', 'applied']);
  return { admin, device: enrollment };
}

describe('enrollment.move', () => {
  it('the device’s move lands on the server as the same step and moments', async () => {
    const { admin, device } = await enrolled();
    const at = t.now();
    const moved = moveToStep(device, SEQUENCE, 2, { readyAt: at + DAY, dueAt: at + DAY });
    const mutations = mutationsForChange('enrollments', device, moved);
    expect(mutations.map((m) => m.name)).toEqual(['enrollment.move', 'enrollment.progress']);
    expect((await push(admin, ...mutations)).map((r) => r.status)).toEqual(['applied', 'applied']);
    expect(await stored(admin)).toMatchObject({
      status: 'active',
      stepIndex: 2,
      readyAt: at + DAY,
      dueAt: at + DAY,
    });
  });

  it('an enrollment ended on the server (a reply another device saw) stays ended and where it was', async () => {
    const { admin, device } = await enrolled();
    const at = t.now();
    await push(admin, { name: 'enrollment.unenroll', args: { enrollmentId: 'e', at, reason: 'replied' } });
    const moved = moveToStep(device, SEQUENCE, 2, { readyAt: at + DAY, dueAt: at + DAY });
    await push(admin, ...mutationsForChange('enrollments', device, moved));
    expect(await stored(admin)).toMatchObject({ status: 'unenrolled', reason: 'replied', stepIndex: 0 });
  });

  it('refuses a step the sequence does not have, naming it, and leaves the enrollment as it was', async () => {
    const { admin } = await enrolled();
    const before = await stored(admin);
    const [result] = await push(admin, {
      name: 'enrollment.move',
      args: { enrollmentId: 'e', sequenceId: 'q', toStep: 3, readyAt: t.now(), dueAt: t.now() },
    });
    expect(result).toMatchObject({
      status: 'rejected',
      reason: 'toStep: Step 4 does not exist: "Intro" has 3 steps',
    });
    expect(await stored(admin)).toEqual(before);
  });

  it('refuses another team’s enrollment without saying whether it exists', async () => {
    await enrolled();
    const { admin: stranger } = await t.newTeam();
    const [result] = await push(stranger, {
      name: 'enrollment.move',
      args: { enrollmentId: 'e', sequenceId: 'q', toStep: 1 },
    });
    expect(result).toMatchObject({ status: 'rejected' });
    expect((result as { reason: string }).reason).toMatch(/no enrollment e/);
  });
});
