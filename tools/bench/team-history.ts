import type { Event, EventType } from '../../lib/domain/event';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

/**
 * A team-sized history for benchmarks: `count` events over 90 days from `start`, 100 reps, 50 sequences of
 * 4 steps (3 emails, a call), with opens, clicks, replies, bounces and tasks in plausible proportions.
 * Deterministic (a linear congruential generator), so runs compare.
 */
export function teamHistory(count: number, start: number): Event[] {
  let seed = 42;
  const random = () => (seed = (Math.imul(seed, 1_664_525) + 1_013_904_223) >>> 0) / 2 ** 32;
  const events: Event[] = [];
  for (let n = 0; events.length < count; n++) {
    const id = `enr-${n}`;
    const base = {
      enrollmentId: id,
      contactId: `contact-${n}`,
      sequenceId: `seq-${n % 50}`,
      mailbox: `rep-${n % 100}@acme.test`,
    };
    let at = start + Math.floor(random() * 80 * DAY);
    const add = (type: EventType, stepIndex: number, data?: Record<string, unknown>) =>
      events.push({
        id: `${type}:${id}:${events.length}`,
        at,
        type,
        stepIndex,
        ...base,
        ...(data ? { data } : {}),
      });
    add('enrolled', 0);
    for (let step = 0; step < 4; step++) {
      at += Math.floor(random() * 2 * DAY);
      if (step === 2) {
        const taskId = `${id}:2`;
        const dueAt = at + HOUR;
        add('task_created', 2, { taskId, dueAt });
        if (random() < 0.8) {
          at += Math.floor(random() * DAY);
          add(random() < 0.9 ? 'task_completed' : 'task_skipped', 2, { taskId, dueAt });
        }
        continue;
      }
      add('sent', step, { variant: step === 0 ? Math.floor(n / 50) % 2 : undefined, subject: 'Hello' });
      const r = random();
      if (r < 0.02) {
        add('bounced', step + 1, { permanent: r < 0.015 });
        break;
      }
      for (let o = Math.floor(random() * 4); o > 0; o--) {
        at += Math.floor(random() * HOUR);
        add('opened', step, { machine: random() < 0.2 });
      }
      if (random() < 0.1) add('clicked', step);
      if (random() < 0.08) {
        at += HOUR;
        add('replied', step + 1);
        if (random() < 0.3) add('meeting_booked', step + 1);
        add('unenrolled', step + 1);
        break;
      }
    }
  }
  events.length = count;
  return events;
}
