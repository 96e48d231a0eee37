import { firstEmail } from './addresses';
import { fieldValue } from './header-block';
import type { ComplaintInfo, InboundMessage } from './types';

// Microsoft's Junk Mail Reporting Program (JMRP) and the older Hotmail feedback loop send the complained-about
// message as an attachment from a staff address, with an "abuse report" text and no ARF part.
const JMRP_SENDER = /@(?:[a-z0-9-]+\.)*(?:hotmail|outlook|msn|live)\.com$/i;
const ABUSE_SUBJECT =
  /^(?:complaint about message from|abuse report|email abuse report|spam report|fbl report)/i;
const ABUSE_TEXT =
  /this is an e-?mail abuse report|this is a spam report|feedback[- ]loop|was reported as (?:spam|junk)|marked (?:it|this message|as) (?:as )?(?:spam|junk)|complaint about (?:a )?message/i;

/** Feedback types that are a person's complaint (RFC 5965 section 7.3); auth-failure and not-spam are not. */
const COMPLAINT_TYPES = new Set(['abuse', 'fraud', 'virus', 'other', 'opt-out', 'optout', 'unsubscribe']);

/**
 * Recognises a feedback-loop complaint: an ARF report (RFC 5965: multipart/report; report-type=feedback-report,
 * from Yahoo's CFL, AOL, Comcast, Fastmail, Mail.ru...) or Microsoft's JMRP/Hotmail report (the original
 * attached, X-HmXmrOriginalRecipient in its headers). The contact marked our message as spam.
 */
export function detectComplaint(msg: InboundMessage): ComplaintInfo | 'not-a-complaint' | undefined {
  const original = msg.originalHeaders;
  if (msg.feedbackReport || msg.reportType === 'feedback-report') {
    const fields = msg.feedbackReport ?? [];
    const type = (fieldValue(fields, 'feedback-type') ?? 'abuse').trim().toLowerCase();
    if (!COMPLAINT_TYPES.has(type)) return 'not-a-complaint';
    const info: ComplaintInfo = { feedbackType: type };
    const recipient =
      firstEmail(fieldValue(fields, 'original-rcpt-to')) ??
      firstEmail(fieldValue(original, 'x-hmxmroriginalrecipient')) ??
      firstEmail(fieldValue(original, 'to'));
    if (recipient) info.recipient = recipient;
    const reporter = fieldValue(fields, 'user-agent') ?? fieldValue(fields, 'reporting-mta');
    if (reporter) info.reporter = reporter.slice(0, 200);
    return info;
  }
  const hmx = fieldValue(original, 'x-hmxmroriginalrecipient');
  const jmrp =
    !!msg.from &&
    JMRP_SENDER.test(msg.from.address) &&
    (ABUSE_SUBJECT.test(msg.subject) || ABUSE_TEXT.test(msg.text.slice(0, 4000)));
  const generic =
    msg.partTypes.includes('message/rfc822') &&
    ABUSE_SUBJECT.test(msg.subject) &&
    ABUSE_TEXT.test(msg.text.slice(0, 4000));
  if (!hmx && !jmrp && !generic) return undefined;
  if (hmx && !jmrp && !generic && !ABUSE_TEXT.test(msg.text.slice(0, 4000))) return undefined;
  const info: ComplaintInfo = { feedbackType: 'abuse' };
  const recipient = firstEmail(hmx) ?? firstEmail(fieldValue(original, 'to'));
  if (recipient) info.recipient = recipient;
  if (msg.from) info.reporter = msg.from.address;
  return info;
}
