import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ThreadlineDb } from '../../lib/db/database';
import type { MailProvider } from '../../lib/mail/provider';
import { enrollContacts } from '../../lib/runner/enroll';
import { addSequence, emailStep } from '../../lib/runner/testing';
import { rearm, tick } from '../../lib/runner/tick';
import { DEFAULT_LEASE_MS, type RunnerDeps } from '../../lib/runner/deps';
import { watchMailbox } from '../../lib/runner/reply-watcher';
import { startSandbox, type Sandbox } from '../../tools/sandbox/server';
import { sandboxRunner, type ProviderKind } from './harness';

/**
 * The product's two promises under fault injection: the service worker dies at random points of the send
 * path (any database operation, before or after any provider call), a new one starts on the same database,
 * and in the end the mailbox holds every due email exactly once, in the right thread, and nothing was sent to
 * a contact after their reply arrived.
 */
class Killed extends Error {}

/** A small seeded generator, so a failing run can be replayed with its seed (KILL_SEED). */
function mulberry32(seed: number) {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Wraps every method of an object so that each call first passes the kill switch. */
function guarded<T extends object>(target: T, step: () => void): T {
  return new Proxy(target, {
    get(obj, prop, receiver) {
      const value = Reflect.get(obj, prop, receiver) as unknown;
      if (typeof value !== 'function') return value;
      return (...args: unknown[]) => {
        step();
        return (value as (...a: unknown[]) => unknown).apply(obj, args);
      };
    },
  });
}

const TABLES = [
  'contacts',
  'sequences',
  'enrollments',
  'tasks',
  'outbox',
  'sends',
  'events',
  'suppressions',
  'meta',
  'inbound',
];

/** One life of the service worker: it dies at its `killAt`-th operation and can do nothing after that. */
function mortalWorker(base: RunnerDeps, provider: MailProvider, killAt: number, mailbox: string): RunnerDeps {
  let ops = 0;
  let dead = false;
  const step = () => {
    if (dead || ++ops >= killAt) {
      dead = true;
      throw new Killed('the service worker died');
    }
  };
  const db = new Proxy(base.db, {
    get(obj, prop, receiver) {
      if (prop === 'transaction') {
        return (mode: 'rw', tables: string[], work: (tx: unknown) => unknown) => {
          step();
          return obj.transaction(mode, tables, (tx) =>
            work(
              new Proxy(tx, {
                get: (t, p, r) =>
                  p === 'table' ? (name: string) => guarded(t.table(name), step) : Reflect.get(t, p, r),
              }),
            ),
          );
        };
      }
      if (TABLES.includes(String(prop))) return guarded(Reflect.get(obj, prop, receiver) as object, step);
      return Reflect.get(obj, prop, receiver);
    },
  }) as ThreadlineDb;
  const around = async <T>(call: () => Promise<T>): Promise<T> => {
    step(); // dies before the request
    const result = await call();
    step(); // dies after the mailbox acted, before the answer is used
    return result;
  };
  const mortal: MailProvider = {
    kind: provider.kind,
    mailbox: provider.mailbox,
    send: (m) => around(() => provider.send(m)),
    findByMessageId: (id) => around(() => provider.findByMessageId(id)),
    changesSince: (c) => around(() => provider.changesSince(c)),
    getHeaders: (id) => around(() => provider.getHeaders(id)),
    getMessage: (id) => around(() => provider.getMessage(id)),
    threadMessages: (id) => around(() => provider.threadMessages(id)),
    latestInThread: (id) => around(() => provider.latestInThread(id)),
  };
  const deps: RunnerDeps = {
    ...base,
    db,
    mailFor: (m) => (m === mailbox ? mortal : undefined),
    batchSize: 5,
  };
  deps.checkReplies = (m) => watchMailbox(deps, m).then(() => undefined);
  return deps;
}

let sandbox: Sandbox;
beforeAll(async () => {
  sandbox = await startSandbox({ port: 0 });
});
afterAll(async () => {
  await sandbox.stop();
});

const START = Date.parse('2026-03-02T09:00:00Z');
const CONTACTS = 50;
const STEPS = 4;
/** These contacts answer as soon as their second email has arrived. */
const REPLIERS = new Set([3, 17, 29, 41]);

async function runScenario(kind: ProviderKind, round: number, rng: () => number) {
  const mailbox = `rep-${kind}-${round}@seller.example`;
  const t = sandboxRunner(sandbox, kind, START, mailbox);
  await addSequence(t.db, {
    settings: {
      sendWindow: { start: '00:00', end: '24:00' },
      weekdaysOnly: false,
      minSecondsBetweenSends: 0,
      perMinuteCap: 600,
      dailySendCap: 10_000,
    },
    steps: [
      emailStep('s1'),
      emailStep('s2', { value: 10, unit: 'minutes' }),
      emailStep('s3', { value: 1, unit: 'hours' }),
      emailStep('s4', { value: 1, unit: 'days' }),
    ],
  });
  const contacts = Array.from({ length: CONTACTS }, (_, i) => ({
    email: `c${i}@buyer${i % 7}.example`,
    firstName: `C${i}`,
  }));
  // Every fifth contact is enrolled from a thread the rep has open with them: its first email replies there.
  const fromThread = (c: number) => c % 5 === 0;
  const opened = new Map<number, { threadId: string; messageId: string }>();
  const ids: string[] = [];
  for (const [c, contact] of contacts.entries()) {
    let thread: { threadId: string; subject: string } | undefined;
    if (fromThread(c)) {
      const opener = await sandbox.inject(mailbox, {
        from: contact.email,
        subject: `Intro ${c}`,
        text: 'Hi',
      });
      const { messageId } = sandbox
        .inbox(mailbox)
        .find((m) => m.providerMessageId === opener.providerMessageId)!;
      opened.set(c, { threadId: opener.threadId, messageId });
      thread = { threadId: opener.threadId, subject: `Intro ${c}` };
    }
    const report = await enrollContacts(t.deps, {
      sequenceId: 'seq-1',
      contacts: [contact],
      ...(thread ? { thread } : {}),
    });
    ids.push(report.enrolled[0]!.enrollmentId);
  }
  const cursor = await t.provider.changesSince(undefined);
  await t.db.meta.put({ key: `watch-cursor:${mailbox}`, value: cursor.cursor });
  const messageId = (c: number, step: number) => `<tl.${ids[c]}.${step}@seller.example>`;

  /** How many messages the mailbox had sent when each replier's answer arrived. */
  const repliedAfter = new Map<number, number>();
  let kills = 0;
  const life = () => mortalWorker(t.deps, t.provider, 1 + Math.floor(rng() * 120), mailbox);
  let deps = life();
  for (let i = 0; i < 20_000; i++) {
    const sent = sandbox.sent(mailbox);
    for (const c of REPLIERS) {
      const second = sent.find((m) => m.messageId === messageId(c, 1));
      if (repliedAfter.has(c) || !second) continue;
      await sandbox.inject(mailbox, {
        from: contacts[c]!.email,
        subject: 'Re: Hello',
        text: 'Please call me instead.',
        inReplyTo: second.messageId,
      });
      repliedAfter.set(c, sent.length);
    }
    if (t.alarm.at === undefined) break;
    t.clock.now = Math.max(t.clock.now, t.alarm.at);
    try {
      await tick(deps);
    } catch (error) {
      if (!(error instanceof Killed)) throw error;
      kills++;
      // The worker is gone; a new one starts later, reconciles its alarm from the database and carries on.
      t.clock.now += DEFAULT_LEASE_MS + 1000;
      deps = life();
      await rearm(t.deps);
    }
  }
  return { t, mailbox, ids, kills, repliedAfter, messageId, contacts, opened };
}

describe.each(['gmail', 'graph'] as const)(
  'exactly once through %s, the worker killed at random points',
  (kind) => {
    it('sends every due email exactly once, in its thread, and nothing after a reply', async () => {
      const seed = Number(process.env.KILL_SEED ?? 7) + (kind === 'graph' ? 1000 : 0);
      const rng = mulberry32(seed);
      let kills = 0;
      for (let round = 0; kills < 200; round++) {
        const {
          t,
          mailbox,
          ids,
          kills: k,
          repliedAfter,
          messageId,
          contacts,
          opened,
        } = await runScenario(kind, round, rng);
        kills += k;
        const where = `(${kind}, round ${round}, seed ${seed})`;
        const sent = sandbox.sent(mailbox);
        const counts = new Map<string, number>();
        for (const m of sent) counts.set(m.messageId, (counts.get(m.messageId) ?? 0) + 1);
        expect(
          [...counts.entries()].filter(([, n]) => n > 1),
          `duplicates ${where}`,
        ).toEqual([]);
        for (const [c, id] of ids.entries()) {
          if (repliedAfter.has(c)) {
            const late = sent.slice(repliedAfter.get(c)!).filter((m) => m.to.includes(contacts[c]!.email));
            expect(
              late.map((m) => m.messageId),
              `sent to c${c} after the reply ${where}`,
            ).toEqual([]);
            expect((await t.db.enrollments.get(id))?.status).toBe('unenrolled');
            continue;
          }
          const mine = Array.from({ length: STEPS }, (_, s) =>
            sent.find((m) => m.messageId === messageId(c, s)),
          );
          expect(mine.every(Boolean), `c${c} did not get all ${STEPS} steps ${where}`).toBe(true);
          expect(new Set(mine.map((m) => m!.threadId)).size).toBe(1);
          const thread = opened.get(c);
          if (thread) {
            expect(mine[0]!.threadId, `c${c} first email outside its opened thread ${where}`).toBe(
              thread.threadId,
            );
            expect(mine[0]!.inReplyTo).toBe(thread.messageId);
          }
          for (let s = 1; s < STEPS; s++) expect(mine[s]!.inReplyTo).toBe(mine[s - 1]!.messageId);
          expect((await t.db.enrollments.get(id))?.status).toBe('finished');
        }
        t.db.close();
      }
      expect(kills).toBeGreaterThanOrEqual(200);
    }, 600_000);
  },
);
