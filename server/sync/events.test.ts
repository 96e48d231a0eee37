// @vitest-environment node
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Session } from '../../lib/contract/auth';
import type { PullResponse, PushResponse } from '../../lib/contract/sync';
import type { Event } from '../../lib/domain/event';
import { createTestServer, type TestServer } from '../testing/harness';

/**
 * `events.record` is what analytics count, so a rep records only their own history: events of their own
 * enrollments (naming that enrollment's sequence, contact and mailbox), or, without an enrollment, of a
 * sequence they can use and their own address. An event id a colleague already holds is refused, not
 * silently dropped.
 */
let t: TestServer;
let rep1: Session, rep3: Session, manager: Session;
const at = Date.UTC(2025, 2, 10, 9);
const clientIds = new Map<string, number>();

async function push(s: Session, mutations: { name: string; args: unknown }[]) {
  let id = clientIds.get(s.user.id) ?? 0;
  const res = await t.call<PushResponse>('POST', '/sync/push', {
    token: s.accessToken,
    body: { clientId: 'laptop', mutations: mutations.map((m) => ({ id: ++id, ...m })) },
  });
  clientIds.set(s.user.id, id);
  expect(res.status).toBe(200);
  return res.body.results;
}
const record = (s: Session, ...events: Partial<Event>[]) =>
  push(s, [{ name: 'events.record', args: { events: events.map((e) => ({ at, type: 'sent', ...e })) } }]);

async function eventsOf(s: Session): Promise<Record<string, unknown>[]> {
  const res = await t.call<PullResponse>('GET', '/sync/pull?cursor=0&limit=10000', { token: s.accessToken });
  return res.body.rows.filter((r) => r.kind === 'event' && r.data).map((r) => r.data!);
}

const setUp = (s: Session, n: string, sharing: 'team' | 'private') => [
  { name: 'contact.upsert', args: { id: `c${n}`, email: `lead${n}@acme.test` } },
  {
    name: 'sequence.upsert',
    args: {
      id: `q${n}`,
      name: 'Intro',
      sharing,
      steps: [{ id: 's1', type: 'auto_email', delay: { value: 0, unit: 'days' } }],
    },
  },
  {
    name: 'enroll',
    args: {
      id: `e${n}`,
      sequenceId: `q${n}`,
      contactId: `c${n}`,
      mailbox: s.user.email,
      status: 'active',
      enrolledAt: at,
      stepIndex: 0,
    },
  },
];

beforeAll(async () => {
  t = await createTestServer();
  const team = await t.newTeam('rep', 'rep', 'manager');
  [rep1, rep3, manager] = team.members as [Session, Session, Session];
  await push(rep1, [...setUp(rep1, '1', 'private'), ...setUp(rep1, '-shared', 'team').slice(1, 2)]);
  await push(rep3, setUp(rep3, '3', 'team'));
}, 60_000);
afterAll(() => t?.close());

