import { describe, expect, it } from 'vitest';
import { AutoEmailStepSchema } from '../domain/sequence';
import type { Enrollment } from '../domain/enrollment';
import { emailContent, replySubject, variantIndex } from './content';

const contact = { id: 'c', email: 'ada@acme.example', firstName: 'Ada', company: 'Acme', custom: {} };
const rep = { email: 'sam@seller.example', name: 'Sam Rep', timeZone: 'Europe/London' };
const enrollment = (id: string, patch: Partial<Enrollment> = {}): Enrollment => ({
  id,
  sequenceId: 's',
  contactId: 'c',
  mailbox: rep.email,
  status: 'active',
  enrolledAt: 0,
  stepIndex: 0,
  edits: {},
  messageIds: [],
  failures: 0,
  version: 0,
  ...patch,
});
const step = AutoEmailStepSchema.parse({
  id: 'step-1',
  type: 'auto_email',
  delay: { value: 0, unit: 'minutes' },
  subject: 'Hi {{contact.firstName}}',
  body: '<p>About {{company.name}}</p>',
  variants: [
    { id: 'A', subject: 'A: {{contact.firstName}}', body: 'a' },
    { id: 'B', subject: 'B: {{contact.firstName}}', body: 'b' },
    { id: 'C', subject: 'C: {{contact.firstName}}', body: 'c' },
  ],
});

describe('what a contact receives', () => {
  it('gives each enrollment one A/B variant, always the same, spread evenly across enrollments', () => {
    const counts = [0, 0, 0];
    for (let i = 0; i < 3000; i++) {
      const v = variantIndex(`e${i}`, step)!;
      counts[v] = (counts[v] ?? 0) + 1;
    }
    for (const n of counts) expect(n).toBeGreaterThan(850);
    expect(variantIndex('e42', step)).toBe(variantIndex('e42', step));
    const r = emailContent(enrollment('e42'), step, 1, contact, rep);
    expect(r.ok && r.email.subject).toBe(`${'ABC'[variantIndex('e42', step)!]}: Ada`);
  });

  it('uses the rep’s own edit for this contact over the template and the variants', () => {
    const r = emailContent(
      enrollment('e1', { edits: { 'step-1': { subject: 'Ada, one idea', body: '<p>Custom</p>' } } }),
      step,
      1,
      contact,
      rep,
    );
    expect(r).toEqual({
      ok: true,
      email: {
        subject: 'Ada, one idea',
        html: '<p>Custom</p>',
        inThread: false,
        variant: variantIndex('e1', step),
      },
    });
  });

  it('replies in the thread with the first email’s subject', () => {
    const plain = AutoEmailStepSchema.parse({ ...step, variants: [] });
    const r = emailContent(
      enrollment('e1', { threadId: 't', threadSubject: 'Hi Ada' }),
      plain,
      2,
      contact,
      rep,
    );
    expect(r.ok && r.email).toMatchObject({ subject: 'Re: Hi Ada', inThread: true });
    expect(replySubject('RE: Hi Ada')).toBe('RE: Hi Ada');
  });

  it('refuses an email with a missing token or no subject, naming the step', () => {
    const noName = { ...contact, firstName: undefined };
    const plain = AutoEmailStepSchema.parse({ ...step, variants: [] });
    expect(emailContent(enrollment('e1'), plain, 3, noName, rep)).toEqual({
      ok: false,
      problem: 'Step 3: no value for {{contact.firstName}}',
    });
    const blank = AutoEmailStepSchema.parse({ ...plain, subject: '  ' });
    expect(emailContent(enrollment('e1'), blank, 1, contact, rep)).toEqual({
      ok: false,
      problem: 'Step 1: the email has no subject',
    });
  });
});
