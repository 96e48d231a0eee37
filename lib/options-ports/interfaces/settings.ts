import type { ContactImportReport, ContactImportRequest } from '@/lib/options-ports/contacts-import';
import type { SequenceDefaults } from '@/lib/db/settings';
import type { RejectedEntry, RejectedRow } from '@/lib/options-ports/suppressions';
import type { Suppression } from '@/lib/domain/suppression';

export type { ContactImportReport, ContactImportRequest, SequenceDefaults, RejectedEntry, RejectedRow };
export type DncEntry = Suppression;

/** Who the rep is: the sender name, the fallback clock, and the {{rep.signature}} token (plain text). */
export interface Profile {
  name: string;
  email: string;
  timeZone: string;
  signature: string;
}

export interface DncAddResult {
  added: string[];
  alreadyListed: string[];
  rejected: RejectedEntry[];
  /** Live enrollments of those contacts that were stopped. */
  stopped: number;
}

export interface DncImportResult {
  added: number;
  alreadyListed: number;
  stopped: number;
  rejected: RejectedRow[];
}

/** Everything the Settings page reads and writes; lib/options-ports/settings-port.ts implements it over the database. */
export interface SettingsPort {
  loadDefaults(): Promise<{ profile: Profile; sequence: SequenceDefaults }>;
  /** Throws an Error naming each bad field. */
  saveDefaults(profile: Profile, sequence: SequenceDefaults): Promise<void>;
  loadHolidays(): Promise<string[]>;
  saveHolidays(dates: string[]): Promise<string[]>;
  loadUnsubscribeLink(): Promise<boolean>;
  saveUnsubscribeLink(on: boolean): Promise<void>;
  listDoNotContact(): Promise<DncEntry[]>;
  addDoNotContact(text: string): Promise<DncAddResult>;
  removeDoNotContact(email: string): Promise<void>;
  importDoNotContactCsv(text: string): Promise<DncImportResult>;
  exportDoNotContactCsv(): Promise<string>;
  importContacts(req: ContactImportRequest): Promise<ContactImportReport>;
  /** Every table of the local database as JSON, without any token or secret. */
  exportAllData(): Promise<string>;
  /** Stops sending, disconnects the mailboxes, empties the database. */
  deleteAllData(): Promise<void>;
}
