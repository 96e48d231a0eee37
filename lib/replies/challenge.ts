import { fold } from './fold';
import type { InboundMessage } from './types';

// Challenge-response services: the sender must prove to be a person before the message is delivered.
const CHALLENGE_DOMAIN =
  /@(?:[a-z0-9-]+\.)*(?:boxbe\.com|bluebottle\.com|spamarrest\.com|mailblocks\.com|sendio\.com|choicemail\.com|spamcease\.com|mailwasher\.net|cleanmymailbox\.com|hes\.itmlabs\.com|ecmessenger\.com)$/i;
const CHALLENGE_HEADER =
  /^(?:x-boxbe-|x-spamarrest|x-bluebottle|x-mailblocks|x-challenge|x-sendio|x-choicemail)/i;
const CHALLENGE_SUBJECT =
  /\b(?:please verify|verification required|verify your (?:e-?mail|message|address)|sender verification|confirm your (?:e-?mail|message)|approval (?:needed|required)|waiting for (?:your )?(?:verification|approval)|guest list|please confirm (?:your|that)|challenge)\b/;
// Strong wording: a person almost never writes these to a stranger.
const CHALLENGE_TEXT = [
  /\b(?:verify|prove|confirm) (?:that )?you(?: are|'re) (?:a )?(?:human|real person|person|not a (?:robot|spammer|machine|computer))\b/,
  /\bchallenge[- ]response\b/,
  /\b(?:spam ?arrest|boxbe|bluebottle|mailblocks|sendio|choicemail)\b/,
  /\b(?:guest list|approved senders? list|allowed senders? list|whitelist|white list|safe senders? list)\b.{0,160}\b(?:click|verify|confirm|request|add)\b/,
  /\b(?:click|visit|follow) (?:the|this|on the)? ?(?:link|url|button)\b.{0,120}\b(?:deliver|verify|confirm|release)\b.{0,60}\b(?:message|e-?mail)\b/,
  /\byour (?:message|e-?mail) (?:is being held|has been held|will be delivered (?:once|after|when)|is pending|is waiting)\b/,
  /\bone[- ]time (?:verification|confirmation)\b/,
];

/**
 * Recognises a challenge-response request (Boxbe, Bluebottle, SpamArrest, Mailblocks and the like): the
 * contact's mailbox holds our message until we verify. A known service's domain or header is enough;
 * otherwise two of the strong phrases, or one with a verification subject, are needed (a person asking us to
 * "confirm" something is a reply).
 */
export function detectChallenge(msg: InboundMessage): string[] | undefined {
  const signals: string[] = [];
  if (msg.from && CHALLENGE_DOMAIN.test(msg.from.address)) signals.push('sender:challenge-service');
  if (msg.headers.some((h) => CHALLENGE_HEADER.test(h.name))) signals.push('header:challenge');
  const text = fold(`${msg.subject}\n${msg.text.slice(0, 6000)}`);
  const hits = CHALLENGE_TEXT.filter((re) => re.test(text)).length;
  const subject = CHALLENGE_SUBJECT.test(fold(msg.subject));
  if (signals.length > 0 && (hits > 0 || subject)) return [...signals, `content:challenge×${hits}`];
  if (hits >= 2 || (hits >= 1 && subject)) return [...signals, `content:challenge×${hits}`];
  return undefined;
}
