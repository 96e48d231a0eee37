import type { Contact } from '../../lib/domain/contact';
import type { EmailEdit } from '../../lib/domain/enrollment';
import type { Rep } from '../../lib/domain/rep';
import type { AutoEmailStep, ManualEmailStep, Step } from '../../lib/domain/sequence';
import { KNOWN_TOKENS, renderTemplate, tokensOf, tokenValues } from '../../lib/templates/render';

export type EmailStep = AutoEmailStep | ManualEmailStep;
export const isEmail = (step: Step): step is EmailStep =>
  step.type === 'auto_email' || step.type === 'manual_email';

/** A contact field the rep can fill in the enroll flow (the title only when the CRM filled it in). */
export type EditableField = 'firstName' | 'lastName' | 'company' | 'title' | 'timeZone';

/** Which field fills a token, when the enroll flow has one; other tokens can only get a fallback. */
export const FIELD_OF_TOKEN: Partial<Record<string, EditableField>> = {
  'contact.firstName': 'firstName',
  'contact.fullName': 'firstName',
  'contact.lastName': 'lastName',
  'company.name': 'company',
};

export type EmailProblem =
  | { kind: 'missing'; stepIndex: number; token: string; contact: Contact }
  | { kind: 'unknown'; stepIndex: number; token: string }
  | { kind: 'no_subject'; stepIndex: number };

/** The templates a step may send: the rep's edit, else every A/B variant (any could be picked), else its own. */
export function templatesOf(step: EmailStep, edit: EmailEdit | undefined): EmailEdit[] {
  if (edit) return [edit];
  if (step.type === 'auto_email' && step.variants.length)
    return step.variants.map((v) => ({ subject: v.subject, body: v.body }));
  return [{ subject: step.subject, body: step.body }];
}

const isKnown = (token: string) =>
  (KNOWN_TOKENS as readonly string[]).includes(token) || token.startsWith('custom.');

/**
 * Everything that would stop an email of this enrollment from going out, found before enrolling rather than
 * at send time: tokens with no value for some contact (the runner would pause with "needs attention"),
 * tokens nobody knows (a typo), and a first email without a subject.
 */
export function emailProblems(
  steps: readonly Step[],
  startStep: number,
  edits: Readonly<Record<string, EmailEdit>>,
  contacts: readonly Contact[],
  rep: Rep,
  /** The first email replies in the thread the rep enrolls from: its subject is that thread's. */
  opts: { firstInThread?: boolean } = {},
): EmailProblem[] {
  const problems: EmailProblem[] = [];
  let firstEmail = true;
  steps.forEach((step, stepIndex) => {
    if (stepIndex < startStep || !isEmail(step)) return;
    const templates = templatesOf(step, edits[step.id]);
    const unknown = new Set(
      templates.flatMap((t) => [...tokensOf(t.subject), ...tokensOf(t.body)]).filter((t) => !isKnown(t)),
    );
    for (const token of unknown) problems.push({ kind: 'unknown', stepIndex, token });
    for (const contact of contacts) {
      const values = tokenValues(contact, rep);
      const missing = new Set(
        templates.flatMap((t) => [
          ...renderTemplate(t.subject, values).missing,
          ...renderTemplate(t.body, values).missing,
        ]),
      );
      for (const token of missing)
        if (!unknown.has(token)) problems.push({ kind: 'missing', stepIndex, token, contact });
    }
    // Follow-ups may reply in the first email's thread, but the first email sent needs a subject of its own.
    const repliesInOpenedThread = opts.firstInThread && step.threadWithPrevious;
    if (firstEmail && !repliesInOpenedThread && templates.some((t) => !t.subject.trim()))
      problems.push({ kind: 'no_subject', stepIndex });
    firstEmail = false;
  });
  return problems;
}

const SENTINEL = /⟦([\w.-]+)⟧/g;

/**
 * A template filled for the preview. Missing tokens show as a marked `{{token}}` instead of vanishing, so
 * the rep sees where "Hi ," would have been.
 */
export function previewParts(
  template: string,
  contact: Contact,
  rep: Rep,
  opts: { html?: boolean } = {},
): { text: string; missing: string[] } {
  const values = tokenValues(contact, rep);
  const { missing } = renderTemplate(template, values);
  for (const token of missing) values[token] = `⟦${token}⟧`;
  return { text: renderTemplate(template, values, opts).text, missing };
}

/** Replaces the preview's missing-token markers (already HTML-safe) with highlighted `{{token}}`s. */
export const markMissing = (html: string) => html.replace(SENTINEL, '<mark class="tl-missing">{{$1}}</mark>');

/** Splits plain text at missing-token markers, for the subject line. */
export function splitMissing(text: string): { text: string; missing: boolean }[] {
  return text
    .split(/(⟦[\w.-]+⟧)/)
    .filter(Boolean)
    .map((part) => {
      const m = /^⟦([\w.-]+)⟧$/.exec(part);
      return m ? { text: `{{${m[1]}}}`, missing: true } : { text: part, missing: false };
    });
}
