import type { Enrollment } from '../domain/enrollment';
import type { Sequence } from '../domain/sequence';

export type RejectReason =
  | 'invalid_contact'
  | 'do_not_contact'
  | 'already_in_sequence'
  | 'duplicate_in_request'
  | 'sequence_archived'
  | 'own_address'
  | 'too_many';

export const REJECT_MESSAGES: Record<RejectReason, string> = {
  invalid_contact: 'the contact is not valid',
  do_not_contact: 'the address is on the do-not-contact list',
  already_in_sequence: 'the contact is already active in a sequence (enroll with override to add anyway)',
  duplicate_in_request: 'the same address appears twice in this enrollment',
  sequence_archived: 'the sequence is archived',
  own_address: "that is the rep's own address",
  too_many: 'more contacts than one enrollment may take',
};

/**
 * Whether a contact may be enrolled: a contact is in at most one active sequence unless the rep overrides;
 * suppressed addresses never are (override does not lift do-not-contact).
 */
export function whyNotEnrollable(args: {
  email: string;
  sequence: Sequence;
  liveEnrollments: readonly Pick<Enrollment, 'sequenceId' | 'status'>[];
  suppressed: boolean;
  override: boolean;
  repEmail: string;
}): RejectReason | undefined {
  if (args.sequence.archived) return 'sequence_archived';
  if (args.email === args.repEmail) return 'own_address';
  if (args.suppressed) return 'do_not_contact';
  const live = args.liveEnrollments.filter((e) => e.status === 'active' || e.status === 'paused');
  // Even with override a contact is never twice in the same sequence at once.
  if (live.some((e) => e.sequenceId === args.sequence.id)) return 'already_in_sequence';
  if (live.length && !args.override) return 'already_in_sequence';
  return undefined;
}
