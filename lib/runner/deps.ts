import type { ThreadlineDb } from '../db/database';
import type { AlarmPort } from '../platform/alarms';
import type { Event } from '../domain/event';
import type { Rep } from '../domain/rep';
import type { MailProvider, OutgoingMessage } from '../mail/provider';
import type { SendLease } from './lease';

export interface Clock {
  now(): number;
}

// The one chrome.alarms alarm the runner keeps: declared by the platform layer, which implements it.
export type { AlarmPort };

export interface RunnerDeps {
  db: ThreadlineDb;
  clock: Clock;
  alarm: AlarmPort;
  /** The provider for a rep's mailbox, or undefined when it is not connected. */
  mailFor(mailbox: string): MailProvider | undefined;
  /** The rep this device works for (time zone fallback, tokens). */
  rep(): Promise<Rep>;
  /** Team holiday calendar, added to every sequence's own holidays. */
  teamHolidays?(): Promise<readonly string[]>;
  /** Looks for replies in a mailbox right before sending, so nothing goes out after a reply already arrived. */
  checkReplies?(mailbox: string): Promise<void>;
  /** With several devices: only the holder of the mailbox's send lease sends (`holder` names this device). */
  lease?: { port: SendLease; holder: string };
  /** Called after each committed event (the simulator prints them; the UI may refresh). */
  onEvent?(event: Event): void;
  newId(): string;
  /** How long a claimed send is held before another attempt may settle it. */
  leaseMs?: number;
  /** Due enrollments handled per tick. */
  batchSize?: number;
  /**
   * The email as it leaves, from the payload the outbox holds: the team backend's tracking links and
   * unsubscribe link when signed in. Must not throw (on trouble it returns the message as it is); the
   * Message-ID never changes, so a retried attempt is still caught by the Message-ID look-up.
   */
  decorate?(
    message: OutgoingMessage,
    ref: { enrollmentId: string; stepIndex: number },
  ): Promise<OutgoingMessage>;
  /** Plain-text alternative of an HTML body. */
  htmlToText(html: string): string;
}

export const DEFAULT_LEASE_MS = 2 * 60_000;
export const DEFAULT_BATCH = 50;
/** A device without the lease looks again this much later. */
export const LEASE_RETRY_MS = 60_000;
