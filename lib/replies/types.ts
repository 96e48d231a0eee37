/** A mailbox as written in From/To/Cc; `address` is lower-cased. */
export interface MailAddress {
  address: string;
  name: string;
}

/** One header field; `name` is lower-cased, repeated fields are kept in document order. */
export interface HeaderField {
  name: string;
  value: string;
}

/** One recipient block of an RFC 3464 delivery-status part. */
export interface DsnRecipient {
  finalRecipient?: string;
  originalRecipient?: string;
  action?: string;
  status?: string;
  diagnosticCode?: string;
}

export interface DeliveryStatus {
  reportingMta?: string;
  recipients: DsnRecipient[];
}

export interface CalendarAttendee {
  address: string;
  partstat?: string;
}

export interface CalendarInfo {
  method?: string;
  organizer?: string;
  attendees: CalendarAttendee[];
  summary?: string;
}

/**
 * An inbound message reduced to what classification needs. Plain data (JSON-serialisable), so it can be
 * stored, logged in tests and built by hand.
 */
export interface InboundMessage {
  headers: HeaderField[];
  from?: MailAddress;
  to: MailAddress[];
  cc: MailAddress[];
  subject: string;
  /** The Date header as written (keeps the sender's UTC offset, which the return-date rule needs). */
  date?: string;
  messageId?: string;
  inReplyTo?: string;
  references: string[];
  /** Lower-cased media type of the whole message, e.g. `multipart/report`. */
  contentType: string;
  /** `report-type` parameter of a multipart/report, lower-cased. */
  reportType?: string;
  /** The plain text body, or the HTML body turned into text (quoted blocks prefixed with "> "). */
  text: string;
  html?: string;
  /** RFC 3464 message/delivery-status (or message/global-delivery-status) fields. */
  deliveryStatus?: DeliveryStatus;
  /** Headers of the returned original message (message/rfc822 or text/rfc822-headers part). */
  originalHeaders?: HeaderField[];
  /** text/calendar parts (iTIP, RFC 5546). */
  calendars: CalendarInfo[];
  /** RFC 5965 message/feedback-report fields (lower-cased names). */
  feedbackReport?: HeaderField[];
  /** RFC 8098 message/disposition-notification fields (lower-cased names). */
  dispositionNotification?: HeaderField[];
  /** Media types of every non-text part, for debugging and rules. */
  partTypes: string[];
}

export type ClassificationKind =
  | 'human_reply'
  | 'auto_reply'
  | 'out_of_office'
  | 'bounce'
  | 'meeting'
  | 'unsubscribe_request'
  /** An ARF / feedback-loop report (RFC 5965, Hotmail/Outlook JMRP): the contact marked our mail as spam. */
  | 'complaint'
  /** A challenge-response system (Boxbe, Bluebottle, SpamArrest...) asking the sender to verify. */
  | 'challenge'
  | 'other';

/**
 * Why a message bounced: the public reason names of the Sisimai bounce parser's taxonomy
 * (https://libsisimai.org/en/reason/). Only userunknown, hostunknown, hasmoved and notaccept mean the
 * address cannot receive mail (see PERMANENT_REASONS); 'undefined' is Sisimai's name for "not known".
 */
export const BOUNCE_REASONS = [
  'userunknown',
  'hostunknown',
  'hasmoved',
  'notaccept',
  'suspend',
  'mailboxfull',
  'filtered',
  'blocked',
  'rejected',
  'spamdetected',
  'policyviolation',
  'securityerror',
  'authfailure',
  'badreputation',
  'requireptr',
  'notcompliantrfc',
  'contenterror',
  'mesgtoobig',
  'exceedlimit',
  'expired',
  'networkerror',
  'systemerror',
  'systemfull',
  'toomanyconn',
  'speeding',
  'suppressed',
  'norelaying',
  'syntaxerror',
  'mailererror',
  'virusdetected',
  'failedstarttls',
  'undefined',
] as const;
export type BounceReason = (typeof BOUNCE_REASONS)[number];

/** The reasons that mean the address itself cannot receive mail: the only ones that suppress it. */
export const PERMANENT_REASONS: ReadonlySet<BounceReason> = new Set<BounceReason>([
  'userunknown',
  'hostunknown',
  'hasmoved',
  'notaccept',
]);

export interface BounceInfo {
  /** The failed address, lower-cased; empty when no server said which. */
  recipient: string;
  /**
   * The address cannot receive mail (reason userunknown, hostunknown, hasmoved or notaccept): only then is it
   * put on the do-not-contact list. Every other failure ends the sequence but leaves the address usable.
   */
  permanent: boolean;
  /** Sisimai reason name; 'undefined' when nothing says why. */
  reason: BounceReason;
  /** RFC 3463 enhanced status code, e.g. `5.1.1`. */
  status?: string;
  /** SMTP reply code, e.g. `550`. */
  smtpCode?: string;
  /** The server's diagnostic, one short line (at most 300 characters). */
  diagnostic?: string;
  /** A delay warning (DSN Action: delayed): not terminal, the server is still trying. */
  delayed?: boolean;
}

export interface MeetingInfo {
  method: 'REQUEST' | 'REPLY' | 'CANCEL';
  partstat?: string;
}

export interface Classification {
  kind: ClassificationKind;
  /** YYYY-MM-DD, out_of_office only, when the text states one. */
  returnDate?: string;
  bounce?: BounceInfo;
  complaint?: ComplaintInfo;
  meeting?: MeetingInfo;
  /** Short reasons, for debugging. */
  signals: string[];
}

/** What a feedback-loop report says (RFC 5965 fields). */
export interface ComplaintInfo {
  /** Feedback-Type, lower-cased (abuse, fraud, virus, other, not-spam...); 'abuse' when the report does not say. */
  feedbackType: string;
  /** The address the complained-about message was sent to, when the report says (often redacted). */
  recipient?: string;
  /** Who sent the report, e.g. the mailbox provider's feedback loop. */
  reporter?: string;
}

/**
 * The top-level header block only, for the watcher's first, cheap decision (is it in a watched thread, from
 * an enrolled contact, a DSN, an auto-reply) before any body is read.
 */
export interface ParsedHeaders {
  headers: HeaderField[];
  from?: MailAddress;
  to: MailAddress[];
  cc: MailAddress[];
  subject: string;
  messageId?: string;
  inReplyTo?: string;
  references: string[];
  /** Lower-cased media type, e.g. `multipart/report`; `text/plain` when absent. */
  contentType: string;
  date?: string;
}

export interface ClassifyContext {
  contactEmail?: string;
  repAddresses?: string[];
}
