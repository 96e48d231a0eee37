import { describe, expect, it } from 'vitest';
import { ThreadlineDb } from '../db/database';
import type { Enrollment } from '../domain/enrollment';
import type { Task } from '../domain/task';
import { badgeText, createQueueBadge, queueBadgeCount } from './queue-badge';

// Monday 2 March 2026, 15:00 in London.
const NOW = Date.parse('2026-03-02T15:00:00Z');
const task = (id: string, dueAt: number, status: Task['status'] = 'open'): Task => ({
  id,
  enrollmentId: `e-${id}`,
  sequenceId: 'seq',
  contactId: 'c',
  stepId: 's',
  stepIndex: 0,
  type: 'call',
  title: 'Call',
  notes: '',
  priority: 'medium',
  createdAt: 0,
  dueAt,
  blocking: true,
  status,
});
const enrollment = (id: string, more: Partial<Enrollment>): Enrollment => ({
  id,
  sequenceId: 'seq',
  contactId: 'c',
  mailbox: 'sam@seller.example',
  status: 'active',
  enrolledAt: 0,
  stepIndex: 0,
  edits: {},
  messageIds: [],
  failures: 0,
  version: 0,
  ...more,
});

async function seeded() {
  const db = new ThreadlineDb(`badge-${Math.random()}`);
  await db.tasks.bulkPut([
    task('overdue', NOW - 86_400_000),
    task('today', NOW + 3_600_000),
    task('tomorrow', NOW + 12 * 3_600_000), // 03:00 on Tuesday in London
    task('done', NOW - 1000, 'completed'),
  ]);
  await db.enrollments.bulkPut([
    enrollment('stuck', { status: 'paused', pauseReason: 'needs_attention', detail: 'Step 1: no value' }),
    enrollment('by-rep', { status: 'paused', pauseReason: 'manual' }),
    enrollment('running', {}),
  ]);
  return db;
}

describe('the toolbar badge', () => {
  it('counts the open tasks due by the end of the rep’s day and the enrollments that need the rep', async () => {
    const db = await seeded();
    expect(await queueBadgeCount(db, NOW, 'Europe/London')).toBe(3);
    // In Los Angeles it is 07:00 on Monday: Tuesday 03:00 London is still Monday there.
    expect(await queueBadgeCount(db, NOW, 'America/Los_Angeles')).toBe(4);
  });

  it('shows the count on the toolbar, nothing when there is nothing to do', async () => {
    const db = await seeded();
    const texts: string[] = [];
    const badge = createQueueBadge({
      db,
      api: { setBadgeText: ({ text }) => void texts.push(text) },
      now: () => NOW,
      timeZone: async () => 'Europe/London',
    });
    await badge.refresh();
    await db.tasks.clear();
    await db.enrollments.clear();
    await badge.refresh();
    expect(texts).toEqual(['3', '']);
    expect(badgeText(1500)).toBe('999+');
  });
});
