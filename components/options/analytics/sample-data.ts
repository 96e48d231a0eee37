import type { Event, EventType } from '@/lib/domain/event';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

export interface SampleSequence {
  id: string;
  name: string;
  /** Step kinds in order; the first email step of a sequence with `abTest` has variants A and B. */
  steps: ('auto_email' | 'call' | 'linkedin' | 'todo')[];
  abTest?: boolean;
}

export const SAMPLE_SEQUENCES: SampleSequence[] = [
  {
    id: 'seq-inbound',
    name: 'Inbound demo requests',
    steps: ['auto_email', 'call', 'auto_email', 'auto_email'],
    abTest: true,
  },
  {
    id: 'seq-outbound',
    name: 'Q3 outbound: fintech',
    steps: ['auto_email', 'auto_email', 'linkedin', 'auto_email'],
  },
  { id: 'seq-renewal', name: 'Renewal nudge', steps: ['auto_email', 'todo', 'auto_email'] },
];

export const SAMPLE_REPS = [
  { mailbox: 'ada@seller.example', name: 'Ada Lovelace' },
  { mailbox: 'ben@seller.example', name: 'Ben Okafor' },
  { mailbox: 'chloe@seller.example', name: 'Chloé Martin' },
];

/**
 * A plausible event history for demos and tests: `contacts` enrollments spread over `days` days before `end`,
 * shaped as the runner records them (signals carry the enrollment's next step; task events their task id and due
 * time). Deterministic for a seed.
 */
export function sampleEvents({
  end,
  days = 30,
  contacts = 200,
  seed = 7,
  sequences = SAMPLE_SEQUENCES,
  reps = SAMPLE_REPS.map((r) => r.mailbox),
}: {
  end: number;
  days?: number;
  contacts?: number;
  seed?: number;
  sequences?: SampleSequence[];
  reps?: string[];
}): Event[] {
  let state = seed;
  const random = () => (state = (Math.imul(state, 1_664_525) + 1_013_904_223) >>> 0) / 2 ** 32;
  const events: Event[] = [];
  for (let n = 0; n < contacts; n++) {
    const sequence = sequences[n % sequences.length]!;
    const mailbox = reps[Math.floor(random() * reps.length)]!;
    const enrollmentId = `enr-${seed}-${n}`;
    const base = { enrollmentId, contactId: `contact-${n}`, sequenceId: sequence.id, mailbox };
    let at = end - days * DAY + Math.floor(random() * (days - 2) * DAY);
    let next = 0;
    const add = (type: EventType, stepIndex: number, data?: Record<string, unknown>) => {
      if (at >= end) return false;
      events.push({
        id: `${type}:${enrollmentId}:${events.length}`,
        at,
        type,
        stepIndex,
        ...base,
        ...(data ? { data } : {}),
      });
      return true;
    };
    add('enrolled', 0);
    const variant = sequence.abTest ? (random() < 0.5 ? 0 : 1) : undefined;
    steps: for (const [step, kind] of sequence.steps.entries()) {
      at += HOUR + Math.floor(random() * 2 * DAY);
      if (at >= end) break;
      if (kind !== 'auto_email') {
        const taskId = `${enrollmentId}:${step}`;
        const dueAt = at;
        add('task_created', step, { taskId, taskType: kind, dueAt });
        const r = random();
        if (r < 0.15) break; // still open: overdue or pending
        at += r < 0.7 ? Math.floor(random() * 6 * HOUR) : DAY + Math.floor(random() * 2 * DAY);
        if (!add(r < 0.9 ? 'task_completed' : 'task_skipped', step, { taskId, dueAt })) break;
        next = step + 1;
        continue;
      }
      const isTest = variant !== undefined && step === 0;
      add('sent', step, isTest ? { variant } : {});
      next = step + 1;
      const r = random();
      if (r < 0.03) {
        at += 60_000;
        add('bounced', next, { permanent: r < 0.02 });
        add('unenrolled', next);
        break;
      }
      for (let o = Math.floor(random() * 3); o > 0; o--) {
        at += Math.floor(random() * 5 * HOUR);
        add('opened', step, random() < 0.25 ? { machine: true } : {});
      }
      if (random() < 0.12) add('clicked', step);
      const replyChance = isTest && variant === 1 ? 0.16 : 0.08;
      const s = random();
      if (s < 0.02) add('out_of_office', next);
      else if (s < 0.03) {
        add('unsubscribed', next);
        add('unenrolled', next);
        break steps;
      } else if (s < 0.03 + replyChance) {
        at += 2 * HOUR;
        add('replied', next);
        if (random() < 0.35) add('meeting_booked', next);
        add('unenrolled', next);
        break steps;
      }
    }
  }
  return events.sort((a, b) => a.at - b.at);
}
