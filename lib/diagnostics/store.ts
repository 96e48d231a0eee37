import Dexie, { type Table } from 'dexie';
import type { DiagnosticEntry, DiagnosticReport } from '../protocol/diagnostics';

/** How many distinct misses are kept: enough for a bug report, small enough to read at a glance. */
export const KEEP = 50;

type Row = Omit<DiagnosticEntry, 'id'> & { id?: number };

/**
 * The diagnostics log in the extension's IndexedDB, a database of its own so it never shares a version number
 * with the main one. One row per host, anchor, page kind and version: seeing it again updates its time and
 * count instead of adding rows.
 */
export class DiagnosticsDb extends Dexie {
  entries!: Table<Row, number>;
  constructor(name = 'threadline-diagnostics', options?: ConstructorParameters<typeof Dexie>[1]) {
    super(name, options);
    this.version(1).stores({ entries: '++id, at, [host+anchor+page+version]' });
  }
}

export interface Seen extends DiagnosticReport {
  host: string;
  version: string;
}

export async function recordDiagnostic(db: DiagnosticsDb, seen: Seen, now: number): Promise<void> {
  await db.transaction('rw', db.entries, async () => {
    const same = await db.entries
      .where('[host+anchor+page+version]')
      .equals([seen.host, seen.anchor, seen.page, seen.version])
      .filter((e) => e.detail === seen.detail)
      .first();
    if (same?.id !== undefined) {
      await db.entries.update(same.id, { at: now, count: same.count + 1 });
    } else {
      await db.entries.add({ ...seen, at: now, firstAt: now, count: 1 });
    }
    const extra = (await db.entries.count()) - KEEP;
    if (extra > 0) await db.entries.bulkDelete(await db.entries.orderBy('at').limit(extra).primaryKeys());
  });
}

export async function listDiagnostics(db: DiagnosticsDb): Promise<DiagnosticEntry[]> {
  const rows = await db.entries.orderBy('at').reverse().toArray();
  return rows.map((r) => ({ ...r, id: r.id! }));
}

export const clearDiagnostics = (db: DiagnosticsDb) => db.entries.clear();
