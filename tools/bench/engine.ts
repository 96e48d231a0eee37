import 'fake-indexeddb/auto';
import { performance } from 'node:perf_hooks';
import type { Enrollment } from '../../lib/domain/enrollment';
import type { Contact } from '../../lib/domain/contact';
import { plan, type PlanItem } from '../../lib/engine/plan';
import { enrollContacts } from '../../lib/runner/enroll';
import { addSequence, createTestRunner, emailStep } from '../../lib/runner/testing';
import { tick } from '../../lib/runner/tick';
import { calibMs, goalOver, median, report, round } from './common';
import { bulkPreflight1000 } from './preflight';

const NOW = Date.parse('2026-03-02T10:00:00Z');
const WEEK = 7 * 86_400_000;
const SETTINGS = {
  sendWindow: { start: '00:00', end: '24:00' },
  weekdaysOnly: false,
  minSecondsBetweenSends: 0,
  perMinuteCap: 600,
  dailySendCap: 10_000,
};

/** N active enrollments due over the next week, then 10 due now: the median time of the tick that handles them. */
async function tickAmong(n: number, reps = 15): Promise<number> {
  const t = createTestRunner({ now: NOW });
  const seq = await addSequence(t.db, {
    settings: SETTINGS,
    steps: [emailStep('a'), emailStep('b', { value: 3, unit: 'days' })],
  });
  const contacts: Contact[] = [];
  const enrollments: Enrollment[] = [];
  for (let i = 0; i < n; i++) {
    contacts.push({ id: `c${i}`, email: `p${i}@bench.example`, firstName: `P${i}`, custom: {} });
    const dueAt = NOW + 60_000 + Math.floor((i / n) * WEEK);
    enrollments.push({
      id: `e${i}`,
      sequenceId: seq.id,
      contactId: `c${i}`,
      mailbox: t.rep.email,
      status: 'active',
      enrolledAt: NOW,
      stepIndex: 0,
      readyAt: dueAt,
      dueAt,
      edits: {},
      messageIds: [],
      failures: 0,
      version: 0,
    });
  }
  for (let i = 0; i < n; i += 10_000) {
    await t.db.contacts.bulkAdd(contacts.slice(i, i + 10_000));
    await t.db.enrollments.bulkAdd(enrollments.slice(i, i + 10_000));
  }
  const times: number[] = [];
  for (let r = 0; r < reps; r++) {
    const due: Enrollment[] = [];
    const dueContacts: Contact[] = [];
    for (let k = 0; k < 10; k++) {
      const id = `due-${r}-${k}`;
      dueContacts.push({ id, email: `${id}@bench.example`, firstName: 'Due', custom: {} });
      due.push({ ...enrollments[0]!, id, contactId: id, readyAt: t.clock.now, dueAt: t.clock.now });
    }
    await t.db.contacts.bulkAdd(dueContacts);
    await t.db.enrollments.bulkAdd(due);
    const start = performance.now();
    const result = await tick(t.deps);
    times.push(performance.now() - start);
    if (result.sent !== 10) throw new Error(`bench: expected 10 sends in a tick, got ${result.sent}`);
    t.clock.now += 1000;
  }
  t.db.close();
  return median(times);
}

async function bulkEnroll(reps = 5): Promise<number> {
  const times: number[] = [];
  for (let r = 0; r < reps; r++) {
    const t = createTestRunner({ now: NOW });
    await addSequence(t.db, { steps: [emailStep('a')] });
    const contacts = Array.from({ length: 1000 }, (_, i) => ({
      email: `p${i}@bulk${r}.example`,
      firstName: `P${i}`,
      timeZone: 'America/New_York',
    }));
    const start = performance.now();
    const report = await enrollContacts(t.deps, { sequenceId: 'seq-1', contacts });
    times.push(performance.now() - start);
    if (report.enrolled.length !== 1000) throw new Error('bench: bulk enrollment did not enroll 1,000');
    t.db.close();
  }
  return median(times);
}

function planPerEnrollment(): number {
  const t = createTestRunner({ now: NOW });
  const zones = ['America/New_York', 'Europe/London', 'Asia/Kolkata', 'Australia/Sydney'];
  const sequence = {
    id: 'seq',
    name: 'S',
    ownerId: 'r',
    sharing: 'private' as const,
    archived: false,
    updatedAt: 0,
    settings: {
      sendWindow: { start: '08:00', end: '18:00' },
      timeZoneBasis: 'contact' as const,
      weekdaysOnly: true,
      holidays: ['2026-03-03'],
      dailySendCap: 500,
      perMinuteCap: 10,
      minSecondsBetweenSends: 30,
      tasksBlock: true,
      unenrollCompanyOnReply: false,
    },
    steps: [{ ...emailStep('a'), threadWithPrevious: true, variants: [] }],
  };
  const items: PlanItem[] = Array.from({ length: 2000 }, (_, i) => ({
    sequence,
    contact: {
      id: `c${i}`,
      email: `p${i}@x.example`,
      firstName: 'P',
      timeZone: zones[i % zones.length],
      custom: {},
    },
    enrollment: {
      id: `e${i}`,
      sequenceId: 'seq',
      contactId: `c${i}`,
      mailbox: t.rep.email,
      status: 'active',
      enrolledAt: NOW,
      stepIndex: 0,
      readyAt: NOW - i * 1000,
      dueAt: NOW - i * 1000,
      edits: {},
      messageIds: [],
      failures: 0,
      version: 0,
    },
  }));
  const state = { rep: t.rep, recentSends: {}, items };
  plan(state, NOW); // warm up
  const runs: number[] = [];
  for (let r = 0; r < 5; r++) {
    const start = performance.now();
    plan(state, NOW);
    runs.push(((performance.now() - start) * 1000) / items.length);
  }
  return median(runs);
}

export async function benchEngine(): Promise<void> {
  const tick1k = await tickAmong(1_000);
  const tick10k = await tickAmong(10_000);
  const tick100k = await tickAmong(100_000);
  report(
    'engine',
    {
      tick_ms_1k: round(tick1k),
      tick_ms_10k: round(tick10k),
      tick_ms_100k: round(tick100k),
      tick_ratio_100k_to_1k: round(tick100k / tick1k),
      bulk_enroll_1000_ms: round(await bulkEnroll()),
      plan_per_enrollment_us: round(planPerEnrollment()),
      bulk_preflight_1000_ms: round(bulkPreflight1000()),
      calib_ms: calibMs(),
    },
    {
      tick_ms_100k: '< 50',
      tick_ratio_100k_to_1k: '<= 3',
      bulk_enroll_1000_ms: '< 1000',
      bulk_preflight_1000_ms: '< 1000',
      calib_ms: 'yardstick: fixed 1 MB build + JSON + sort, median of 5',
    },
    {
      tick_ms_100k: { over: 'calib_ms', goal: goalOver(50) },
      bulk_enroll_1000_ms: { over: 'calib_ms', goal: goalOver(1000) },
      bulk_preflight_1000_ms: { over: 'calib_ms', goal: goalOver(1000) },
    },
  );
}
