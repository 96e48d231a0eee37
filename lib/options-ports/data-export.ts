import type { ThreadlineDb } from '../db/database';
import type { AlarmPort } from '../runner/deps';

/** Settings rows that hold a credential (a backend session, say) never leave the device. */
const SECRET_KEY = /token|secret|session|password|credential|apikey/i;

export interface DataExport {
  format: 'threadline-export';
  version: 1;
  exportedAt: string;
  /** Every table of the local database, row by row. */
  tables: Record<string, unknown[]>;
}

/**
 * Everything this device holds for the rep, as one JSON document. OAuth tokens and the backend session live in
 * a database of their own (lib/background/credential-store.ts), not this one, so they are never part of it;
 * settings rows named like a credential are left out too.
 */
export async function exportAllData(db: ThreadlineDb, at: number): Promise<DataExport> {
  const tables: Record<string, unknown[]> = {};
  await db.transaction('r', db.tables, async (tx) => {
    for (const table of db.tables) {
      const rows = await tx.table(table.name).toArray();
      tables[table.name] =
        table.name === 'meta' ? rows.filter((r: { key: string }) => !SECRET_KEY.test(r.key)) : rows;
    }
  });
  return { format: 'threadline-export', version: 1, exportedAt: new Date(at).toISOString(), tables };
}

export interface StopSending {
  alarm: AlarmPort;
  /** Disconnects every mailbox (its tokens are removed with it). */
  disconnectMailboxes(): Promise<void>;
}

/**
 * Deletes all of the rep's data on this device. Sending stops first (no alarm, no mailbox to send from), so
 * nothing can go out half-way through; then every table is emptied in one transaction.
 */
export async function deleteAllData(db: ThreadlineDb, stop: StopSending): Promise<void> {
  await stop.alarm.clear();
  await stop.disconnectMailboxes();
  await db.transaction('rw', db.tables, (tx) => Promise.all(db.tables.map((t) => tx.table(t.name).clear())));
}
