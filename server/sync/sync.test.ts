// @vitest-environment node
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Session } from '../../lib/contract/auth';
import type { ChangedRow, PullResponse, PushResponse } from '../../lib/contract/sync';
import { createTestServer, type TestServer } from '../testing/harness';

let t: TestServer;
beforeAll(async () => {
  t = await createTestServer();
}, 60_000);
afterAll(() => t?.close());

type M = { name: string; args: unknown };

/** One device: an outbox with increasing ids, a cursor and a local replica built only from pulls. */
function device(session: Session, clientId: string) {
  let nextId = 1;
  let cursor = 0;
  const outbox: (M & { id: number })[] = [];
  const replica = new Map<string, Record<string, unknown>>();
  return {
    replica,
    queue(...ms: M[]) {
      for (const m of ms) outbox.push({ id: nextId++, ...m });
    },
    async push() {
      const res = await t.call<PushResponse>('POST', '/sync/push', {
        token: session.accessToken,
        body: { clientId, mutations: outbox },
      });
      expect(res.status).toBe(200);
      outbox.splice(0, outbox.length, ...outbox.filter((m) => m.id > res.body.lastMutationId));
      return res.body;
    },
    async pull() {
      let page: PullResponse;
      do {
        page = (
          await t.call<PullResponse>('GET', `/sync/pull?cursor=${cursor}&limit=3`, {
            token: session.accessToken,
          })
        ).body;
        for (const row of page.rows) {
          if (row.deleted) replica.delete(`${row.kind}:${row.id}`);
          else replica.set(`${row.kind}:${row.id}`, row.data!);
        }
        cursor = page.cursor;
      } while (page.more);
      return page;
    },
  };
}

async function push(session: Session, clientId: string, mutations: (M & { id: number })[]) {
  return t.call<PushResponse>('POST', '/sync/push', {
    token: session.accessToken,
    body: { clientId, mutations },
  });
}

async function pull(session: Session, cursor = 0): Promise<ChangedRow[]> {
  return (
    await t.call<PullResponse>('GET', `/sync/pull?cursor=${cursor}&limit=10000`, {
      token: session.accessToken,
    })
  ).body.rows;
}

const seq = (id: string, extra: object = {}) => ({
  name: 'sequence.upsert',
  args: {
    id,
    name: 'Intro',
    steps: [{ id: 's1', type: 'call', delay: { value: 1, unit: 'days' } }],
    ...extra,
  },
});
const enroll = (id: string, contactId: string, sequenceId: string) => ({
  name: 'enroll',
  args: {
    id,
    sequenceId,
    contactId,
    mailbox: 'me@example.com',
    status: 'active',
    enrolledAt: t.now(),
    stepIndex: 0,
  },
});
const task = (id: string, enrollmentId: string) => ({
  name: 'task.create',
  args: {
    id,
    enrollmentId,
    sequenceId: 'q',
    contactId: 'c',
    stepId: 's1',
    stepIndex: 0,
    type: 'call',
    title: 'Call',
    priority: 'medium',
    createdAt: t.now(),
    dueAt: t.now() + 1000,
    blocking: true,
    status: 'open',
  },
});

