import Papa from 'papaparse';
import type { ThreadlineDb } from '../db/database';
import { Email } from '../domain/common';
import type { Suppression } from '../domain/suppression';
import { unenrollEnrollment } from '../runner/actions';
import type { RunnerDeps } from '../runner/deps';
import { csvRows } from './contacts-import-csv';

export interface RejectedEntry {
  entry: string;
  reason: string;
}
export interface RejectedRow {
  /** The row's number in the file, the header being row 1. */
  row: number;
  problem: string;
}

const DOMAIN = /^@?([a-z0-9-]+\.)+[a-z]{2,}$/i;

function checkEntry(entry: string): { email: string } | { reason: string } {
  if (!entry.includes('@') || DOMAIN.test(entry))
    return DOMAIN.test(entry)
      ? { reason: 'whole domains cannot be blocked yet: add each address' }
      : { reason: 'is not a valid email address' };
  const parsed = Email.safeParse(entry);
  return parsed.success ? { email: parsed.data } : { reason: 'is not a valid email address' };
}

/** Splits what the rep typed (commas, semicolons, spaces or lines) into addresses and rejected entries. */
export function parseEntries(text: string): { emails: string[]; rejected: RejectedEntry[] } {
  const emails: string[] = [];
  const rejected: RejectedEntry[] = [];
  for (const entry of text.split(/[\s,;]+/).filter(Boolean)) {
    const checked = checkEntry(entry);
    if ('reason' in checked) rejected.push({ entry, reason: checked.reason });
    else if (!emails.includes(checked.email)) emails.push(checked.email);
  }
  return { emails, rejected };
}

/**
 * Reads a do-not-contact CSV: the column headed "email" (any case), else the first column. Every row that
 * is not an address is reported with its row number.
 */
export function parseSuppressionsCsv(text: string): { emails: string[]; rejected: RejectedRow[] } {
  const data = csvRows(text);
  const header = (data[0] ?? []).map((h) =>
    h
      .trim()
      .toLowerCase()
      .replace(/[^a-z]/g, ''),
  );
  const column = header.findIndex((h) => h === 'email' || h === 'emailaddress');
  const hasHeader = column >= 0 || !(data[0]?.[0] ?? '').includes('@');
  const col = Math.max(column, 0);
  const emails = new Set<string>();
  const rejected: RejectedRow[] = [];
  data.forEach((cells, i) => {
    if (hasHeader && i === 0) return;
    const value = (cells[col] ?? '').trim();
    const checked = value ? checkEntry(value) : { reason: 'has no email address' };
    if ('reason' in checked)
      rejected.push({ row: i + 1, problem: value ? `"${value}" ${checked.reason}` : checked.reason });
    else emails.add(checked.email);
  });
  return { emails: [...emails], rejected };
}

/**
 * Puts addresses on the do-not-contact list and stops every live enrollment of each (through the runner's
 * own unenroll action, so tasks leave the queue and the events are recorded). An address already on the
 * list keeps its original reason.
 */
export async function addSuppressions(
  deps: RunnerDeps,
  emails: readonly string[],
  at: number,
): Promise<{ added: string[]; alreadyListed: string[]; stopped: number }> {
  const { db } = deps;
  const existing = new Set((await db.suppressions.bulkGet([...emails])).flatMap((s) => (s ? [s.email] : [])));
  const added = emails.filter((e) => !existing.has(e));
  await db.suppressions.bulkPut(added.map((email): Suppression => ({ email, reason: 'manual', at })));
  const contacts = await db.contacts
    .where('email')
    .anyOf([...emails])
    .toArray();
  const live = contacts.length
    ? (
        await db.enrollments
          .where('contactId')
          .anyOf(contacts.map((c) => c.id))
          .toArray()
      ).filter((e) => e.status === 'active' || e.status === 'paused')
    : [];
  for (const e of live) await unenrollEnrollment(deps, e.id, at, 'manual');
  return { added, alreadyListed: emails.filter((e) => existing.has(e)), stopped: live.length };
}

export async function removeSuppression(db: ThreadlineDb, email: string): Promise<void> {
  await db.suppressions.delete(email.toLowerCase());
}

export async function listSuppressions(db: ThreadlineDb): Promise<Suppression[]> {
  return (await db.suppressions.toArray()).sort((a, b) => b.at - a.at || a.email.localeCompare(b.email));
}

/** All or nothing: a file with a bad row adds nobody, and says which rows to fix. */
export async function importSuppressionsCsv(
  deps: RunnerDeps,
  text: string,
  at: number,
): Promise<{ added: number; alreadyListed: number; stopped: number; rejected: RejectedRow[] }> {
  const { emails, rejected } = parseSuppressionsCsv(text);
  if (rejected.length) return { added: 0, alreadyListed: 0, stopped: 0, rejected };
  const r = await addSuppressions(deps, emails, at);
  return { added: r.added.length, alreadyListed: r.alreadyListed.length, stopped: r.stopped, rejected: [] };
}

export function suppressionsToCsv(rows: readonly Suppression[]): string {
  return Papa.unparse({
    fields: ['email', 'reason', 'added', 'note'],
    data: rows.map((s) => [s.email, s.reason, new Date(s.at).toISOString(), s.note ?? '']),
  });
}
