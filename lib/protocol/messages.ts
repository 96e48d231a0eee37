import { z } from 'zod';
import { Email } from '../domain/common';
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
  'replies.check': {
    request: Empty,
    response: z.object({ looked: z.number(), stopped: z.number() }).strict(),
  },
} as const;

export type MessageName = keyof typeof MESSAGES;
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