describe('push', () => {
  it('applies mutations in order, and a retried push changes nothing', async () => {
    const { admin } = await t.newTeam();
    const mutations = [
      { id: 1, name: 'contact.upsert', args: { id: 'c', email: 'Lead@Acme.test' } },
      { id: 2, name: 'contact.upsert', args: { id: 'c', firstName: 'Lea' } },
    ];
    const first = await push(admin, 'laptop', mutations);
    expect(first.body).toEqual({
      lastMutationId: 2,
      results: [
        { id: 1, status: 'applied' },
        { id: 2, status: 'applied' },
      ],
    });
    const rows = await pull(admin);
    expect(rows.map((r) => r.data)).toEqual([
      { id: 'c', email: 'lead@acme.test', firstName: 'Lea', custom: {} },
    ]);
    const retry = await push(admin, 'laptop', mutations);
    expect(retry.body.results.map((r) => r.status)).toEqual(['duplicate', 'duplicate']);
    expect(await pull(admin, rows[0]!.version)).toEqual([]);
  });

  it('applies two identical pushes racing each other once', async () => {
    const { admin } = await t.newTeam();
    const mutations = [
      { id: 1, name: 'events.record', args: { events: [{ id: 'ev1', at: 1, type: 'sent' }] } },
    ];
    const [a, b] = await Promise.all([push(admin, 'laptop', mutations), push(admin, 'laptop', mutations)]);
    expect([a.body.results[0]!.status, b.body.results[0]!.status].sort()).toEqual(['applied', 'duplicate']);
    expect(await pull(admin)).toHaveLength(1);
  });

  it('rejects unknown and invalid mutations with a reason, and applies the ones after them', async () => {
    const { admin } = await t.newTeam();
    const res = await push(admin, 'laptop', [
      { id: 1, name: 'contact.explode', args: {} },
      { id: 2, name: 'contact.upsert', args: { id: 'c', email: 'not an address' } },
      { id: 3, name: 'contact.upsert', args: { id: 'c', email: 'ok@acme.test', shoeSize: 44 } },
      { id: 4, name: 'contact.upsert', args: { id: 'c', firstName: 'No email yet' } },
      { id: 5, name: 'contact.upsert', args: { id: 'c', email: 'ok@acme.test' } },
    ]);
    expect(res.body.lastMutationId).toBe(5);
    expect(res.body.results).toEqual([
      { id: 1, status: 'rejected', reason: 'unknown mutation "contact.explode"' },
      { id: 2, status: 'rejected', reason: 'args.email: is not a valid email address' },
      { id: 3, status: 'rejected', reason: expect.stringContaining('shoeSize') },
      { id: 4, status: 'rejected', reason: expect.stringMatching(/^contact\.email:/) },
      { id: 5, status: 'applied' },
    ]);
  });

  it('refuses a push whose ids do not increase or that is too long, naming the problem', async () => {
    const { admin } = await t.newTeam();
    const m = (id: number) => ({ id, name: 'contact.delete', args: { contactId: 'x' } });
    const backwards = await push(admin, 'laptop', [m(2), m(1)]);
    expect(backwards.status).toBe(400);
    expect(backwards.body).toMatchObject({
      error: { message: 'json.mutations: mutation ids must increase' },
    });
    const tooLong = await push(
      admin,
      'laptop',
      Array.from({ length: 1001 }, (_, i) => m(i + 1)),
    );
    expect(tooLong.status).toBe(400);
    expect(tooLong.body).toMatchObject({
      error: { message: expect.stringMatching(/^json\.mutations: .*1000/) },
    });
    const pullTooMuch = await t.call('GET', '/sync/pull?cursor=0&limit=20000', { token: admin.accessToken });
    expect(pullTooMuch.status).toBe(400);
    expect(await pull(admin)).toEqual([]);
  });

  it('rejects text the database cannot store, naming where it is, and applies the ones after it', async () => {
    const { admin } = await t.newTeam();
    const mutations = [
      { id: 1, name: 'contact.upsert', args: { id: 'c', email: 'a@acme.test' } },
      { id: 2, name: 'contact.upsert', args: { id: 'c', firstName: 'Lea\u0000' } },
      {
        id: 3,
        name: 'events.record',
        // A snippet cut in the middle of an emoji keeps half of its surrogate pair.
        args: { events: [{ id: 'e', at: 1, type: 'replied', data: { snippet: 'Thanks \ud83d' } }] },
      },
      { id: 4, name: 'contact.upsert', args: { id: 'c', custom: { ['size\u0000']: 'L' } } },
      { id: 5, name: 'contact.upsert', args: { id: 'c', company: 'Acme' } },
    ];
    const first = await push(admin, 'laptop', mutations);
    expect(first.status).toBe(200);
    expect(first.body).toEqual({
      lastMutationId: 5,
      results: [
        { id: 1, status: 'applied' },
        {
          id: 2,
          status: 'rejected',
          reason: 'args.firstName: contains a NUL character, which cannot be stored',
        },
        {
          id: 3,
          status: 'rejected',
          reason:
            'args.events.0.data.snippet: contains half of a UTF-16 surrogate pair (a broken character), which cannot be stored',
        },
        {
          id: 4,
          status: 'rejected',
          reason: 'args.custom: the key "size\\u0000" contains a NUL character, which cannot be stored',
        },
        { id: 5, status: 'applied' },
      ],
    });
    // The device is not stuck: the same outbox again is all duplicates, and its next mutations apply.
    const retry = await push(admin, 'laptop', mutations);
    expect(retry.body.results.map((r) => r.status)).toEqual(Array(5).fill('duplicate'));
    const next = await push(admin, 'laptop', [
      { id: 6, name: 'contact.upsert', args: { id: 'c', lastName: 'Ng' } },
    ]);
    expect(next.body.results).toEqual([{ id: 6, status: 'applied' }]);
    expect((await pull(admin)).map((r) => r.data)).toEqual([
      { id: 'c', email: 'a@acme.test', company: 'Acme', lastName: 'Ng', custom: {} },
    ]);
  });

  it('turns a database error in one mutation into its rejection, and applies the others as if it were not there', async () => {
    const poisoned = [
      { name: 'contact.upsert', args: { id: 'c', email: 'a@acme.test' } },
      seq('q'),
      enroll('e', 'c', 'q'),
      { name: 'events.record', args: { events: [{ id: 'early', at: 1, type: 'sent', enrollmentId: 'e' }] } },
      {
        name: 'events.record',
        // Stored, then analytics cannot file an open in the year 287,000: the database refuses it.
        args: {
          events: [
            { id: 'kept', at: 2, type: 'sent', enrollmentId: 'e', stepIndex: 0 },
            { id: 'far', at: 9e15, type: 'opened', enrollmentId: 'e', stepIndex: 0 },
          ],
        },
      },
      { name: 'contact.upsert', args: { id: 'c', firstName: 'Lea' } },
      task('t', 'e'),
      { name: 'task.complete', args: { taskId: 't', at: t.now() } },
      { name: 'enrollment.progress', args: { enrollmentId: 'e', stepIndex: 1, failures: 2 } },
      { name: 'events.record', args: { events: [{ id: 'kept', at: 2, type: 'sent', enrollmentId: 'e' }] } },
    ];
    const { admin } = await t.newTeam();
    const res = await push(
      admin,
      'laptop',
      poisoned.map((m, i) => ({ id: i + 1, ...m })),
    );
    expect(res.status).toBe(200);
    expect(res.body.lastMutationId).toBe(10);
    expect(res.body.results.filter((r) => r.status !== 'applied')).toEqual([
      { id: 5, status: 'rejected', reason: 'the database refused it: integer out of range' },
    ]);

    // The same push without the refused mutation, on a fresh team, ends in the same rows.
    const clean = await t.newTeam();
    const cleanRes = await push(
      clean.admin,
      'laptop',
      poisoned.filter((_, i) => i !== 4).map((m, i) => ({ id: i + 1, ...m })),
    );
    expect(cleanRes.body.results.every((r) => r.status === 'applied')).toBe(true);
    const rows = async (s: Session) =>
      (await pull(s)).map((r) => ({
        kind: r.kind,
        id: r.id,
        deleted: r.deleted,
        data: JSON.parse(JSON.stringify(r.data).replaceAll(s.user.id, 'me')) as unknown,
      }));
    expect(await rows(admin)).toEqual(await rows(clean.admin));
    expect((await rows(admin)).filter((r) => r.kind === 'event').map((r) => r.id)).toEqual(['early', 'kept']);
    expect((await rows(admin)).find((r) => r.kind === 'enrollment')?.data).toMatchObject({
      stepIndex: 1,
      failures: 2,
      version: 1,
    });
  });

  it('refuses to enroll an address on the do-not-contact list', async () => {
    const { admin } = await t.newTeam();
    const res = await push(admin, 'laptop', [
      { id: 1, name: 'contact.upsert', args: { id: 'c', email: 'gone@acme.test' } },
      { id: 2, ...seq('q') },
      { id: 3, name: 'suppression.add', args: { email: 'gone@acme.test', reason: 'manual', at: 1 } },
      { id: 4, ...enroll('e', 'c', 'q') },
      { id: 5, name: 'suppression.remove', args: { email: 'gone@acme.test' } },
      { id: 6, ...enroll('e', 'c', 'q') },
    ]);
    expect(res.body.results.map((r) => r.status)).toEqual([
      'applied',
      'applied',
      'applied',
      'rejected',
      'applied',
      'applied',
    ]);
    expect(res.body.results[3]!.reason).toBe('gone@acme.test is on the do-not-contact list');
  });

  it('never lifts an unsubscribe or a complaint through sync, whoever pushes it (an admin lifts it with a reason)', async () => {
    const { admin, members } = await t.newTeam('rep');
    const rep = members[0]!;
    for (const reason of ['unsubscribed', 'spam_complaint']) {
      const email = `${reason}@acme.test`;
      await push(rep, `laptop-${reason}`, [
        { id: 1, name: 'suppression.add', args: { email, reason, at: 1 } },
      ]);
      for (const [who, session] of [
        ['rep', rep],
        ['admin', admin],
      ] as const) {
        const res = await push(session, `${who}-${reason}`, [
          { id: 1, name: 'suppression.remove', args: { email } },
        ]);
        expect(res.body.results[0], `${who}, ${reason}`).toMatchObject({ status: 'rejected' });
        expect(res.body.results[0]!.reason).toContain('only an admin can lift it');
      }
      expect((await pull(rep)).find((r) => r.id === email)).toMatchObject({ deleted: false });
    }
  });

  it('records each event once however often it is sent', async () => {
    const { admin } = await t.newTeam();
    const events = [
      { id: 'sent:e:0', at: 1, type: 'sent', stepIndex: 0 },
      { id: 'opened:e:0', at: 2, type: 'opened', stepIndex: 0 },
    ];
    await push(admin, 'laptop', [{ id: 1, name: 'events.record', args: { events } }]);
    await push(admin, 'phone', [{ id: 1, name: 'events.record', args: { events } }]);
    expect((await pull(admin)).map((r) => r.id)).toEqual(['sent:e:0', 'opened:e:0']);
  });
});

