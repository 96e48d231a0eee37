import { autoSignals, saysAutomatic, saysAway, saysAwayAlone } from './auto-reply';
import { detectBounce, fromDaemon } from './bounce';
import { detectChallenge } from './challenge';
import { detectComplaint } from './complaint';
import { parseMessageDate, type MessageDate } from './calendar-date';
import { fold } from './fold';
import { fieldValue } from './header-block';
import { detectMeeting } from './meeting';
import { newText } from './quotes';
import { findReturnDate } from './return-date';
import type { Classification, ClassifyContext, InboundMessage } from './types';
import { asksToStop } from './unsubscribe';

const READ_RECEIPT_SUBJECT =
  /^(?:read|not read|gelesen|ungelesen|lu|non lu|leído|leido|no leído|lida|não lida|gelezen|niet gelezen|read receipt|return receipt|lesebestätigung|accusé de lecture)\s*:/i;

function messageDate(msg: InboundMessage): MessageDate | undefined {
  const own = parseMessageDate(msg.date);
  if (own) return own;
  // No Date header: the newest Received stamp is the next best thing.
  const received = msg.headers.find((h) => h.name === 'received')?.value;
  return parseMessageDate(received?.slice(received.lastIndexOf(';') + 1));
}

function outOfOffice(msg: InboundMessage, own: string, signals: string[]): Classification {
  const returnDate = findReturnDate(`${msg.subject}\n${own}`, messageDate(msg));
  return returnDate ? { kind: 'out_of_office', returnDate, signals } : { kind: 'out_of_office', signals };
}

/**
 * Sorts one inbound message into what the sequence should do about it. The order of the rules is the
 * point: see README.md. Pure and synchronous; `msg` comes from parseInbound.
 */
export function classify(msg: InboundMessage, ctx: ClassifyContext = {}): Classification {
  const reps = new Set((ctx.repAddresses ?? []).map((a) => a.trim().toLowerCase()));
  if (msg.from && reps.has(msg.from.address)) return { kind: 'other', signals: ['sender:rep'] };

  const complaint = detectComplaint(msg);
  if (complaint === 'not-a-complaint') return { kind: 'other', signals: ['arf:not-a-complaint'] };
  if (complaint) return { kind: 'complaint', complaint, signals: ['complaint'] };

  const bounce = detectBounce(msg, ctx);
  if (bounce?.kind === 'bounce') return { kind: 'bounce', bounce: bounce.bounce, signals: bounce.signals };
  if (bounce?.kind === 'delivery_report') return { kind: 'other', signals: bounce.signals };

  const challenge = detectChallenge(msg);
  if (challenge) return { kind: 'challenge', signals: challenge };

  // A report or a mail system's own message that is not a failure (a success or relay notice, a status
  // report) is never a person's reply.
  if (
    msg.contentType === 'multipart/report' ||
    msg.reportType === 'delivery-status' ||
    msg.deliveryStatus ||
    fromDaemon(msg)
  ) {
    return { kind: 'other', signals: ['report-or-mail-system'] };
  }

  if (msg.dispositionNotification || msg.reportType === 'disposition-notification') {
    return { kind: 'other', signals: ['mdn'] };
  }
  if (READ_RECEIPT_SUBJECT.test(msg.subject)) return { kind: 'other', signals: ['subject:read-receipt'] };

  const meeting = detectMeeting(msg, ctx);
  if (meeting?.kind === 'meeting') {
    return meeting.meeting
      ? { kind: 'meeting', meeting: meeting.meeting, signals: meeting.signals }
      : { kind: 'meeting', signals: meeting.signals };
  }

  const own = newText(msg.text);
  const foldedOwn = fold(own);
  const auto = autoSignals(msg);
  const signals = [...auto.signals];
  const listy = !!fieldValue(msg.headers, 'list-id') || !!fieldValue(msg.headers, 'list-unsubscribe');
  const notReply =
    !msg.inReplyTo && msg.references.length === 0 && !/^(?:re|aw|antw|sv|rif|r)\s*:/i.test(msg.subject);
  const away = auto.oooSubject || saysAway(`${fold(msg.subject)}\n${foldedOwn}`);

  if (auto.auto) {
    // Precedence: bulk and friends on a non-reply with list headers is a newsletter, whatever it says.
    if (auto.weakOnly && listy && notReply) return { kind: 'other', signals: [...signals, 'list'] };
    if (away) return outOfOffice(msg, own, [...signals, 'content:away']);
    if (saysAutomatic(foldedOwn, false))
      return { kind: 'auto_reply', signals: [...signals, 'content:automatic'] };
    // X-Auto-Response-Suppress alone is set by some clients on ordinary mail: not enough by itself.
    const onlySuppress = auto.weakOnly && signals.every((s) => s === 'header:x-auto-response-suppress');
    if (!onlySuppress) return { kind: 'auto_reply', signals };
  }
  if (!auto.humanDeclared) {
    // A person may write "I'm out of office next week, can we talk after?": without headers, a question to
    // the reader (other than the usual "urgent?" redirect) keeps the message a human reply.
    const asks =
      own.slice(0, 400).includes('?') && !/urgent|dringend|urgence|urgente|spoed|immediate/.test(foldedOwn);
    const shortWithDate = own.length < 800 && !!outOfOffice(msg, own, []).returnDate;
    if (!asks && (saysAwayAlone(foldedOwn) || (away && shortWithDate))) {
      return outOfOffice(msg, own, [...signals, 'content:away-without-headers']);
    }
    if (saysAutomatic(foldedOwn, true))
      return { kind: 'auto_reply', signals: [...signals, 'content:automatic'] };
  }
  if (listy && notReply) return { kind: 'other', signals: [...signals, 'list'] };

  const stop = asksToStop(foldedOwn, fold(msg.subject));
  if (stop.match) return { kind: 'unsubscribe_request', signals: [...signals, stop.signal ?? 'stop'] };

  if (meeting?.meeting)
    return { kind: 'human_reply', meeting: meeting.meeting, signals: [...signals, ...meeting.signals] };
  return { kind: 'human_reply', signals };
}
