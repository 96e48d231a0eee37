import type { Contact } from '../../lib/domain/contact';
import { enroll } from '../strings';
import { contactLabel, timeZoneInvalid, type ContactDraft } from './contact-details';
import { FIELD_OF_TOKEN, type EmailProblem } from './email-problems';

/** One sentence per problem, each saying what is wrong and how to fix it. */
export function describeProblem(p: EmailProblem, nameContact: boolean): string {
  switch (p.kind) {
    case 'unknown':
      return `${enroll.unknown(p.stepIndex, p.token)} ${enroll.fixUnknown(p.token)}`;
    case 'no_subject':
      return enroll.noSubject(p.stepIndex);
    case 'missing': {
      const field = FIELD_OF_TOKEN[p.token];
      const fix = field ? enroll.fixWithField(enroll.field[field], p.token) : enroll.fixWithFallback(p.token);
      return `${enroll.missing(p.stepIndex, p.token, nameContact ? contactLabel(p.contact) : undefined)} ${fix}`;
    }
  }
}

/** Everything that keeps the submit button disabled, in the order the rep meets it on screen. */
export function blockersOf(input: {
  hasSequence: boolean;
  problems: EmailProblem[];
  contacts: Contact[];
  drafts: Readonly<Record<string, ContactDraft>>;
  startLater: boolean;
  startAt: number | undefined;
  now: number;
}): string[] {
  const out: string[] = [];
  if (!input.hasSequence) out.push(enroll.chooseSequence);
  for (const c of input.contacts) {
    const zone = input.drafts[c.id]?.timeZone ?? '';
    if (timeZoneInvalid(zone)) out.push(`${contactLabel(c)}: ${enroll.timeZoneInvalid(zone)}`);
  }
  for (const p of input.problems) out.push(describeProblem(p, input.contacts.length > 1));
  if (input.startLater && input.startAt === undefined) out.push(enroll.chooseTime);
  else if (input.startAt !== undefined && input.startAt < input.now) out.push(enroll.timeInPast);
  return out;
}