describe('pull', () => {
  it('pages through changes by cursor and sends tombstones for deletions', async () => {
    const { admin } = await t.newTeam();
    const ms = Array.from({ length: 7 }, (_, i) => ({
      id: i + 1,
      name: 'contact.upsert',
      args: { id: `c${i}`, email: `c${i}@acme.test` },
    }));
    await push(admin, 'laptop', ms);
    const seen: string[] = [];
    let cursor = 0;
    for (;;) {
      const page = (
        await t.call<PullResponse>('GET', `/sync/pull?cursor=${cursor}&limit=3`, { token: admin.accessToken })
      ).body;
      seen.push(...page.rows.map((r) => r.id));
      cursor = page.cursor;
      if (!page.more) break;
    }
    expect(seen).toEqual(['c0', 'c1', 'c2', 'c3', 'c4', 'c5', 'c6']);
    await push(admin, 'laptop', [{ id: 8, name: 'contact.delete', args: { contactId: 'c3' } }]);
    expect(await pull(admin, cursor)).toEqual([
      { kind: 'contact', id: 'c3', version: cursor + 1, deleted: true, data: null, mine: true },
    ]);
  });

  it('rejects a bad cursor naming it', async () => {
    const { admin } = await t.newTeam();
    const res = await t.call<{ error: { message: string } }>('GET', '/sync/pull?cursor=-4', {
      token: admin.accessToken,
    });
    expect(res.status).toBe(400);
    expect(res.body.error.message).toMatch(/^query\.cursor:/);
  });
});

