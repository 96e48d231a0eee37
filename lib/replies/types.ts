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
  'human_reply' | 'auto_reply' | 'out_of_office' | 'bounce' | 'meeting' | 'unsubscribe_request' | 'other';

export interface BounceInfo {
  /** The failed address, lower-cased; empty when no server said which. */
  recipient: string;
  permanent: boolean;
  /** RFC 3463 enhanced status code, e.g. `5.1.1`. */
  status?: string;
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
  meeting?: MeetingInfo;
  /** Short reasons, for debugging. */
  signals: string[];
}

export interface ClassifyContext {
  contactEmail?: string;
  repAddresses?: string[];
}
