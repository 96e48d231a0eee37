import Papa from 'papaparse';

/** The contact fields a CSV column can fill (lib/domain/contact.ts); anything else becomes a custom field. */
export const CONTACT_FIELDS = [
  'email',
  'firstName',
  'lastName',
  'company',
  'title',
  'phone',
  'timeZone',
  'linkedinUrl',
] as const;
export type ContactField = (typeof CONTACT_FIELDS)[number];

/** Where one column goes: a contact field, a custom field (`custom:industry`), or nowhere (''). */
export type ColumnTarget = ContactField | `custom:${string}` | '';

// lib/analytics/papaparse.d.ts declares only `unparse` and shadows @types/papaparse; until it goes, this
// names the one call used here.
const papa = Papa as unknown as {
  parse(text: string, config: { skipEmptyLines: 'greedy' }): { data: string[][] };
};

/** The rows of a CSV file as cells (a byte-order mark is dropped, blank lines skipped). */
export function csvRows(text: string): string[][] {
  return papa.parse(text.replace(/^\uFEFF/, ''), { skipEmptyLines: 'greedy' }).data;
}

export interface ParsedCsv {
  headers: string[];
  /** Data rows; rows[i] is row i + 2 of the file (the header is row 1). */
  rows: string[][];
}

export function parseCsv(text: string): ParsedCsv {
  const [headers = [], ...rows] = csvRows(text);
  return { headers: headers.map((h) => h.trim()), rows };
}

const SYNONYMS: Record<string, ContactField> = {
  email: 'email',
  emailaddress: 'email',
  mail: 'email',
  workemail: 'email',
  firstname: 'firstName',
  first: 'firstName',
  givenname: 'firstName',
  fname: 'firstName',
  lastname: 'lastName',
  last: 'lastName',
  surname: 'lastName',
  familyname: 'lastName',
  lname: 'lastName',
  company: 'company',
  companyname: 'company',
  organization: 'company',
  organisation: 'company',
  account: 'company',
  accountname: 'company',
  title: 'title',
  jobtitle: 'title',
  position: 'title',
  role: 'title',
  phone: 'phone',
  phonenumber: 'phone',
  mobile: 'phone',
  telephone: 'phone',
  tel: 'phone',
  timezone: 'timeZone',
  tz: 'timeZone',
  linkedin: 'linkedinUrl',
  linkedinurl: 'linkedinUrl',
  linkedinprofile: 'linkedinUrl',
};

/** A header as a custom field name usable as a token ({{custom.deal_size}}), or undefined if nothing is left. */
export function customNameOf(header: string): string | undefined {
  const name = header
    .trim()
    .replace(/[^\w-]+/g, '_')
    .replace(/^[^A-Za-z]+/, '')
    .replace(/_+$/, '');
  return name ? name.slice(0, 60) : undefined;
}

/** Guesses each column's target from its header; a field is taken by its first matching column only. */
export function guessMapping(headers: readonly string[]): ColumnTarget[] {
  const taken = new Set<string>();
  return headers.map((header): ColumnTarget => {
    const key = header.toLowerCase().replace(/[^a-z]/g, '');
    const field = SYNONYMS[key];
    if (field && !taken.has(field)) {
      taken.add(field);
      return field;
    }
    const custom = customNameOf(header);
    if (!custom || taken.has(`custom:${custom}`)) return '';
    taken.add(`custom:${custom}`);
    return `custom:${custom}`;
  });
}

/** One row as contact input: empty cells are left out, so an update never blanks a stored value. */
export function rowToInput(row: readonly string[], mapping: readonly ColumnTarget[]) {
  const input: Partial<Record<ContactField, string>> & { custom: Record<string, string> } = { custom: {} };
  mapping.forEach((target, i) => {
    const value = (row[i] ?? '').trim();
    if (!target || !value) return;
    if (target.startsWith('custom:')) input.custom[target.slice('custom:'.length)] = value;
    else input[target as ContactField] = value;
  });
  return input;
}
