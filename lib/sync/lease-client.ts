import { LeaseGranted, type LeaseRequest } from '../contract/lease';
import type { SendLease } from '../runner/lease';
import { backendCall, BackendError } from './backend-call';

export interface HttpLeaseOptions {
  /** The backend's address, e.g. "https://threadline.example.com". */
  baseUrl: string;
  fetch: typeof fetch;
  /** The current session token; the sync client keeps it fresh. */
  token: () => string | Promise<string>;
  /** Told when the backend could not be asked (offline, 401, 5xx), for the options page's sync status. */
  onError?: (error: Error) => void;
}

/** The longest lease the server grants; the runner asks for far less. */
const MAX_TTL_MS = 600_000;
const MIN_TTL_MS = 1000;

/**
 * The runner's SendLease over the backend (`POST /leases/{mailbox}`). When the backend cannot be asked,
 * the answer is "not held": a device that cannot prove it holds the lease does not send, and the runner
 * looks again later. The server's clock decides expiry; only the duration `until - now` is sent.
 */
export function createHttpLease(options: HttpLeaseOptions): SendLease & {
  /** The fencing token of the last grant for `mailbox`, for the outbox to attach to its sends. */
  fencingToken(mailbox: string): number | undefined;
} {
  const tokens = new Map<string, number>();
  return {
    fencingToken: (mailbox) => tokens.get(mailbox.toLowerCase()),
    async acquire(mailbox, holder, now, until) {
      const body: LeaseRequest = {
        holder,
        ttlMs: Math.min(MAX_TTL_MS, Math.max(MIN_TTL_MS, Math.round(until - now))),
      };
      try {
        const granted = await backendCall(
          options.fetch,
          options.baseUrl,
          'POST',
          `/leases/${encodeURIComponent(mailbox.toLowerCase())}`,
          LeaseGranted,
          { body, token: options.token },
        );
        tokens.set(mailbox.toLowerCase(), granted.fencingToken);
        return true;
      } catch (error) {
        tokens.delete(mailbox.toLowerCase());
        // 409: another device holds the lease, the ordinary answer rather than a failure.
        if (error instanceof BackendError && error.status === 409) return false;
        options.onError?.(error instanceof Error ? error : new Error(String(error)));
        return false;
      }
    },
  };
}
