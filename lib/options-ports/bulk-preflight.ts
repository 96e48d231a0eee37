import { describeZodError, Email } from '../domain/common';
import { ContactInputSchema, type Contact, type ContactInput } from '../domain/contact';
import type { Enrollment } from '../domain/enrollment';
import type { Rep } from '../domain/rep';
import type { Sequence } from '../domain/sequence';
import { REJECT_MESSAGES, whyNotEnrollable, type RejectReason } from '../engine/eligibility';
import { renderTemplate, tokenValues } from '../templates/render';

/**
 * What bulk enrollment would refuse, worked out before anything is written (pure: same input, same answer).
 * It applies the runner's own rules (lib/engine/eligibility.ts, as lib/runner/enroll.ts does) and the
 * engine's token rendering, so a contact it lets through is one the runner enrolls and can email.
 */

export const MAX_BATCH = 1000;

export type PreflightReason = RejectReason | 'missing_values';

export interface MissingValues {
  /** 1-based, as the sequence builder numbers steps. */
  stepNumber: number;
  tokens: string[];
}

export interface Refusal {
  /** Position in the candidates. */
  index: number;
  email?: string;
  reason: PreflightReason;
  message: string;
  /** For missing_values: what each step lacks. */
  missing?: MissingValues[];
  /** For missing_values: the contact as it would be enrolled, for the inline fix. */
  contact?: ContactInput & { email: string };
}

export interface PreflightInput {
  sequence: Sequence;
  /** 0-based. */
  startStep: number;
  rep: Rep;
  /** What the rep chose: contacts of the list or pasted addresses, as objects with at least an email. */
  candidates: readonly unknown[];
  /** Contacts this device already has, by address: their saved fields fill the tokens. */
  known: ReadonlyMap<string, Contact>;
  /** Live enrollments by contact id. */
  liveEnrollments: ReadonlyMap<string, readonly Pick<Enrollment, 'sequenceId' | 'status'>[]>;
  suppressed: ReadonlySet<string>;
  sequenceNames?: ReadonlyMap<string, string>;
  override?: boolean;
}

export interface PreflightResult {
  /** The contacts to send to the runner, merged with what is known of them. */
  ready: (ContactInput & { email: string })[];
  refused: Refusal[];
}

/** Which field of the contact gives a token its value (undefined: not the contact's, e.g. rep.*). */
export function fieldOfToken(
  path: string,
):
  | { field: 'firstName' | 'lastName' | 'title' | 'phone' | 'company' | 'domain' }
  | { custom: string }
  | undefined {
  if (path.startsWith('custom.')) return { custom: path.slice('custom.'.length) };
  switch (path) {
    case 'contact.firstName':
    case 'contact.fullName':
      return { field: 'firstName' };
    case 'contact.lastName':
      return { field: 'lastName' };
    case 'contact.title':
      return { field: 'title' };
    case 'contact.phone':
      return { field: 'phone' };
    case 'company.name':
      return { field: 'company' };
    case 'company.domain':
      return { field: 'domain' };
    default:
      return undefined;
  }
}

/** The templates a contact may receive from `startStep` on, per step (every A/B variant counts). */
function emailTemplates(sequence: Sequence, startStep: number) {
  const out: { stepNumber: number; templates: string[] }[] = [];
  sequence.steps.forEach((step, i) => {
    if (i < startStep) return;
    if (step.type === 'auto_email') {
      const sources = step.variants.length ? step.variants : [step];
      out.push({ stepNumber: i + 1, templates: sources.flatMap((v) => [v.subject, v.body]) });
    } else if (step.type === 'manual_email') {
      out.push({ stepNumber: i + 1, templates: [step.subject, step.body] });
    }
  });
  return out;
}

export function missingValues(
  contact: Contact,
  rep: Rep,
  templates: ReturnType<typeof emailTemplates>,
): MissingValues[] {
  const values = tokenValues(contact, rep);
  const out: MissingValues[] = [];
  for (const { stepNumber, templates: list } of templates) {
    const missing = new Set<string>();
    for (const t of list)
      if (t.includes('{{')) for (const m of renderTemplate(t, values).missing) missing.add(m);
    if (missing.size) out.push({ stepNumber, tokens: [...missing] });
  }
  return out;
}

