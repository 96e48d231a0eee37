import Papa from 'papaparse';
import { describe, expect, it } from 'vitest';
import type { Enrollment } from '../domain/enrollment';
import { SequenceSchema } from '../domain/sequence';
import { csvTable, enrollmentRow, filterRows } from './enrollment-rows';

const seq = SequenceSchema.parse({
  id: 'seq1',
  name: 'Q1',
  ownerId: 'sam',
  steps: [
    { id: 's1', type: 'auto_email', delay: { value: 0, unit: 'days' }, subject: 'Hi', body: 'x' },
    { id: 's2', type: 'call', delay: { value: 1, unit: 'days' }, title: 'Call them' },
  ],
});
const base: Enrollment = {
  id: 'e1',
  sequenceId: 'seq1',
  contactId: 'ada',
  mailbox: 'sam@seller.example',
  status: 'active',
  enrolledAt: 0,
  stepIndex: 0,
  dueAt: Date.parse('2026-03-02T09:00:00Z'),
  edits: {},
  messageIds: [],
  failures: 0,
  version: 1,
};
const ada = {
  id: 'ada',
  email: 'ada@acme.example',
  firstName: 'Ada',
  timeZone: 'America/New_York',
  custom: {},
};

describe('a sequence’s enrollment rows', () => {
  it('say what the engine does next and when', () => {
    const row = enrollmentRow(base, seq, ada, { at: 5, what: 'Email sent' });
    expect(row).toMatchObject({
      name: 'Ada',
      state: 'active',
      status: 'Active',
      step: '1. Email',
      next: 'Sends step 1',
      nextAt: base.dueAt,
      contactZone: 'America/New_York',
    });
  });

  it('name the exact problem of an enrollment that needs the rep, and a pause’s reason and end', () => {
    const stuck = enrollmentRow(
      {
        ...base,
        status: 'paused',
        pauseReason: 'needs_attention',
        detail: 'Step 1: no value for {{custom.industry}}',
      },
      seq,
      ada,
    );
    expect(stuck).toMatchObject({
      state: 'attention',
      status: 'Needs attention: Step 1: no value for {{custom.industry}}',
      next: 'Waits for the rep',
    });
    const away = enrollmentRow(
      {
        ...base,
        status: 'paused',
        pauseReason: 'out_of_office',
        pausedUntil: Date.parse('2026-03-09T00:00:00Z'),
      },
      seq,
      ada,
    );
    expect(away.status).toBe('Paused (out of office) until 2026-03-09');
    expect(away.next).toBe('Resumes by itself');
    const ended = enrollmentRow({ ...base, status: 'unenrolled', reason: 'replied' }, seq, ada);
    expect(ended.status).toBe('Ended: replied');
  });

  it('filter by status and step, and export as CSV with times on the rep’s clock', () => {
    const rows = [
      enrollmentRow(base, seq, ada),
      enrollmentRow({ ...base, id: 'e2', stepIndex: 1, status: 'paused', pauseReason: 'manual' }, seq, ada),
    ];
    expect(filterRows(rows, { state: 'paused' }).map((r) => r.id)).toEqual(['e2']);
    expect(filterRows(rows, { step: 1 }).map((r) => r.id)).toEqual(['e2']);
    const csv = Papa.unparse(csvTable(rows, 'Europe/London'));
    expect(csv.split('\r\n')[0]).toBe(
      'name,email,status,step,next,next_at (Europe/London),last_activity,last_activity_at (Europe/London)',
    );
    expect(csv).toContain('Ada,ada@acme.example,Active,1. Email,Sends step 1,2026-03-02T09:00:00');
  });
});
