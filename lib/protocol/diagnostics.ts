import { z } from 'zod';
import { Email } from '../domain/common';

/**
 * Diagnostics: what the content scripts report when the host page is not what they expect (an anchor missing,
 * InboxSDK not loading), kept in the extension's IndexedDB by the background and listed in Settings →
 * Diagnostics for a bug report. By construction a report carries no address, subject or body: an anchor name
 * and a page kind from fixed vocabularies; the host is taken from the sender's URL by the background.
 */
export const PageKind = z.enum(['conversation', 'pop-out', 'compose', 'gmail']);
/** Why InboxSDK did not load in Gmail (no free text: the options page explains each). */
export const SdkFailure = z.enum(['no_app_id', 'invalid_app_id', 'load_failed']);

export const DiagnosticReport = z
  .object({
    /** An anchor name of lib/hosts/outlook/selectors.ts, or `inboxsdk`. */
    anchor: z.string().regex(/^[A-Za-z]{1,40}$/, 'is not an anchor name'),
    page: PageKind,
    detail: SdkFailure.optional(),
  })
  .strict();
export type DiagnosticReport = z.infer<typeof DiagnosticReport>;

export const DiagnosticEntry = DiagnosticReport.extend({
  id: z.number().int(),
  /** When it was last seen. */
  at: z.number(),
  /** When it was first seen (this host, anchor, page and version). */
  firstAt: z.number(),
  /** How many times it was seen since. */
  count: z.number().int().min(1),
  /** The mail host's name, e.g. outlook.cloud.microsoft. */
  host: z.string().max(253),
  /** The extension's version that missed it. */
  version: z.string().max(50),
}).strict();
export type DiagnosticEntry = z.infer<typeof DiagnosticEntry>;

const Ok = z.object({ ok: z.literal(true) }).strict();
const Person = z.object({ email: Email, name: z.string().max(200).optional() }).strict();

export const DIAGNOSTICS_MESSAGES = {
  /** A content script missed an anchor (or InboxSDK did not load): kept for Settings → Diagnostics. */
  'diagnostics.record': { request: DiagnosticReport, response: Ok },
  /** The last anchor misses, newest first. */
  'diagnostics.list': {
    request: z.object({}).strict(),
    response: z.object({ entries: z.array(DiagnosticEntry) }).strict(),
  },
  'diagnostics.clear': { request: z.object({}).strict(), response: Ok },
  /**
   * The people of a conversation as the rep's Outlook mailbox has them (Graph: from, toRecipients and
   * ccRecipients of its messages), by Graph conversationId: addresses for people Outlook shows by name alone.
   * Empty when no Outlook mailbox is connected or the mailbox does not have the conversation.
   */
  'thread.people': {
    request: z.object({ conversationId: z.string().min(1).max(1000), mailbox: Email.optional() }).strict(),
    response: z.object({ people: z.array(Person).max(500) }).strict(),
  },
} as const;
