import type { Contact } from '../domain/contact';
import type { Rep } from '../domain/rep';

/**
 * Token syntax: `{{contact.firstName}}`, with an optional fallback `{{contact.firstName | "there"}}`.
 * Known roots: contact.*, company.*, rep.*, custom.* (the contact's custom fields).
 * A token with no value and no fallback is "missing": the email is not sent (never "Hi ,").
 */
const TOKEN = /\{\{\s*([a-zA-Z][\w]*(?:\.[a-zA-Z][\w-]*)+)\s*(?:\|\s*"((?:[^"\\]|\\.)*)"\s*)?\}\}/g;

export const KNOWN_TOKENS = [
  'contact.firstName',
  'contact.lastName',
  'contact.fullName',
  'contact.email',
  'contact.title',
  'contact.phone',
  'company.name',
  'company.domain',
  'rep.name',
  'rep.firstName',
  'rep.email',
  'rep.signature',
] as const;

export type TokenValues = Record<string, string | undefined>;

export function tokenValues(contact: Contact, rep: Rep): TokenValues {
  const values: TokenValues = {
    'contact.firstName': contact.firstName,
    'contact.lastName': contact.lastName,
    'contact.fullName': [contact.firstName, contact.lastName].filter(Boolean).join(' ') || undefined,
    'contact.email': contact.email,
    'contact.title': contact.title,
    'contact.phone': contact.phone,
    'company.name': contact.company,
    'company.domain': contact.domain ?? contact.email.split('@')[1],
    'rep.name': rep.name,
    'rep.firstName': rep.name?.split(/\s+/)[0],
    'rep.email': rep.email,
    'rep.signature': rep.signature,
  };
  for (const [key, value] of Object.entries(contact.custom ?? {})) values[`custom.${key}`] = value;
  return values;
}

export interface Rendered {
  text: string;
  /** Tokens with neither a value nor a fallback, in order of appearance. */
  missing: string[];
  /** Tokens that are not known at all (a typo in the template). */
  unknown: string[];
}

const isKnown = (path: string) =>
  (KNOWN_TOKENS as readonly string[]).includes(path) || path.startsWith('custom.');

const escapeHtml = (s: string) =>
  s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

/**
 * Fills the tokens of a template. With `html: true` the values are HTML-escaped, so a contact's name can
 * never inject markup into an email (templates themselves are sanitised when saved).
 */
export function renderTemplate(
  template: string,
  values: TokenValues,
  opts: { html?: boolean } = {},
): Rendered {
  const missing: string[] = [];
  const unknown: string[] = [];
  const text = template.replace(TOKEN, (_m, path: string, fallback: string | undefined) => {
    if (!isKnown(path)) unknown.push(path);
    const value = values[path]?.trim();
    const chosen = value ? value : fallback !== undefined ? fallback.replace(/\\(.)/g, '$1') : undefined;
    if (chosen === undefined) {
      missing.push(path);
      return '';
    }
    return opts.html ? escapeHtml(chosen) : chosen;
  });
  return { text, missing, unknown };
}

/** Every token a template uses, for the builder's validation and the enroll flow's warnings. */
export function tokensOf(template: string): string[] {
  return [...template.matchAll(TOKEN)].map((m) => m[1]!);
}