describe('events.record', () => {
  it('refuses events that credit a colleague, naming what is wrong, and stores none of them', async () => {
    const rep1Mailbox = { sequenceId: 'q1', mailbox: rep1.user.email };
    const results = await push(rep3, [
      { name: 'events.record', args: { events: [{ id: 'x1', at, type: 'sent', enrollmentId: 'e1' }] } },
      // No enrollment: rep1's private sequence, then a shared one from rep1's address, then rep1's contact.
      { name: 'events.record', args: { events: [{ id: 'sent:e1:0', at, type: 'sent', ...rep1Mailbox }] } },
      {
        name: 'events.record',
        args: {
          events: [{ id: 'x2', at, type: 'replied', sequenceId: 'q-shared', mailbox: rep1.user.email }],
        },
      },
      {
        name: 'events.record',
        args: { events: [{ id: 'x3', at, type: 'replied', sequenceId: 'q-shared', contactId: 'c1' }] },
      },
      // rep3's own enrollment, with rep1's sequence or mailbox written on it.
      {
        name: 'events.record',
        args: { events: [{ id: 'x4', at, type: 'sent', enrollmentId: 'e3', sequenceId: 'q1' }] },
      },
      {
        name: 'events.record',
        args: {
          events: [
            { id: 'fine', at, type: 'sent', enrollmentId: 'e3' },
            { id: 'x5', at, type: 'replied', enrollmentId: 'e3', mailbox: rep1.user.email },
          ],
        },
      },
    ]);
    expect(results.map((r) => r.reason)).toEqual([
      'events.0.enrollmentId: no enrollment e1 of yours',
      'events.0.sequenceId: no sequence q1 you can use',
      `events.0.mailbox: an event without an enrollment names your own address (${rep3.user.email})`,
      'events.0.contactId: no contact c1 of yours',
      'events.0.sequenceId: is q3 on enrollment e3',
      `events.1.mailbox: is ${rep3.user.email} on enrollment e3`,
    ]);
    expect(results.every((r) => r.status === 'rejected')).toBe(true);
    expect(await eventsOf(manager)).toEqual([]);
  });

  it('refuses an enrollment sent from a colleague’s address, so its events cannot count as theirs', async () => {
    const results = await push(rep3, [
      { name: 'contact.upsert', args: { id: 'c3b', email: 'other@acme.test' } },
      {
        name: 'enroll',
        args: {
          id: 'e3b',
          sequenceId: 'q3',
          contactId: 'c3b',
          mailbox: rep1.user.email.toUpperCase(),
          status: 'active',
          enrolledAt: at,
          stepIndex: 0,
        },
      },
    ]);
    expect(results.map((r) => r.reason ?? r.status)).toEqual([
      'applied',
      `mailbox: ${rep1.user.email.toLowerCase()} is a colleague’s address; enroll from a mailbox of your own`,
    ]);
  });

  it('fills in the sequence, contact and mailbox of an event from its enrollment', async () => {
    const results = await record(rep3, { id: 'sent:e3:0', enrollmentId: 'e3', stepIndex: 0 });
    expect(results).toEqual([{ id: expect.any(Number), status: 'applied' }]);
    expect((await eventsOf(rep3)).find((e) => e.id === 'sent:e3:0')).toEqual({
      id: 'sent:e3:0',
      at,
      type: 'sent',
      enrollmentId: 'e3',
      sequenceId: 'q3',
      contactId: 'c3',
      mailbox: rep3.user.email,
      stepIndex: 0,
    });
  });

  it('takes events without an enrollment in a sequence the rep can use, from their own address', async () => {
    const results = await record(
      rep3,
      { id: 'import:1', type: 'enrolled', sequenceId: 'q-shared', contactId: 'imported-1' },
      {
        id: 'import:2',
        sequenceId: 'q-shared',
        contactId: 'imported-1',
        mailbox: rep3.user.email.toUpperCase(),
      },
      { id: 'lonely', type: 'task_completed', data: { taskId: 'gone' } },
    );
    expect(results.map((r) => r.status)).toEqual(['applied']);
  });

  it('refuses an event id a colleague holds, and takes the same rep’s retry as a no-op', async () => {
    // rep3 got to an id first (here with their own enrollment): rep1's event of that id is refused, not lost.
    expect((await record(rep3, { id: 'sent:e1:0', enrollmentId: 'e3' }))[0]!.status).toBe('applied');
    const real = { id: 'sent:e1:0', enrollmentId: 'e1', stepIndex: 0 };
    const refused = await record(rep1, { id: 'sent:e1:1', enrollmentId: 'e1', stepIndex: 1 }, real);
    expect(refused).toEqual([
      { id: expect.any(Number), status: 'rejected', reason: 'events.1.id: event id sent:e1:0 is taken' },
    ]);
    expect((await eventsOf(rep1)).map((e) => e.id)).toEqual([]);

    const own = { id: 'sent:e1:2', enrollmentId: 'e1', stepIndex: 2 };
    expect((await record(rep1, own))[0]!.status).toBe('applied');
    expect((await record(rep1, own, own))[0]!.status).toBe('applied');
    expect((await eventsOf(rep1)).map((e) => e.id)).toEqual(['sent:e1:2']);
  });

  it('leaves the manager’s per-rep numbers with what each rep recorded of their own', async () => {
    const res = await t.call<{ byRep: { mailbox: string; counts: { sent: number; replied: number } }[] }>(
      'GET',
      '/analytics?from=2025-03-01&to=2025-03-31',
      { token: manager.accessToken },
    );
    expect(res.status).toBe(200);
    const byRep = Object.fromEntries(res.body.byRep.map((r) => [r.mailbox, r.counts]));
    expect(byRep[rep1.user.email]).toMatchObject({ sent: 1, replied: 0 });
    expect(Object.keys(byRep).sort()).toEqual([rep1.user.email, rep3.user.email].sort());
  });
});
