import { z } from 'zod';
import { Email } from '../domain/common';
import { Invite, Member, Role } from '../contract/auth';
import { CRM_SETTINGS_MESSAGES } from './crm-settings';
import { DIAGNOSTICS_MESSAGES } from './diagnostics';
import { DEALS_MESSAGES } from './deals';
import { CRM_LOOKUP_MESSAGES } from './crm-lookup';
import { CRM_DEALS_MESSAGES } from './crm-deals';
import { ENROLLMENTS_MESSAGES } from './enrollments';
import { INBOX_MESSAGES } from './inbox';

/**
 * Every runtime message between the extension's contexts (options page, content scripts, side panel) and the
 * background: a name, a request schema and a response schema. Both sides validate what they receive.
 */
export const AccountView = z
  .object({
    provider: z.enum(['gmail', 'graph']),
    mailbox: Email,
    connectedAt: z.number(),
    /** Set for a mail-sandbox mailbox (the demo). */
    sandboxUrl: z.url().optional(),
    /** Daily sending limit the provider documents for this kind of account. */
    dailyLimit: z.number(),
  })
  .strict();
export type AccountView = z.infer<typeof AccountView>;

export const ConnectRequest = z
  .object({
    provider: z.enum(['gmail', 'graph']),
    /** Required for the sandbox; for Google and Microsoft the signed-in account decides. */
    mailbox: Email.optional(),
    /** Connect a mailbox of the mail sandbox at this URL instead of the real service. */
    sandboxUrl: z.url().optional(),
  })
  .strict()
  .refine((r) => !r.sandboxUrl || r.mailbox, {
    message: 'a sandbox mailbox needs its address',
    path: ['mailbox'],
  });

/** The options page's view of the backend connection and of sync (lib/background/sync-host.ts). */
export const BackendView = z
  .object({
    url: z.string().optional(),
    user: Member.optional(),
    provider: z.enum(['google', 'microsoft', 'sandbox']).optional(),
    /** The backend ended the session (the rep did not sign out): sends wait for a new sign-in. */
    lapsedAt: z.number().optional(),
    lastSyncAt: z.number().optional(),
    /** Local changes not yet accepted by the backend. */
    pending: z.number(),
    /** Consecutive failed syncs (the next waits longer). */
    failures: z.number(),
    error: z.string().optional(),
    /** Changes the backend refused in the last sync, with its reasons. */
    rejected: z.array(z.object({ id: z.number(), reason: z.string() }).strict()),
  })
  .strict();
export type BackendView = z.infer<typeof BackendView>;

const Empty = z.object({}).strict();
const Ok = z.object({ ok: z.literal(true) }).strict();

export const MESSAGES = {
  'accounts.list': { request: Empty, response: z.array(AccountView) },
  'accounts.connect': { request: ConnectRequest, response: AccountView },
  'accounts.disconnect': { request: z.object({ mailbox: Email }).strict(), response: Ok },
  'engine.tick': {
    request: Empty,
    response: z.object({ sent: z.number(), tasks: z.number(), nextDueAt: z.number().optional() }).strict(),
  },
  ...INBOX_MESSAGES,
  ...DIAGNOSTICS_MESSAGES,
  ...ENROLLMENTS_MESSAGES,
  ...DEALS_MESSAGES,
  ...CRM_LOOKUP_MESSAGES,
  ...CRM_DEALS_MESSAGES,
  ...CRM_SETTINGS_MESSAGES,
  'backend.view': { request: Empty, response: BackendView },
  'backend.configure': { request: z.object({ url: z.string().max(2000) }).strict(), response: BackendView },
  'backend.signIn': {
    request: z
      .object({
        provider: z.enum(['google', 'microsoft', 'sandbox']),
        invite: z.string().max(200).optional(),
        /** The sandbox mailbox to sign in as (demo). */
        loginHint: Email.optional(),
        sandboxUrl: z.url().optional(),
      })
      .strict()
      .refine((r) => r.provider !== 'sandbox' || (r.loginHint && r.sandboxUrl), {
        message: 'signing in with the sandbox needs its address and a mailbox',
        path: ['sandboxUrl'],
      }),
    response: BackendView,
  },
  'backend.signOut': { request: Empty, response: BackendView },
  /** The backend's own session for the options page's direct reads (analytics); never a mail provider's token. */
  'backend.session': {
    request: Empty,
    response: z
      .object({ url: z.string(), accessToken: z.string(), user: Member })
      .strict()
      .or(z.object({}).strict()),
  },
  'backend.syncNow': { request: Empty, response: BackendView },
  'team.members': { request: Empty, response: z.array(Member) },
  'team.invite': { request: z.object({ role: Role }).strict(), response: Invite },
  'team.setRole': { request: z.object({ memberId: z.string().max(200), role: Role }).strict(), response: Ok },
  'replies.check': {
    request: Empty,
    response: z.object({ looked: z.number(), stopped: z.number() }).strict(),
  },
} as const;

export type MessageName = keyof typeof MESSAGES;

/**
 * Messages only the extension's own pages (options, side panel) may send, never a content script: they
 * manage mailboxes, the backend session and the team, or act on enrollments in bulk. A content script lives
 * inside a mail site's page; least privilege keeps these out of its reach.
 */
export const PAGES_ONLY: ReadonlySet<MessageName> = new Set(
  (Object.keys(MESSAGES) as MessageName[]).filter((n) =>
    /^(accounts|backend|team|enrollments|crmSettings)\./.test(n),
  ),
);
export type RequestOf<N extends MessageName> = z.input<(typeof MESSAGES)[N]['request']>;
export type ResponseOf<N extends MessageName> = z.infer<(typeof MESSAGES)[N]['response']>;

/** The envelope on the wire. */
export const Envelope = z
  .object({ threadline: z.literal(1), name: z.string(), request: z.unknown() })
  .strict();
export const Reply = z.union([
  z.object({ ok: z.literal(true), data: z.unknown() }).strict(),
  z.object({ ok: z.literal(false), error: z.string() }).strict(),
]);
export type Reply = z.infer<typeof Reply>;
