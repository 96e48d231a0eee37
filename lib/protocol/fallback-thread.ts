import * as z from 'zod/mini';

/**
 * When the mail client offers no mount point, the content script hands the opened thread to the browser's side
 * panel: it tells the background (`thread.fallback`), which keeps it in storage.session under this key for the
 * side panel to read. Content scripts touch no extension storage (storage.session is out of their reach).
 */
export const FALLBACK_KEY = 'inbox.fallbackThread';

// zod/mini: content scripts import this module (see lib/protocol/inbox-received.ts).
export const FallbackThread = z.nullable(
  z.object({
    id: z.string(),
    providerThreadId: z.optional(z.string()),
    subject: z.string(),
    participants: z.array(z.object({ email: z.string(), name: z.optional(z.string()) })),
    me: z.optional(z.string()),
    unknownAddresses: z.optional(z.array(z.object({ name: z.string() }))),
    host: z.enum(['gmail', 'outlook']),
    at: z.number(),
  }),
);
export type FallbackThread = z.infer<typeof FallbackThread>;
