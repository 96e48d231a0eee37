import type { CalendarInfo, ClassifyContext, InboundMessage, MeetingInfo } from './types';

// Without a calendar part, the notification e-mails of calendars and scheduling tools.
const INVITE_SUBJECT =
  /^(?:invitation|updated invitation|new event|einladung|aktualisierte einladung|invitación|invitacion|convite|uitnodiging|nouvel événement|meeting booked|new meeting booked|confirmed)\s*:/i;
const ACCEPTED_SUBJECT =
  /^(?:accepted|angenommen|accepté|aceptado|aceptada|aceito|aceita|geaccepteerd|tentative|tentatively accepted|mit vorbehalt angenommen|provisoire|provisional|provisório|voorlopig)\s*:/i;
const DECLINED_SUBJECT =
  /^(?:declined|abgelehnt|refusé|rechazado|rechazada|recusado|recusada|geweigerd|afgewezen|canceled|cancelled|abgesagt|annulé|cancelado|cancelada|geannuleerd)\s*(?:event)?\s*:/i;
const SCHEDULER =
  /\b(?:calendly|hubspot|chilipiper|chili piper|savvycal|youcanbook\.me|acuityscheduling|zcal|cal\.com)\b|has (?:booked|scheduled) (?:a|an|the) (?:meeting|call|event)|booked a meeting with you|a new event has been scheduled|new event scheduled/i;

export interface MeetingResult {
  kind: 'meeting' | 'declined';
  meeting?: MeetingInfo;
  signals: string[];
}

function fromCalendar(cal: CalendarInfo, ctx: ClassifyContext): MeetingResult | undefined {
  const reps = new Set((ctx.repAddresses ?? []).map((a) => a.toLowerCase()));
  const method = cal.method;
  if (method === 'REQUEST' || method === 'PUBLISH' || method === 'ADD') {
    // The rep's own invitation coming back (e.g. a copy) is not the contact booking anything.
    if (cal.organizer && reps.has(cal.organizer)) return undefined;
    return { kind: 'meeting', meeting: { method: 'REQUEST' }, signals: [`calendar:${method}`] };
  }
  if (method === 'REPLY') {
    const contact = ctx.contactEmail?.toLowerCase();
    const answer =
      cal.attendees.find((a) => a.partstat && contact && a.address === contact) ??
      cal.attendees.find((a) => a.partstat && !reps.has(a.address));
    const partstat = answer?.partstat;
    const meeting: MeetingInfo = partstat ? { method: 'REPLY', partstat } : { method: 'REPLY' };
    if (partstat === 'ACCEPTED' || partstat === 'TENTATIVE') {
      return { kind: 'meeting', meeting, signals: [`calendar:REPLY:${partstat}`] };
    }
    return { kind: 'declined', meeting, signals: [`calendar:REPLY:${partstat ?? 'none'}`] };
  }
  if (method === 'CANCEL')
    return { kind: 'declined', meeting: { method: 'CANCEL' }, signals: ['calendar:CANCEL'] };
  return undefined;
}

/**
 * A meeting booked: an iTIP REQUEST (invitation) or an ACCEPTED/TENTATIVE REPLY, or a scheduling tool's
 * notification. A decline or a cancellation comes back as 'declined' (the caller files it as a human reply).
 */
export function detectMeeting(msg: InboundMessage, ctx: ClassifyContext): MeetingResult | undefined {
  for (const cal of msg.calendars) {
    const r = fromCalendar(cal, ctx);
    if (r) return r;
  }
  const subject = msg.subject;
  if (DECLINED_SUBJECT.test(subject)) return { kind: 'declined', signals: ['subject:declined'] };
  if (ACCEPTED_SUBJECT.test(subject)) {
    return {
      kind: 'meeting',
      meeting: { method: 'REPLY', partstat: 'ACCEPTED' },
      signals: ['subject:accepted'],
    };
  }
  if (
    INVITE_SUBJECT.test(subject) &&
    (msg.calendars.length > 0 ||
      /@|calendar|kalender|calendrier|calendario|agenda|\d{1,2}:\d{2}/i.test(
        subject + msg.text.slice(0, 2000),
      ))
  ) {
    return { kind: 'meeting', meeting: { method: 'REQUEST' }, signals: ['subject:invitation'] };
  }
  if (
    SCHEDULER.test(`${msg.from?.address ?? ''} ${subject} ${msg.text.slice(0, 1500)}`) &&
    /\b(?:new event|booked|scheduled|confirmed|invitation)\b/i.test(subject)
  ) {
    return { kind: 'meeting', meeting: { method: 'REQUEST' }, signals: ['scheduler'] };
  }
  return undefined;
}
