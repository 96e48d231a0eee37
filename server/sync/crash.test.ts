// @vitest-environment node
import type { KyselyPlugin } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PullResponse, PushResponse } from '../../lib/contract/sync';
import { createTestServer, type TestServer } from '../testing/harness';

/**
 * The server dies in the middle of a push: at a random statement of its transaction (the database rolls
 * it back), or after the commit but before the client hears the answer (the client sees a network error).
 * The client retries the same outbox until it gets an answer. Each mutation bumps the enrollment's
 * version once, so the final version counts how often mutations were applied.
 */
let failAt = -1;
let statements = 0;
const crashes: KyselyPlugin = {
  transformQuery: (args) => args.node,
  async transformResult(args) {
    if (++statements === failAt) throw new Error('server killed');
    return args.result;
  },
};

let t: TestServer;
beforeAll(async () => {
  t = await createTestServer({ plugins: [crashes] });
}, 60_000);
afterAll(() => t?.close());

/** Deterministic randomness, so a failure can be replayed. */
function random(seed: number) {
  return () => {
    seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31;
    return seed / 2 ** 31;
  };
}

describe('a push interrupted 50 times', () => {
  it('applies every mutation exactly once after the client retries', async () => {
    const rand = random(5);
    const { admin } = await t.newTeam();
    const token = admin.accessToken;
    const setUp = await t.call<PushResponse>('POST', '/sync/push', {
      token,
      body: {
        clientId: 'laptop',
        mutations: [
          { id: 1, name: 'contact.upsert', args: { id: 'c', email: 'lead@acme.test' } },
          {
            id: 2,
            name: 'sequence.upsert',
            args: {
              id: 'q',
              name: 'Intro',
              steps: [{ id: 's', type: 'todo', delay: { value: 0, unit: 'days' } }],
            },
          },
          {
            id: 3,
            name: 'enroll',
            args: {
              id: 'e',
              sequenceId: 'q',
              contactId: 'c',
              mailbox: 'me@acme.test',
              status: 'active',
              enrolledAt: 1,
              stepIndex: 0,
            },
          },
        ],
      },
    });
    expect(setUp.body.results.every((r) => r.status === 'applied')).toBe(true);

    let nextId = 4;
    let interrupted = 0;
    let lostAnswers = 0;
    const outbox: { id: number; name: string; args: unknown }[] = [];
    for (let round = 0; round < 50; round++) {
      for (let i = 0; i < 1 + Math.floor(rand() * 5); i++)
        outbox.push({
          id: nextId++,
          name: 'enrollment.progress',
          args: { enrollmentId: 'e', failures: round },
        });
      // The server dies at a random statement of this push (there are about a dozen) or loses its answer.
      statements = 0;
      failAt = 1 + Math.floor(rand() * 14);
      const loseAnswer = rand() < 0.3;
      for (let attempt = 0; ; attempt++) {
        const res = await t.call<PushResponse>('POST', '/sync/push', {
          token,
          body: { clientId: 'laptop', mutations: outbox },
        });
        if (res.status === 500) {
          interrupted++;
          failAt = -1; // the restarted server does not die again
          continue;
        }
        expect(res.status).toBe(200);
        if (loseAnswer && attempt === 0) {
          lostAnswers++;
          continue; // committed, but the client never heard: it sends the same outbox again
        }
        outbox.splice(0, outbox.length, ...outbox.filter((m) => m.id > res.body.lastMutationId));
        break;
      }
      failAt = -1;
    }
    expect(outbox).toEqual([]);
    expect(interrupted).toBeGreaterThan(20);
    expect(lostAnswers).toBeGreaterThan(5);
    const rows = (await t.call<PullResponse>('GET', '/sync/pull?cursor=0', { token })).body.rows;
    const enrollment = rows.find((r) => r.kind === 'enrollment')!.data!;
    expect(enrollment.version).toBe(nextId - 4);
    expect(enrollment.failures).toBe(49);
  });
});
