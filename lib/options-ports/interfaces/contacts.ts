import type { Contact } from '../../domain/contact';
import type { Enrollment } from '../../domain/enrollment';
import type { Rep } from '../../domain/rep';
import type { Sequence } from '../../domain/sequence';
import type { Task } from '../../domain/task';
import type { BatchPreview } from '../batch-preview';
import type { PreflightResult } from '../bulk-preflight';
import type { ContactIndex } from '../contacts-index';
import type { TimelineEntry } from '../contact-timeline';

export type { BatchPreview, ContactIndex, PreflightResult, TimelineEntry };

export interface ContactDetail {
  contact: Contact;
  /** Why the address is on the do-not-contact list, when it is. */
  doNotContact?: string;
  enrollments: { enrollment: Enrollment; sequence?: Sequence }[];
  tasks: Task[];
  timeline: TimelineEntry[];
}

export type SaveContactResult =
  { ok: true; contact: Contact; resumed: number } | { ok: false; error: string };

export interface BulkRequest {
  sequenceId: string;
  /** 0-based. */
  startStep: number;
  /** The connected mailbox that sends; the rep's own when absent. */
  mailbox?: string;
  /** Contacts of the list, or `{ email }` for pasted addresses, with the rep's inline fixes applied. */
  candidates: unknown[];
}

/** What the runner answered for a bulk enrollment, kept so the rep can read it again later. */
export interface BulkReport {
  at: number;
  sequenceName: string;
  enrolled: { email: string; enrollmentId: string; contactId: string; firstDueAt?: number }[];
  rejected: { index: number; email?: string; reason: string; message: string }[];
  /** Contacts the rep left out at the preflight, with why. */
  leftOut: { email?: string; message: string }[];
}

/** What the Contacts tab needs from outside; lib/options-ports/contacts.ts implements it over the local database. */
export interface ContactsPort {
  /** The index now and after every change of contacts, enrollments, sequences or the do-not-contact list. */
  watchIndex(onChange: (index: ContactIndex) => void, onError?: (error: unknown) => void): () => void;
  watchContact(id: string, onChange: (detail: ContactDetail | null) => void): () => void;
  /** Validates and saves; paused enrollments that were only waiting for a value it now has are resumed. */
  saveContact(contact: Contact): Promise<SaveContactResult>;
  rep(): Promise<Rep>;
  /** The mailboxes connected on this device, which bulk enrollment can send from. */
  mailboxes(): Promise<string[]>;
  sequences(): Promise<Sequence[]>;
  preflight(req: BulkRequest): Promise<PreflightResult>;
  previewBatch(req: Omit<BulkRequest, 'candidates'> & { contacts: unknown[] }): Promise<BatchPreview>;
  enroll(
    req: Omit<BulkRequest, 'candidates'> & { contacts: unknown[]; leftOut: BulkReport['leftOut'] },
  ): Promise<BulkReport>;
  lastReport(): Promise<BulkReport | undefined>;
}
