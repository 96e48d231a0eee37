import { ThreadlineDb } from '../db/database';
import type { Event } from '../domain/event';
import type { Rep } from '../domain/rep';
import { SequenceSchema, type SequenceInput } from '../domain/sequence';
import { createFakeMailProvider, type FakeMailProvider } from '../mail/fake';
import type { MailProvider } from '../mail/provider';
import { htmlToText } from '../templates/text';
import type { RunnerDeps } from './deps';
import { tick } from './tick';

let counter = 0;

export interface TestRunner {
  deps: RunnerDeps;
  db: ThreadlineDb;
  mail: FakeMailProvider;
  events: Event[];
  /** The virtual clock. */
  clock: { now: number };
  alarm: { at?: number };
  rep: Rep;
  /** A second runner on the same database (a restarted service worker), optionally with another provider. */
  restart(overrides?: Partial<RunnerDeps>): RunnerDeps;
}

/**
 * The runner wired to a fresh database on fake-indexeddb, a fake mailbox, a virtual clock and an alarm
 * that only records when it would fire. For tests and benchmarks in Node.
 */
export function createTestRunner(opts: {
  now: number;
  rep?: Partial<Rep>;
  mail?: (mailbox: string) => MailProvider | undefined;
}): TestRunner {
  const clock = { now: opts.now };
  const alarm: { at?: number } = {};
  const rep: Rep = { email: 'rep@seller.example', timeZone: 'Europe/London', name: 'Sam Rep', ...opts.rep };
  const db = new ThreadlineDb(`threadline-test-${process.pid}-${counter++}`);
  const mail = createFakeMailProvider({ mailbox: rep.email, clock: () => clock.now });
  const events: Event[] = [];
  let ids = 0;
  const make = (overrides: Partial<RunnerDeps> = {}): RunnerDeps => ({
    db,
    clock: { now: () => clock.now },
    alarm: { set: async (when) => void (alarm.at = when), clear: async () => void (alarm.at = undefined) },
    mailFor: opts.mail ?? ((mailbox) => (mailbox === rep.email ? mail : undefined)),
    rep: async () => rep,
    onEvent: (e) => events.push(e),
    newId: () => `id-${++ids}`,
    htmlToText,
    ...overrides,
  });
  return { deps: make(), db, mail, events, clock, alarm, rep, restart: make };
}

/** Sequence settings under which a due email goes at once, any hour of any day, with no spacing. */
export const ANY_TIME = {
  sendWindow: { start: '00:00', end: '24:00' },
  weekdaysOnly: false,
  minSecondsBetweenSends: 0,
};

export async function addSequence(
  db: ThreadlineDb,
  input: Partial<SequenceInput> & Pick<SequenceInput, 'steps'>,
) {
  const seq = SequenceSchema.parse({ id: 'seq-1', name: 'Test sequence', ownerId: 'rep', ...input });
  await db.sequences.put(seq);
  return seq;
}

export const emailStep = (
  id: string,
  delay: { value: number; unit: 'business_days' | 'days' | 'hours' | 'minutes' } = {
    value: 0,
    unit: 'minutes',
  },
  subject = 'Hello {{contact.firstName}}',
) => ({ id, type: 'auto_email' as const, delay, subject, body: '<p>Hi {{contact.firstName}}</p>' });

/** Lets the alarm fire, as the browser would, until `until`; ends with the clock at `until`. */
export async function runUntil(t: TestRunner, until: number, deps: RunnerDeps = t.deps): Promise<void> {
  for (let i = 0; i < 100_000; i++) {
    if (t.alarm.at === undefined || t.alarm.at > until) break;
    t.clock.now = Math.max(t.clock.now, t.alarm.at);
    await tick(deps);
  }
  t.clock.now = until;
}
