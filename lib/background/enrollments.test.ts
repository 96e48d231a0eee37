import { describe, expect, it } from 'vitest';
import { isMailPage, mailHostsFor } from '../hosts/mail-hosts';
import { listen, send, type Runtime, type Sender } from '../protocol/endpoints';
import { enrollContacts } from '../runner/enroll';
import { addSequence, ANY_TIME, createTestRunner, emailStep, runUntil } from '../runner/testing';
import { enrollmentsHandlers } from './enrollments';

const NOW = Date.parse('2026-03-02T10:00:00Z');

function fakeRuntime(sender: Sender): Runtime {
  let listener: ((m: unknown, s: Sender) => Promise<unknown> | undefined) | undefined;
  return {
    id: 'ext-id',
    sendMessage: async (m) => listener?.(m, sender),
    onMessage: { addListener: (cb) => void (listener = cb) },
  };
}

async function setUp(sender: Sender) {
  const t = createTestRunner({ now: NOW });
  await addSequence(t.db, {
    settings: ANY_TIME,
    steps: [
      emailStep('a'),
      emailStep('b', { value: 2, unit: 'days' }),
      emailStep('c', { value: 1, unit: 'days' }),
    ],
  });
  const report = await enrollContacts(t.deps, {
    sequenceId: 'seq-1',
    contacts: ['ada', 'bo', 'cy'].map((n) => ({ email: `${n}@acme.example`, firstName: n })),
  });
  await runUntil(t, NOW + 60_000);
  const ids = report.enrolled.map((r) => r.enrollmentId);
  let ticks = 0;
  const rt = fakeRuntime(sender);
  listen(
    rt,
    enrollmentsHandlers({
      runner: t.deps,
      tick: async () => ticks++,
      queueChanged: () => {},
      now: () => t.clock.now,
    }),
    (url) => isMailPage(url, mailHostsFor('production')),
  );
  return { ...t, ids, rt, ticks: () => ticks };
}

describe('enrollments.move from the options page', () => {
  it('moves each selected enrollment and names every one refused, with why', async () => {
    const t = await setUp({ id: 'ext-id', url: 'chrome-extension://ext-id/options.html' });
    await t.db.enrollments.update(t.ids[2]!, { status: 'unenrolled', reason: 'replied' });
    const answer = await send(t.rt, 'enrollments.move', { enrollmentIds: t.ids, toStep: 2 });
    expect(answer).toEqual({ moved: 2, refused: [{ id: t.ids[2], error: 'It has ended (replied)' }] });
    expect((await t.db.enrollments.bulkGet(t.ids)).map((e) => e?.stepIndex)).toEqual([2, 2, 1]);
    expect(t.ticks()).toBe(1);
  });

  it('is refused to a script on a mail page, which cannot move anyone', async () => {
    const t = await setUp({ id: 'ext-id', url: 'https://mail.google.com/mail/u/0/#inbox' });
    await expect(send(t.rt, 'enrollments.move', { enrollmentIds: t.ids, toStep: 2 })).rejects.toThrow(
      "refused: enrollments.move is for the extension's own pages",
    );
    expect((await t.db.enrollments.bulkGet(t.ids)).map((e) => e?.stepIndex)).toEqual([1, 1, 1]);
  });
});
