// @vitest-environment node
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Session } from '../../lib/contract/auth';
import type { PullResponse, PushResponse } from '../../lib/contract/sync';
import type { Enrollment } from '../../lib/domain/enrollment';
import { pause, unenroll } from '../../lib/engine/transitions';
import { createTestServer, type TestServer } from '../testing/harness';

/** The server moves an enrollment through the states exactly as lib/engine does on the device. */

let t: TestServer;
beforeAll(async () => {
  t = await createTestServer();
}, 60_000);
afterAll(() => t?.close());

let nextId = 1;
async function push(session: Session, ...mutations: { name: string; args: unknown }[]) {
  const res = await t.call<PushResponse>('POST', '/sync/push', {
    token: session.accessToken,
    body: { clientId: 'laptop', mutations: mutations.map((m) => ({ id: nextId++, ...m })) },
  });
  expect(res.status).toBe(200);
  return res.body.results;
}

async function row(session: Session, kind: string, id: string) {
  const page = await t.call<PullResponse>('GET', '/sync/pull?cursor=0&limit=10000', {
    token: session.accessToken,
  });
  return page.body.rows.find((r) => r.kind === kind && r.id === id)?.data;
}

const DAY = 86_400_000;

async function enrolled(readyIn = 2 * DAY) {
  const { admin } = await t.newTeam();
  const enrollment = {
    id: 'e',
    sequenceId: 'q',
    contactId: 'c',
    mailbox: 'me@example.com',
    status: 'active',
    enrolledAt: t.now(),
    stepIndex: 0,
    readyAt: t.now() + readyIn,
    dueAt: t.now() + readyIn,
  };
  const results = await push(
    admin,
    { name: 'contact.upsert', args: { id: 'c', email: 'lead@acme.test' } },
    {
      name: 'sequence.upsert',
      args: {
        id: 'q',
        name: 'Intro',
        steps: [{ id: 's1', type: 'call', delay: { value: 2, unit: 'days' } }],
      },
    },
    { name: 'enroll', args: enrollment },
  );
  expect(results.map((r) => r.status)).toEqual(['applied', 'applied', 'applied']);
  return { admin, stored: (await row(admin, 'enrollment', 'e')) as Enrollment };
}

describe('enrollment mutations follow the engine', () => {
  it('pauses a paused enrollment again with the new reason and return date, keeping when it was first paused', async () => {
    const { admin, stored } = await enrolled();
    const first = t.now();
    const back = first + 5 * DAY;
    await push(admin, { name: 'enrollment.pause', args: { enrollmentId: 'e', at: first, reason: 'manual' } });
    const again = [
      {
        name: 'enrollment.pause',
        args: { enrollmentId: 'e', at: first + DAY, reason: 'out_of_office', until: back },
      },
    ];
    expect((await push(admin, ...again)).map((r) => r.status)).toEqual(['applied']);
    const device = pause(pause(stored, first, 'manual'), first + DAY, 'out_of_office', back);
    expect(device).toMatchObject({ pauseReason: 'out_of_office', pausedUntil: back, pausedAt: first });
    expect(await row(admin, 'enrollment', 'e')).toEqual(device);
  });

  it('ends a paused enrollment as the engine does, so the device and the server hold the same row', async () => {
    const { admin, stored } = await enrolled();
    const at = t.now();
    await push(
      admin,
      { name: 'enrollment.pause', args: { enrollmentId: 'e', at, reason: 'out_of_office', until: at + DAY } },
      { name: 'enrollment.unenroll', args: { enrollmentId: 'e', at: at + 1, reason: 'replied' } },
    );
    const device = unenroll(pause(stored, at, 'out_of_office', at + DAY), at + 1, 'replied');
    expect(await row(admin, 'enrollment', 'e')).toEqual(device);
  });

  it('leaves an ended enrollment ended: a later pause, resume or finish does not bring it back', async () => {
    const { admin } = await enrolled();
    const at = t.now();
    await push(admin, { name: 'enrollment.unenroll', args: { enrollmentId: 'e', at, reason: 'manual' } });
    await push(
      admin,
      { name: 'enrollment.pause', args: { enrollmentId: 'e', at: at + 1 } },
      { name: 'enrollment.resume', args: { enrollmentId: 'e', at: at + 2, readyAt: at + 2, dueAt: at + 2 } },
      { name: 'enrollment.progress', args: { enrollmentId: 'e', finishedAt: at + 3 } },
    );
    const ended = await row(admin, 'enrollment', 'e');
    expect(ended).toMatchObject({ status: 'unenrolled', reason: 'manual', endedAt: at });
    expect(ended).not.toHaveProperty('pauseReason');
  });
});

describe('task mutations', () => {
  async function withTask() {
    const { admin } = await enrolled();
    const results = await push(admin, {
      name: 'task.create',
      args: {
        id: 't',
        enrollmentId: 'e',
        sequenceId: 'q',
        contactId: 'c',
        stepId: 's1',
        stepIndex: 0,
        type: 'call',
        title: 'Call Lea',
        priority: 'medium',
        createdAt: t.now(),
        dueAt: t.now() + DAY,
        blocking: true,
        status: 'open',
      },
    });
    expect(results[0]).toEqual({ id: expect.any(Number), status: 'applied' });
    return admin;
  }

  it('refuses to change a stored task that is not a valid task, naming the field, and leaves it as it was', async () => {
    const admin = await withTask();
    // A row an older server wrote without a title (or a hand edit): completing it must not spread it further.
    await sql`update entities set data = data - 'title' where kind = 'task' and id = 't' and team_id = ${admin.user.teamId}`.execute(
      t.database.db,
    );
    const before = await row(admin, 'task', 't');
    const results = await push(admin, { name: 'task.complete', args: { taskId: 't', at: t.now() } });
    expect(results[0]).toMatchObject({ status: 'rejected', reason: expect.stringMatching(/^task\.title:/) });
    expect(await row(admin, 'task', 't')).toEqual(before);
  });

  it('completes a valid task once: a later skip or snooze changes nothing', async () => {
    const admin = await withTask();
    const at = t.now();
    await push(
      admin,
      { name: 'task.complete', args: { taskId: 't', at, outcome: 'connected' } },
      { name: 'task.skip', args: { taskId: 't', at: at + 1 } },
      { name: 'task.snooze', args: { taskId: 't', dueAt: at + 2 * DAY } },
    );
    expect(await row(admin, 'task', 't')).toMatchObject({
      status: 'completed',
      doneAt: at,
      outcome: 'connected',
      dueAt: at + DAY,
    });
  });
});
