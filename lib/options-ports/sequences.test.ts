// @vitest-environment jsdom
// (DOMPurify needs a real DOM implementation: under happy-dom it passes scripts through.)
import { describe, expect, it } from 'vitest';
import type { SequenceInput, Step } from '../domain/sequence';
import { saveRep } from '../db/settings';
import { enrollContacts } from '../runner/enroll';
import { addSequence, createTestRunner, emailStep, runUntil } from '../runner/testing';
import { createSequencesStore } from './sequences';

const NOW = Date.parse('2026-03-02T10:00:00Z'); // a Monday
const DAY = 86_400_000;

async function runnerWithThreeEmails() {
  const t = createTestRunner({ now: NOW });
  await saveRep(t.db, t.rep);
  const seq = await addSequence(t.db, {
    settings: { weekdaysOnly: false, sendWindow: { start: '00:00', end: '24:00' } },
    steps: [
      emailStep('a', { value: 0, unit: 'minutes' }, 'First'),
      emailStep('b', { value: 1, unit: 'days' }, 'Second'),
      emailStep('c', { value: 1, unit: 'days' }, 'Third'),
    ],
  });
  const store = createSequencesStore(t.db, { now: () => t.clock.now, timeZone: 'Europe/London' });
  const report = await enrollContacts(t.deps, {
    sequenceId: seq.id,
    contacts: [{ email: 'ada@acme.example', firstName: 'Ada' }],
  });
  return { t, seq, store, enrollmentId: report.enrolled[0]!.enrollmentId };
}

describe('saving sequences to the local database', () => {
  it('saves a new sequence with the rep as owner, sanitised bodies and the time of the save', async () => {
    const t = createTestRunner({ now: NOW });
    await saveRep(t.db, t.rep);
    const store = createSequencesStore(t.db, { now: () => NOW });
    const draft: SequenceInput = {
      id: 'new-1',
      name: 'Webinar follow-up',
      ownerId: '',
      steps: [
        {
          ...emailStep('s1'),
          body: '<p>Hi</p><img src=x onerror="alert(1)"><script>alert(2)</script>',
          variants: [{ id: 'v1', subject: 'B', body: '<p>B</p><script>alert(3)</script>' }],
        },
      ],
    };
    const result = await store.save(draft);
    expect(result.ok).toBe(true);
    const saved = await t.db.sequences.get('new-1');
    expect(saved?.ownerId).toBe('rep@seller.example');
    expect(saved?.updatedAt).toBe(NOW);
    const step = saved?.steps[0];
    expect(step?.type === 'auto_email' && [step.body, step.variants[0]?.body]).toEqual([
      '<p>Hi</p><img src="x">',
      '<p>B</p>',
    ]);
  });

  it('refuses an invalid sequence and names the field, keeping what was stored', async () => {
    const { store, seq, t } = await runnerWithThreeEmails();
    const result = await store.save({ ...seq, name: '  ' });
    expect(result).toMatchObject({
      ok: false,
      issues: [{ path: ['name'], message: 'a sequence needs a name' }],
    });
    expect((await t.db.sequences.get(seq.id))?.name).toBe('Test sequence');
  });

  it('refuses to remove an email a live enrollment already got, so it never lands on the wrong step', async () => {
    const { t, seq, store, enrollmentId } = await runnerWithThreeEmails();
    await runUntil(t, NOW + DAY + 60_000); // "First" and "Second" are sent
    expect(t.mail.sent.map((m) => m.outgoing?.subject)).toEqual(['First', 'Re: First']);
    expect((await t.db.enrollments.get(enrollmentId))?.stepIndex).toBe(2);

    const impact = await store.impactOf({ ...seq, steps: seq.steps.slice(1) });
    expect(impact).toEqual({
      touched: 1,
      conflicts: [{ kind: 'removed_done', stepId: 'a', stepNumber: 1, enrollments: 1 }],
    });
    expect(await store.save({ ...seq, steps: seq.steps.slice(1) })).toMatchObject({ ok: false });
    expect((await t.db.sequences.get(seq.id))?.steps).toHaveLength(3);
  });

  it('applies an edit to the steps an enrollment has not reached, keeping its own edited email', async () => {
    const { t, seq, store, enrollmentId } = await runnerWithThreeEmails();
    await t.db.enrollments.update(enrollmentId, {
      edits: { c: { subject: '', body: '<p>Ada, my own note</p>' } },
    });
    await runUntil(t, NOW + 60_000); // "First" is sent; the enrollment waits for "Second"
    const [a, b, c] = seq.steps;
    const added = { ...emailStep('d', { value: 2, unit: 'hours' }), body: '<p>A new last one</p>' };
    // A step added before where it stands, the one it waits for removed, one added at the end.
    const result = await store.save({ ...seq, steps: [emailStep('z'), a!, c!, added] });
    expect(result).toMatchObject({ ok: true, moved: 1 });
    const e = await t.db.enrollments.get(enrollmentId);
    expect(e?.stepIndex).toBe(2); // on "Third", which is now at index 2
    expect(e?.edits.c?.body).toBe('<p>Ada, my own note</p>');
    expect(b).toBeDefined();

    await runUntil(t, NOW + 10 * DAY);
    expect(t.mail.sent.map((m) => [m.outgoing?.subject, m.outgoing?.html])).toEqual([
      ['First', '<p>Hi Ada</p>'],
      ['Re: First', '<p>Ada, my own note</p>'],
      ['Re: First', '<p>A new last one</p>'],
    ]);
    expect((await t.db.enrollments.get(enrollmentId))?.status).toBe('finished');
  });

  it('duplicates, archives and shares sequences, and the list follows live', async () => {
    const { t, seq, store, enrollmentId } = await runnerWithThreeEmails();
    const seen: { name: string; active: number; archived: boolean; sharing: string }[][] = [];
    const stop = store.watchList(
      (rows) =>
        seen.push(
          rows.map((r) => ({
            name: r.sequence.name,
            active: r.activeEnrollments,
            archived: r.sequence.archived,
            sharing: r.sequence.sharing,
          })),
        ),
      (error) => console.error(error),
    );
    await expect
      .poll(() => seen.at(-1))
      .toEqual([{ name: 'Test sequence', active: 1, archived: false, sharing: 'private' }]);
    t.clock.now += 1000;
    await store.duplicate(seq.id, 'Copy of Test sequence', 'seq-copy');
    await store.setArchived(seq.id, true);
    await store.setSharing('seq-copy', 'team');
    await expect
      .poll(() => seen.at(-1))
      .toEqual([
        { name: 'Copy of Test sequence', active: 0, archived: false, sharing: 'team' },
        { name: 'Test sequence', active: 1, archived: true, sharing: 'private' },
      ]);
    expect(enrollmentId).toBeTruthy();
    stop();
  });
});

