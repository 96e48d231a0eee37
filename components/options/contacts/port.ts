import type { Contact } from '../../../lib/domain/contact';
import type { Enrollment } from '../../../lib/domain/enrollment';
import type { Rep } from '../../../lib/domain/rep';
import type { Sequence } from '../../../lib/domain/sequence';
import type { Task } from '../../../lib/domain/task';
import type { BatchPreview } from '../../../lib/options/batch-preview';
import type { PreflightResult } from '../../../lib/options/bulk-preflight';
import type { ContactIndex } from '../../../lib/options/contacts-index';
import type { TimelineEntry } from '../../../lib/options/contact-timeline';

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

/** What the Contacts tab needs from outside; lib/options/contacts.ts implements it over the local database. */
export interface ContactsPort {
  /** The index now and after every change of contacts, enrollments, sequences or the do-not-contact list. */
  watchIndex(onChange: (index: ContactIndex) => void, onError?: (error: unknown) => void): () => void;
  watchContact(id: string, onChange: (detail: ContactDetail | null) => void): () => void;
  /** Validates and saves; paused enrollments that were only waiting for a value it now has are resumed. */
  saveContact(contact: Contact): Promise<SaveContactResult>;
  rep(): Promise<Rep>;
  sequences(): Promise<Sequence[]>;
  preflight(req: BulkRequest): Promise<PreflightResult>;
  previewBatch(req: Omit<BulkRequest, 'candidates'> & { contacts: unknown[] }): Promise<BatchPreview>;
  enroll(
    req: Omit<BulkRequest, 'candidates'> & { contacts: unknown[]; leftOut: BulkReport['leftOut'] },
  ): Promise<BulkReport>;
  lastReport(): Promise<BulkReport | undefined>;
}
