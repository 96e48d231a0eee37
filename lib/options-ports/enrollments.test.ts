import { describe, expect, it } from 'vitest';
import { ThreadlineDb } from '../db/database';
import type { Enrollment } from '../domain/enrollment';
import { SequenceSchema } from '../domain/sequence';
import type { EnrollmentsView } from './interfaces/enrollments';
import { createEnrollmentsPort } from './enrollments';

let n = 0;
const enrollment = (id: string, contactId: string, enrolledAt: number): Enrollment => ({
  id,
  sequenceId: 'seq1',
  contactId,
  mailbox: 'sam@seller.example',
  status: 'active',
  enrolledAt,
  stepIndex: 0,
  dueAt: 10,
  edits: {},
  messageIds: [],
  failures: 0,
  version: 1,
});

async function setUp() {
  const db = new ThreadlineDb(`enrollments-port-${n++}`);
  await db.sequences.put(
    SequenceSchema.parse({
      id: 'seq1',
      name: 'Q1',
      ownerId: 'sam',
      steps: [{ id: 's1', type: 'auto_email', delay: { value: 0, unit: 'days' }, subject: 'Hi', body: 'x' }],
    }),
  );
  await db.contacts.bulkPut([
    { id: 'ada', email: 'ada@acme.example', firstName: 'Ada', custom: {} },
    { id: 'bo', email: 'bo@acme.example', firstName: 'Bo', custom: {} },
  ]);
  await db.enrollments.bulkPut([enrollment('e1', 'ada', 1), enrollment('e2', 'bo', 2)]);
  await db.events.bulkPut([
    { id: 'v1', at: 100, type: 'enrolled', enrollmentId: 'e1', sequenceId: 'seq1' },
    { id: 'v2', at: 200, type: 'sent', enrollmentId: 'e1', sequenceId: 'seq1' },
    { id: 'v3', at: 150, type: 'enrolled', enrollmentId: 'e2', sequenceId: 'seq1' },
    { id: 'v4', at: 999, type: 'replied', enrollmentId: 'other', sequenceId: 'seq2' },
  ]);
  const port = createEnrollmentsPort({
    db,
    zone: 'UTC',
    act: async () => undefined,
    move: async () => ({ moved: 0, refused: [] }),
  });
  const views: (EnrollmentsView | null)[] = [];
  const errors: unknown[] = [];
  const stop = port.watch(
    'seq1',
    (v) => views.push(v),
    (e) => errors.push(e),
  );
  const last = () => views.at(-1);
  const activity = () =>
    Object.fromEntries((last()?.rows ?? []).map((r) => [r.name, r.lastActivity?.what ?? null]));
  return { db, views, errors, stop, last, activity };
}

describe("a sequence's Enrollments port", () => {
  it('gives the rows first, then fills each one with its latest event', async () => {
    const { views, errors, stop, last, activity } = await setUp();
    await expect.poll(() => last()?.activityLoaded).toBe(true);
    // The first view the page gets has every row and says their last activity is still being read.
    expect(views[0]!.rows.map((r) => r.name)).toEqual(['Bo', 'Ada']);
    expect(views[0]!.activityLoaded).toBe(false);
    expect(views[0]!.rows.every((r) => r.lastActivity === undefined)).toBe(true);
    expect(activity()).toEqual({ Bo: 'Enrolled', Ada: 'Email sent' });
    expect(last()!.rows.find((r) => r.name === 'Ada')!.lastActivity).toEqual({ at: 200, what: 'Email sent' });
    expect(errors).toEqual([]);
    stop();
  });

  it('follows new events and new enrollments live, and says null for a missing sequence', async () => {
    const { db, stop, last, activity } = await setUp();
    await expect.poll(() => last()?.activityLoaded).toBe(true);
    await db.events.put({ id: 'v5', at: 300, type: 'replied', enrollmentId: 'e2', sequenceId: 'seq1' });
    await expect.poll(() => activity().Bo).toBe('Replied');
    await db.contacts.put({ id: 'cy', email: 'cy@acme.example', firstName: 'Cy', custom: {} });
    await db.enrollments.put(enrollment('e3', 'cy', 3));
    await db.events.put({ id: 'v6', at: 400, type: 'enrolled', enrollmentId: 'e3', sequenceId: 'seq1' });
    await expect.poll(() => activity()).toEqual({ Cy: 'Enrolled', Bo: 'Replied', Ada: 'Email sent' });
    await db.sequences.delete('seq1');
    await expect.poll(() => last()).toBeNull();
    stop();
  });

  it('paints the newest screen of a long list first, then every row in the same order', async () => {
    const db = new ThreadlineDb(`enrollments-port-${n++}`);
    await db.sequences.put(
      SequenceSchema.parse({
        id: 'seq1',
        name: 'Q1',
        ownerId: 'sam',
        steps: [
          { id: 's1', type: 'auto_email', delay: { value: 0, unit: 'days' }, subject: 'Hi', body: 'x' },
        ],
      }),
    );
    // Enrolled in batches of seven at the same moment, as a bulk enrollment does.
    const many = Array.from({ length: 150 }, (_, i) =>
      enrollment(`e${i}`, `c${i}`, 1000 + Math.floor(i / 7)),
    );
    await db.contacts.bulkPut(
      many.map((e, i) => ({ id: e.contactId, email: `p${i}@x.example`, custom: {} })),
    );
    await db.enrollments.bulkPut(many);
    const port = createEnrollmentsPort({
      db,
      zone: 'UTC',
      act: async () => undefined,
      move: async () => ({ moved: 0, refused: [] }),
    });
    const views: EnrollmentsView[] = [];
    const stop = port.watch('seq1', (v) => v && views.push(v));
    await expect.poll(() => views.at(-1)?.complete).toBe(true);
    stop();
    const [first, ...rest] = views;
    expect(first).toMatchObject({ complete: false, total: 150 });
    expect(first!.rows.length).toBeLessThan(150);
    const all = rest.at(-1)!;
    expect(all).toMatchObject({ complete: true, total: 150 });
    expect(all.rows.map((r) => r.id)).toEqual(
      [...many].sort((a, b) => b.enrolledAt - a.enrolledAt || (a.id < b.id ? 1 : -1)).map((e) => e.id),
    );
    // The first screen is the top of the full list, row for row (the newest enrolled first).
    expect(first!.rows).toEqual(all.rows.slice(0, first!.rows.length));
  });
});
