import type Dexie from 'dexie';
import type {
  DBCore,
  DBCoreMutateRequest,
  DBCoreTable,
  DBCoreTransaction,
  Middleware,
  Transaction,
} from 'dexie';
import type { Event } from '../domain/event';
import {
  eventMutations,
  isSyncedTable,
  mutationsForChange,
  type PendingMutation,
  type SyncedTable,
} from './row-mutations';

/** A queued mutation for the backend; the auto-incremented `id` is the mutation id the server sees. */
export interface SyncOutboxRow extends PendingMutation {
  id?: number;
}

export const SYNC_OUTBOX = 'syncOutbox';
/** meta key: set once the rep signs in to a backend; until then nothing is queued. */
export const SYNC_CAPTURE_KEY = 'sync.capture';

const remote = new WeakSet<object>();

/**
 * Marks a transaction as applying the backend's rows, so the changes it makes are not sent back
 * (tldraw's store tags every change with its source the same way).
 */
export function markRemote(tx: Transaction): void {
  remote.add((tx as unknown as { idbtrans: object }).idbtrans);
}

function keysOf(table: DBCoreTable, req: DBCoreMutateRequest): unknown[] | undefined {
  if (req.type === 'delete') return req.keys;
  if (req.type === 'deleteRange') return undefined;
  if (req.keys) return req.keys;
  const keyPath = table.schema.primaryKey.keyPath;
  if (typeof keyPath !== 'string') return undefined;
  return req.values.map((v) => (v as Record<string, unknown>)[keyPath]);
}

/**
 * A DBCore middleware that turns every committed local write to a synced table into the backend's named
 * mutations, queued in `syncOutbox` in the same transaction: whatever writes (the runner, the inbox
 * handlers, the options page), nothing changes locally without its mutation, and a rolled-back write
 * queues nothing. Clearing a whole table (deleteRange) is local only: deleting one's data on this device
 * does not delete it on the backend.
 */
export function syncCaptureMiddleware(): Middleware<DBCore> {
  return {
    stack: 'dbcore',
    name: 'threadline-sync-capture',
    create(down) {
      const outbox = () => down.table(SYNC_OUTBOX);
      const enabled = async (trans: DBCoreTransaction) =>
        (await down.table('meta').get({ trans, key: SYNC_CAPTURE_KEY }))?.value === true;
      return {
        ...down,
        transaction(stores, mode, options) {
          const wanted =
            mode === 'readwrite' && stores.some(isSyncedTable)
              ? [...new Set([...stores, SYNC_OUTBOX, 'meta'])]
              : stores;
          return down.transaction(wanted, mode, options);
        },
        table(name) {
          const table = down.table(name);
          if (!isSyncedTable(name)) return table;
          return {
            ...table,
            async mutate(req) {
              if (remote.has(req.trans) || req.type === 'deleteRange' || !(await enabled(req.trans)))
                return table.mutate(req);
              const keys = keysOf(table, req);
              const before =
                keys && req.type !== 'add' ? await table.getMany({ trans: req.trans, keys }) : [];
              const res = await table.mutate(req);
              const failed = new Set(Object.keys(res.failures).map(Number));
              const mutations =
                name === 'events'
                  ? req.type === 'delete'
                    ? []
                    : // Events are immutable: only new ones travel (a replayed event keeps its id).
                      eventMutations(req.values.filter((_, i) => !failed.has(i) && !before[i]) as Event[])
                  : (keys ?? []).flatMap((_, i) =>
                      failed.has(i)
                        ? []
                        : mutationsForChange(
                            name as SyncedTable,
                            before[i],
                            req.type === 'delete' ? undefined : req.values[i],
                          ),
                    );
              if (mutations.length)
                await outbox().mutate({ type: 'add', trans: req.trans, values: mutations });
              return res;
            },
          };
        },
      };
    },
  };
}

export function installSyncCapture(db: Dexie): void {
  db.use(syncCaptureMiddleware());
}
