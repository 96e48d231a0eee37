import { describe, expect, it } from 'vitest';
import { enrollContacts, MAX_BULK_ENROLL } from './enroll';
import { addSequence, createTestRunner, emailStep } from './testing';
import { tick } from './tick';

const NOW = Date.parse('2026-03-02T10:00:00Z');

async function setUp() {
  const t = createTestRunner({ now: NOW });
  await addSequence(t.db, { steps: [emailStep('a'), emailStep('b', { value: 2, unit: 'business_days' })] });
  await addSequence(t.db, { id: 'seq-2', name: 'Other', steps: [emailStep('x')] });
  return t;
}

describe('enrolling contacts', () => {
  it('enrolls 1,000 contacts in one action and lists every one that cannot be enrolled, with its reason', async () => {
    const t = await setUp();
    await t.db.suppressions.put({ email: 'blocked@x.example', reason: 'unsubscribed', at: 0 });
    await enrollContacts(t.deps, { sequenceId: 'seq-2', contacts: [{ email: 'busy@x.example' }] });
    const contacts: unknown[] = Array.from({ length: 996 }, (_, i) => ({
      email: `p${i}@bulk.example`,
      firstName: `P${i}`,
    }));
    contacts.push(
      { email: 'not-an-address' },
      { email: 'p1@bulk.example' },
      { email: 'blocked@x.example' },
      { email: 'busy@x.example' },
    );
    contacts.push({ email: 'one-too-many@x.example' });

    const report = await enrollContacts(t.deps, { sequenceId: 'seq-1', contacts });
    expect(report.enrolled).toHaveLength(996);
    expect(report.rejected.map((r) => [r.index, r.reason])).toEqual([
      [996, 'invalid_contact'],
      [997, 'duplicate_in_request'],
      [998, 'do_not_contact'],
      [999, 'already_in_sequence'],
      [MAX_BULK_ENROLL, 'too_many'],
    ]);
    expect(report.rejected[0]!.message).toBe('contacts.996.email: is not a valid email address');
    expect(await t.db.enrollments.where('sequenceId').equals('seq-1').count()).toBe(996);
  });

  it('enrolls a contact active elsewhere when the rep overrides, but never twice in the same sequence', async () => {
    const t = await setUp();
    await enrollContacts(t.deps, { sequenceId: 'seq-2', contacts: [{ email: 'busy@x.example' }] });
    const report = await enrollContacts(t.deps, {
      sequenceId: 'seq-1',
      contacts: [{ email: 'busy@x.example' }],
      override: true,
    });
    expect(report.enrolled).toHaveLength(1);
    const again = await enrollContacts(t.deps, {
      sequenceId: 'seq-1',
      contacts: [{ email: 'busy@x.example' }],
      override: true,
    });
    expect(again.rejected[0]?.reason).toBe('already_in_sequence');
  });

  it('re-enrolls a finished contact at any step', async () => {
    const t = await setUp();
    await enrollContacts(t.deps, {
      sequenceId: 'seq-2',
      contacts: [{ email: 'ada@x.example', firstName: 'Ada' }],
    });
    await tick(t.deps);
    expect((await t.db.enrollments.toArray())[0]!.status).toBe('finished');
    const report = await enrollContacts(t.deps, {
      sequenceId: 'seq-1',
      contacts: [{ email: 'ada@x.example' }],
      startStep: 1,
    });
    const e = await t.db.enrollments.get(report.enrolled[0]!.enrollmentId);
    expect(e?.stepIndex).toBe(1);
    // Step 2's delay (two business days) counts from the enrollment.
    expect(e?.dueAt).toBe(Date.parse('2026-03-04T10:00:00Z'));
  });

  it('keeps what it knew about an existing contact and adds what is new', async () => {
    const t = await setUp();
    await enrollContacts(t.deps, {
      sequenceId: 'seq-2',
      contacts: [{ email: 'ada@x.example', firstName: 'Ada', timeZone: 'Asia/Kolkata' }],
    });
    await tick(t.deps);
    await enrollContacts(t.deps, {
      sequenceId: 'seq-1',
      contacts: [{ email: 'ADA@x.example', company: 'Acme' }],
    });
    const all = await t.db.contacts.toArray();
    expect(all).toHaveLength(1);
    expect(all[0]).toMatchObject({
      email: 'ada@x.example',
      firstName: 'Ada',
      company: 'Acme',
      timeZone: 'Asia/Kolkata',
      domain: 'x.example',
    });
  });

  it('refuses an archived sequence and the rep’s own address', async () => {
    const t = await setUp();
    await addSequence(t.db, { id: 'old', archived: true, steps: [emailStep('z')] });
    expect(
      (await enrollContacts(t.deps, { sequenceId: 'old', contacts: [{ email: 'a@x.example' }] })).rejected[0]
        ?.reason,
    ).toBe('sequence_archived');
    expect(
      (await enrollContacts(t.deps, { sequenceId: 'seq-1', contacts: [{ email: t.rep.email }] })).rejected[0]
        ?.reason,
    ).toBe('own_address');
  });
});
