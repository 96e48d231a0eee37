import { z } from 'zod';

/**
 * When the mail client offers no mount point, the content script hands the opened thread to the browser's side
 * panel through extension storage (content scripts may use storage.local; the side panel listens).
 */
export const FALLBACK_KEY = 'inbox.fallbackThread';

export const FallbackThread = z
  .object({
    id: z.string(),
    providerThreadId: z.string().optional(),
    subject: z.string(),
    participants: z.array(z.object({ email: z.string(), name: z.string().optional() })),
    me: z.string().optional(),
    host: z.enum(['gmail', 'outlook']),
    at: z.number(),
  })
  .nullable();
export type FallbackThread = z.infer<typeof FallbackThread>;

export interface StorageArea {
  set(items: Record<string, unknown>): Promise<void>;
}

export const publishFallback = (storage: StorageArea, thread: FallbackThread) =>
  storage.set({ [FALLBACK_KEY]: thread });