describe('opening a stored sequence in the builder', () => {
  it('opens one whose call step was stored without a call script (older versions left it out): the script is empty, the rest as stored', async () => {
    const t = createTestRunner({ now: NOW });
    const seq = await addSequence(t.db, {
      steps: [
        emailStep('a'),
        { id: 'call', type: 'call', delay: { value: 1, unit: 'days' }, title: 'Ring Ada' },
      ],
    });
    const { callScript: _dropped, ...callWithoutScript } = seq.steps[1] as Extract<Step, { type: 'call' }>;
    await t.db.sequences.put({ ...seq, steps: [seq.steps[0]!, callWithoutScript as Step] });
    const store = createSequencesStore(t.db, { now: () => NOW, timeZone: 'Europe/London' });

    const opened = await store.load(seq.id);
    expect(opened?.steps[1]).toEqual({ ...callWithoutScript, callScript: '' });
    expect(opened?.steps[0]).toEqual(seq.steps[0]);
  });

  it('opens a stored step the current schema would refuse as it was stored, the other steps completed', async () => {
    const t = createTestRunner({ now: NOW });
    const seq = await addSequence(t.db, {
      steps: [emailStep('a'), { id: 'call', type: 'call', delay: { value: 1, unit: 'days' } }],
    });
    const { callScript: _dropped, ...callWithoutScript } = seq.steps[1] as Extract<Step, { type: 'call' }>;
    // A subject longer than today's limit, saved when there was none: the builder shows it for the rep to fix.
    const oldEmail = { ...seq.steps[0]!, subject: 'x'.repeat(600) } as Step;
    await t.db.sequences.put({ ...seq, steps: [oldEmail, callWithoutScript as Step] });
    const store = createSequencesStore(t.db, { now: () => NOW, timeZone: 'Europe/London' });

    const opened = await store.load(seq.id);
    expect(opened?.steps).toEqual([oldEmail, { ...callWithoutScript, callScript: '' }]);
  });

  it('answers nothing for a sequence that is not stored', async () => {
    const t = createTestRunner({ now: NOW });
    const store = createSequencesStore(t.db, { now: () => NOW, timeZone: 'Europe/London' });
    expect(await store.load('nope')).toBeUndefined();
  });
});
