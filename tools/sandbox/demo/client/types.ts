/** The demo inbox's JSON, as the sandbox serves it (GET /demo/api/mailbox) and the page renders it. */

export interface DemoPerson {
  name: string;
  address: string;
  /** In the mailbox's own organisation: Outlook shows such people by name only (HOSTS.md). */
  colleague: boolean;
}

export interface DemoMessage {
  /** Graph's immutable id of the message in the sandbox. */
  id: string;
  from: DemoPerson;
  to: DemoPerson[];
  cc: DemoPerson[];
  /** Milliseconds since the epoch. */
  date: number;
  subject: string;
  /** The plain-text body (rendered as text, never as HTML). */
  text: string;
  folder: 'inbox' | 'sentitems';
}

export interface DemoConversation {
  /** Graph's `conversationId`. */
  id: string;
  /** The same id in the EWS form Outlook puts in `data-convid` (`_` → `+`, `-` → `/`). */
  ewsId: string;
  subject: string;
  lastAt: number;
  preview: string;
  /** Newest first, as Outlook's conversation view shows them by default. */
  messages: DemoMessage[];
  /** Outside people of the conversation, who can be simulated answering. */
  contacts: DemoPerson[];
}

export interface DemoMailbox {
  address: string;
  name: string;
  /** Changes whenever a message arrives or leaves: the page re-renders only then. */
  version: string;
  conversations: DemoConversation[];
}

export type SimulateKind = 'reply' | 'out_of_office' | 'bounce';

export interface SimulateRequest {
  conversationId: string;
  contact: string;
  kind: SimulateKind;
}