describe('two devices editing offline', () => {
  async function setUp() {
    const { admin } = await t.newTeam();
    const laptop = device(admin, 'laptop');
    const phone = device(admin, 'phone');
    laptop.queue(
      { name: 'contact.upsert', args: { id: 'c', email: 'lead@acme.test' } },
      seq('q'),
      enroll('e', 'c', 'q'),
      task('t', 'e'),
      enroll('e2', 'c', 'q'),
    );
    await laptop.push();
    await laptop.pull();
    await phone.pull();
    expect(phone.replica).toEqual(laptop.replica);
    return { laptop, phone };
  }

  for (const order of ['laptop first', 'phone first'] as const)
    it(`converge to the same state (${order})`, async () => {
      const { laptop, phone } = await setUp();
      // Offline: each edits different fields of the same contact and sequence, and the same task and enrollment.
      laptop.queue(
        { name: 'contact.upsert', args: { id: 'c', firstName: 'Lea' } },
        seq('q', { name: 'Intro (laptop)' }),
        { name: 'task.snooze', args: { taskId: 't', dueAt: t.now() + 86_400_000 } },
        { name: 'enrollment.pause', args: { enrollmentId: 'e2', at: t.now() } },
      );
      phone.queue(
        { name: 'contact.upsert', args: { id: 'c', company: 'Acme' } },
        { name: 'sequence.archive', args: { sequenceId: 'q' } },
        { name: 'task.complete', args: { taskId: 't', at: t.now(), outcome: 'connected' } },
        { name: 'enrollment.unenroll', args: { enrollmentId: 'e2', at: t.now(), reason: 'manual' } },
      );
      const [first, second] = order === 'laptop first' ? [laptop, phone] : [phone, laptop];
      await first.push();
      await second.push();
      await laptop.pull();
      await phone.pull();
      expect(phone.replica).toEqual(laptop.replica);
      expect(laptop.replica.get('contact:c')).toMatchObject({ firstName: 'Lea', company: 'Acme' });
      expect(laptop.replica.get('sequence:q')).toMatchObject({ archived: true, name: 'Intro (laptop)' });
      // Completion wins over a reschedule, in either order; ending an enrollment wins over pausing it.
      expect(laptop.replica.get('task:t')).toMatchObject({
        status: 'completed',
        outcome: 'connected',
        dueAt: expect.any(Number),
      });
      expect(laptop.replica.get('enrollment:e2')).toMatchObject({ status: 'unenrolled', reason: 'manual' });
    });
});
