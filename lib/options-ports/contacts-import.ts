import { transact, type ThreadlineDb } from '../db/database';
import { describeZodError } from '../domain/common';
import { ContactSchema, type Contact } from '../domain/contact';
import { rowToInput, type ColumnTarget } from './contacts-import-csv';

export type DuplicateMode = 'skip' | 'update';

export interface ContactImportRequest {
  rows: readonly (readonly string[])[];
  mapping: readonly ColumnTarget[];
  duplicates: DuplicateMode;
}

export interface ContactImportReport {
  imported: number;
  updated: number;
  skipped: number;
  /** Row numbers of the file (the header is row 1), each with the failing field path and problem. */
  rejected: { row: number; reason: string }[];
}

/**
 * Imports contacts from mapped CSV rows in one transaction: every valid row is written (bulk) or none is.
 * A row whose email is already a contact is skipped or merged into it (only the cells that have a value
 * overwrite); a row repeating an earlier row's email is rejected.
 */
export async function importContacts(
  db: ThreadlineDb,
  req: ContactImportRequest,
  newId: () => string,
): Promise<ContactImportReport> {
  if (!req.mapping.includes('email')) throw new Error('Map a column to Email before importing');
  const report: ContactImportReport = { imported: 0, updated: 0, skipped: 0, rejected: [] };
  return transact(db, async (store) => {
    const inputs = req.rows.map((row) => rowToInput(row, req.mapping));
    const emails = inputs.flatMap((i) => (i.email ? [i.email.trim().toLowerCase()] : []));
    const existing = new Map<string, Contact>();
    for (const c of await store.contacts.where('email').anyOf(emails).toArray()) existing.set(c.email, c);
    const seen = new Map<string, number>();
    const writes: Contact[] = [];
    inputs.forEach((input, i) => {
      const row = i + 2;
      if (!input.email) {
        report.rejected.push({ row, reason: 'email: is missing' });
        return;
      }
      const prior = existing.get(input.email.trim().toLowerCase());
      if (prior && req.duplicates === 'skip') {
        report.skipped++;
        return;
      }
      const candidate = prior
        ? { ...prior, ...input, custom: { ...prior.custom, ...input.custom } }
        : { id: newId(), ...input };
      const parsed = ContactSchema.safeParse(candidate);
      if (!parsed.success) {
        report.rejected.push({ row, reason: describeZodError(parsed.error).replace(/\n/g, '; ') });
        return;
      }
      const contact = { ...parsed.data, domain: parsed.data.domain ?? parsed.data.email.split('@')[1] };
      const earlier = seen.get(contact.email);
      if (earlier !== undefined) {
        report.rejected.push({ row, reason: `email: ${contact.email} is already on row ${earlier}` });
        return;
      }
      seen.set(contact.email, row);
      writes.push(contact);
      if (prior) report.updated++;
      else report.imported++;
    });
    await store.contacts.bulkPut(writes);
    return report;
  });
}
