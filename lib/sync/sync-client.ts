import type { z } from 'zod';
import {
  MAX_MUTATIONS_PER_PUSH,
  PullResponse,
  PushResponse,
  type ChangedRow,
  type Mutation,
  type MutationResult,
} from '../contract/sync';
import { backendCall, type BackendCallOptions } from './backend-call';

/** Where the extension keeps what sync needs (IndexedDB), so a restarted service worker carries on. */
export interface SyncStore {
  /** Mutations not yet acknowledged by the server, oldest first, ids increasing. */
  pending(): Promise<Mutation[]>;
  /** The server has dealt with every mutation up to `lastMutationId` (applied, duplicate or rejected). */
  acknowledge(lastMutationId: number): Promise<void>;
  cursor(): Promise<number>;
  /**
   * Applies pulled rows (as remote changes, never pushed back) and saves the new cursor, in one transaction;
   * a store may save a lower cursor than `cursor` to be sent rows again that it could not take yet.
   */
  applyPulled(rows: ChangedRow[], cursor: number): Promise<void>;
}

export interface SyncStatus {
  lastSyncAt?: number;
  pending: number;
  /** Consecutive failed syncs; the next attempt waits `backoffMs(failures)`. */
  failures: number;
  error?: string;
  /** Mutations the server refused in the last sync, with its reasons, for the options page. */
  rejected: MutationResult[];
}

export interface SyncClientOptions {
  baseUrl: string;
  fetch: typeof fetch;
  token: () => string | Promise<string>;
  /** One id per browser profile. */
  clientId: string;
  store: SyncStore;
  now: () => number;
  pullLimit?: number;
}

/** Exponential backoff from 2 s to 5 min, with up to 20 % jitter so devices do not retry in step. */
export function backoffMs(failures: number, random: () => number = Math.random): number {
  if (failures <= 0) return 0;
  const base = Math.min(300_000, 2000 * 2 ** (failures - 1));
  return Math.round(base * (1 + 0.2 * random()));
}

/**
 * Push the outbox, then pull until caught up. Every step is safe to repeat: the server applies each
 * mutation id once, and the cursor only moves with the rows it covers.
 */
/** A push's body stays under this (the backend refuses bodies over 1 MB): sent events carry email bodies. */
const PUSH_BYTES = 768 * 1024;

/** The longest prefix of `list` whose JSON fits in `bytes` (at least one item). */
function withinBytes<T>(list: T[], bytes: number): T[] {
  let used = 0;
  for (let i = 0; i < list.length; i++) {
    used += new TextEncoder().encode(JSON.stringify(list[i])).length + 1;
    if (used > bytes && i > 0) return list.slice(0, i);
  }
  return list;
}

export function createSyncClient(options: SyncClientOptions) {
  let status: SyncStatus = { pending: 0, failures: 0, rejected: [] };

  const call = <T>(method: string, path: string, schema: z.ZodType<T>, more: BackendCallOptions) =>
    backendCall(options.fetch, options.baseUrl, method, path, schema, { ...more, token: options.token });

  async function push(): Promise<MutationResult[]> {
    const rejected: MutationResult[] = [];
    for (;;) {
      const pending = await options.store.pending();
      if (!pending.length) return rejected;
      const batch = withinBytes(pending.slice(0, MAX_MUTATIONS_PER_PUSH), PUSH_BYTES);
      const res = await call('POST', '/sync/push', PushResponse, {
        body: { clientId: options.clientId, mutations: batch },
      });
      rejected.push(...res.results.filter((r) => r.status === 'rejected'));
      await options.store.acknowledge(res.lastMutationId);
      if (res.lastMutationId < batch[batch.length - 1]!.id)
        throw new Error('the server did not take the whole push');
    }
  }

  async function pull(): Promise<void> {
    for (;;) {
      const cursor = await options.store.cursor();
      const res = await call('GET', '/sync/pull', PullResponse, {
        query: { cursor, limit: options.pullLimit ?? 5000 },
      });
      await options.store.applyPulled(res.rows, res.cursor);
      // The store may stop short of rows it holds off for a change of its own still to push: those come
      // again at the next sync, not in a loop now.
      if (!res.more || (await options.store.cursor()) <= cursor) return;
    }
  }

  return {
    status: () => status,
    /** One sync; never throws: the outcome is in the status. */
    async syncOnce(): Promise<SyncStatus> {
      try {
        const rejected = await push();
        await pull();
        status = { lastSyncAt: options.now(), pending: 0, failures: 0, rejected };
      } catch (error) {
        status = {
          ...status,
          pending: (await options.store.pending().catch(() => [])).length,
          failures: status.failures + 1,
          error: error instanceof Error ? error.message : String(error),
        };
      }
      return status;
    },
  };
}
export type SyncClient = ReturnType<typeof createSyncClient>;
