import { defaultSleep, MaybeDoneError, type Sleep } from './http';

/** Long enough for a message the service did accept to show up in its search. */
const SETTLE_MS = 2_000;
/** A Retry-After beyond this is left to the runner's own rescheduling. */
const MAX_SETTLE_MS = 60_000;

/**
 * Sends, and when the outcome is unknown (the connection died, or a 5xx) looks the message up by its Message-ID
 * before sending again: a send the service did accept is returned, never repeated.
 */
export async function sendOnce<T>(
  attemptSend: () => Promise<T>,
  lookUp: () => Promise<T | null>,
  options: { maxAttempts: number; sleep?: Sleep | undefined; signal?: AbortSignal | undefined },
): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await attemptSend();
    } catch (error) {
      if (!(error instanceof MaybeDoneError)) throw error;
      const wait = error.retryAfterMs ?? SETTLE_MS * attempt;
      if (wait > MAX_SETTLE_MS) throw error;
      await (options.sleep ?? defaultSleep)(wait, options.signal);
      const already = await lookUp();
      if (already) return already;
      if (attempt >= options.maxAttempts) throw error;
    }
  }
}
