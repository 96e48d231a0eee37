import type { Mutation } from '../../lib/contract/sync';

/**
 * The smallest push that gives a rep something to track: a contact, a one-email sequence and the contact's
 * enrollment in it (ids `c`, `q`, `e` unless given), as mutations 1 to 3.
 */
export function oneEnrollment(options: {
  mailbox: string;
  email?: string;
  enrolledAt?: number;
  ids?: { contact: string; sequence: string; enrollment: string };
}): Mutation[] {
  const ids = options.ids ?? { contact: 'c', sequence: 'q', enrollment: 'e' };
  return [
    { id: 1, name: 'contact.upsert', args: { id: ids.contact, email: options.email ?? 'lead@acme.test' } },
    {
      id: 2,
      name: 'sequence.upsert',
      args: {
        id: ids.sequence,
        name: 'Intro',
        steps: [{ id: 's', type: 'auto_email', delay: { value: 0, unit: 'days' } }],
      },
    },
    {
      id: 3,
      name: 'enroll',
      args: {
        id: ids.enrollment,
        sequenceId: ids.sequence,
        contactId: ids.contact,
        mailbox: options.mailbox,
        status: 'active',
        enrolledAt: options.enrolledAt ?? 1,
        stepIndex: 0,
      },
    },
  ];
}