const describeMissing = (missing: MissingValues[]) =>
  missing
    .map((m) => `Step ${m.stepNumber}: no value for ${m.tokens.map((t) => `{{${t}}}`).join(', ')}`)
    .join('; ');

export function preflight(input: PreflightInput): PreflightResult {
  const { sequence, rep } = input;
  const templates = emailTemplates(sequence, input.startStep);
  const ready: PreflightResult['ready'] = [];
  const refused: Refusal[] = [];
  const seen = new Set<string>();
  input.candidates.forEach((raw, index) => {
    const rawEmail = (raw as { email?: unknown } | null)?.email;
    const email = typeof rawEmail === 'string' ? rawEmail.trim().toLowerCase() : undefined;
    const refuse = (reason: PreflightReason, message = REJECT_MESSAGES[reason as RejectReason]) =>
      refused.push({ index, email, reason, message });
    if (index >= MAX_BATCH) return refuse('too_many', `only ${MAX_BATCH} contacts can be enrolled at once`);
    const parsed = ContactInputSchema.safeParse(raw);
    if (!parsed.success) return refuse('invalid_contact', describeZodError(parsed.error));
    const candidate = parsed.data;
    if (seen.has(candidate.email)) return refuse('duplicate_in_request');
    seen.add(candidate.email);
    const prior = input.known.get(candidate.email);
    const live = prior ? (input.liveEnrollments.get(prior.id) ?? []) : [];
    const why = whyNotEnrollable({
      email: candidate.email,
      sequence,
      liveEnrollments: live,
      suppressed: input.suppressed.has(candidate.email),
      override: input.override ?? false,
      repEmail: rep.email,
    });
    if (why === 'already_in_sequence') {
      const names = live
        .filter((e) => e.status === 'active' || e.status === 'paused')
        .map((e) => input.sequenceNames?.get(e.sequenceId) ?? e.sequenceId);
      return refuse(why, `already in ${[...new Set(names)].join(', ')}`);
    }
    if (why) return refuse(why);
    // The contact as the runner will store it: what is known, overwritten by what the rep gives now.
    const merged = {
      ...prior,
      ...Object.fromEntries(Object.entries(candidate).filter(([, v]) => v !== undefined)),
      email: candidate.email,
      custom: { ...prior?.custom, ...candidate.custom },
    } as ContactInput & { email: string; custom: Record<string, string> };
    const missing = missingValues({ id: prior?.id ?? 'preflight', ...merged }, rep, templates);
    if (missing.length) {
      refused.push({
        index,
        email: candidate.email,
        reason: 'missing_values',
        message: describeMissing(missing),
        missing,
        contact: merged,
      });
      return;
    }
    ready.push(merged);
  });
  return { ready, refused };
}

/** The rep's inline fixes (token path -> value, per address) written into the candidates' fields. */
export function applyFixes(
  candidates: readonly unknown[],
  fixes: Readonly<Record<string, Readonly<Record<string, string>>>>,
): unknown[] {
  return candidates.map((raw) => {
    const email = (raw as { email?: unknown } | null)?.email;
    const fix = typeof email === 'string' ? fixes[email.trim().toLowerCase()] : undefined;
    if (!fix) return raw;
    const out = { ...(raw as Record<string, unknown>) };
    const custom = { ...((out.custom as Record<string, string> | undefined) ?? {}) };
    for (const [token, value] of Object.entries(fix)) {
      const target = fieldOfToken(token);
      if (!target || !value.trim()) continue;
      if ('custom' in target) custom[target.custom] = value.trim();
      else out[target.field] = value.trim();
    }
    out.custom = custom;
    return out;
  });
}

/**
 * Addresses pasted by the rep: separated by commas, semicolons, spaces or lines, or written `Name <address>`.
 * Repeats are dropped; entries that are not addresses come back to be named.
 */
export function parsePastedAddresses(text: string): { emails: string[]; invalid: string[] } {
  const emails: string[] = [];
  const invalid: string[] = [];
  for (const entry of text.split(/[\n,;]+/)) {
    const angle = entry.match(/<([^<>\s]+)>/);
    for (const word of angle ? [angle[1]!] : entry.split(/\s+/).filter(Boolean)) {
      const parsed = Email.safeParse(word);
      if (!parsed.success) invalid.push(word);
      else if (!emails.includes(parsed.data)) emails.push(parsed.data);
    }
  }
  return { emails, invalid };
}
