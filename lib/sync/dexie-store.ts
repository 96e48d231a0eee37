import type { Table } from 'dexie';
import type { ZodType } from 'zod';
import type { ChangedRow, EntityKind, Mutation } from '../contract/sync';
import { ContactSchema } from '../domain/contact';
import { DealEventSchema, DealFlagSchema, DealSchema } from '../domain/deal';
import { PlaybookSchema } from '../domain/playbook';
import { EnrollmentSchema } from '../domain/enrollment';
import { EventSchema } from '../domain/event';
import { SequenceSchema } from '../domain/sequence';
import { SuppressionSchema } from '../domain/suppression';
import { TaskSchema } from '../domain/task';
import type { ThreadlineDb } from '../db/database';
import { markRemote, SYNC_CAPTURE_KEY, type SyncOutboxRow } from '../db/sync-capture';
import { eventMutations, mutationsForChange, type PendingMutation } from '../db/row-mutations';
import type { SyncStore } from './sync-client';

const CURSOR_KEY = 'sync.cursor';
const TABLES = {
  sequence: { table: 'sequences', schema: SequenceSchema },
  contact: { table: 'contacts', schema: ContactSchema },
  enrollment: { table: 'enrollments', schema: EnrollmentSchema },
  task: { table: 'tasks', schema: TaskSchema },
  event: { table: 'events', schema: EventSchema },
  suppression: { table: 'suppressions', schema: SuppressionSchema },
  deal: { table: 'deals', schema: DealSchema },
  deal_event: { table: 'dealEvents', schema: DealEventSchema },
  deal_flag: { table: 'dealFlags', schema: DealFlagSchema },
  playbook: { table: 'playbooks', schema: PlaybookSchema },
} as const satisfies Record<EntityKind, { table: keyof ThreadlineDb; schema: ZodType }>;
/** A manager pulls the team's rows; only the rep's own (and what is shared) belong in the working tables. */
const SHARED_KINDS = new Set<EntityKind>(['sequence', 'suppression', 'playbook']);
/**
 * A manager's board and process analytics show the team's deals: theirs are kept too (their owner is not
 * the local rep, so nothing on this device acts on them; see CONTRACTS "Deals sync").
 */
const TEAM_KINDS = new Set<EntityKind>(['deal', 'deal_event', 'deal_flag']);
/** Kinds whose `ownerId` is the rep's address: the backend's sign-in address becomes this device's mailbox. */
const OWNED_BY_ADDRESS = new Set<EntityKind>(['sequence', 'deal', 'deal_flag']);

/** The entity a queued mutation is about, so a pulled row never overwrites a local change not yet pushed. */
function entityOf(m: PendingMutation): string[] {
  const a = m.args;
  const key = (kind: EntityKind, id: unknown) => (typeof id === 'string' ? [`${kind}:${id}`] : []);
  if (m.name === 'enroll') return key('enrollment', a.id);
  if (m.name === 'task.create') return key('task', a.id);
  if (m.name === 'sequence.upsert') return key('sequence', a.id);
  if (m.name === 'contact.upsert') return key('contact', a.id);
  if (m.name === 'events.record') return [];
  if (m.name === 'deal.upsert') return key('deal', a.id);
  if (m.name === 'dealFlag.upsert') return key('deal_flag', a.id);
  if (m.name === 'playbook.upsert') return key('playbook', a.id);
  if (m.name === 'dealEvents.record') return [];
  return [
    ...key('enrollment', a.enrollmentId),
    ...key('task', a.taskId),
    ...key('sequence', a.sequenceId),
    ...key('contact', a.contactId),
    ...key('suppression', typeof a.email === 'string' ? a.email.toLowerCase() : undefined),
    ...key('deal', a.dealId),
    ...key('playbook', a.playbookId),
  ];
}

export interface DexieSyncStore extends SyncStore {
  /** Rows the last pulls could not use (invalid for this version of the extension), for the status. */
  skipped(): number;
}

export function createDexieSyncStore(db: ThreadlineDb): DexieSyncStore {
  let skipped = 0;
  return {
    skipped: () => skipped,
    async pending(): Promise<Mutation[]> {
      const rows = await db.syncOutbox.orderBy('id').limit(1000).toArray();
      return rows.map((r) => ({ id: r.id!, name: r.name, args: r.args }));
    },
    async acknowledge(lastMutationId) {
      await db.syncOutbox.where('id').belowOrEqual(lastMutationId).delete();
    },
    async cursor() {
      const value = (await db.meta.get(CURSOR_KEY))?.value;
      return typeof value === 'number' ? value : 0;
    },
    async applyPulled(rows: (ChangedRow & { mine?: boolean })[], cursor) {
      const names = [...new Set(Object.values(TABLES).map((t) => t.table)), 'meta', 'syncOutbox'];
      await db.transaction('rw', names, async (tx) => {
        markRemote(tx);
        // The backend owns sequences by member id; on this device the rep's own are theirs by address.
        const repEmail = ((await tx.table('meta').get('rep'))?.value as { email?: string } | undefined)
          ?.email;
        const waiting = new Set(
          (await tx.table<SyncOutboxRow, number>('syncOutbox').toArray()).flatMap(entityOf),
        );
        // A row held off because a local change to it waits to be pushed is pulled again later: the cursor
        // stops short of it. Once the change is pushed the row comes back as the server has it (the change
        // applied, or ignored, or refused) and is taken then.
        let heldFrom: number | undefined;
        for (const row of rows) {
          if (waiting.has(`${row.kind}:${row.id}`)) {
            heldFrom = Math.min(heldFrom ?? row.version, row.version);
            continue;
          }
          const { table, schema } = TABLES[row.kind];
          const target = tx.table(table) as Table<unknown, string>;
          if (row.deleted || !row.data) {
            await target.delete(row.id);
            continue;
          }
          if (row.mine === false && !SHARED_KINDS.has(row.kind) && !TEAM_KINDS.has(row.kind)) continue;
          const data =
            OWNED_BY_ADDRESS.has(row.kind) && row.mine && repEmail
              ? { ...row.data, ownerId: repEmail }
              : row.data;
          const parsed = (schema as ZodType).safeParse(data);
          if (!parsed.success) {
            skipped++;
            continue;
          }
          await target.put(parsed.data);
        }
        const before = (await tx.table('meta').get(CURSOR_KEY))?.value;
        const from = typeof before === 'number' ? before : 0;
        await tx.table('meta').put({
          key: CURSOR_KEY,
          value: heldFrom === undefined ? cursor : Math.max(from, Math.min(cursor, heldFrom - 1)),
        });
      });
    },
  };
}

/**
 * Starts sending this device's changes to a backend: from now on every local write is queued, and what the
 * device already holds is queued first, in an order the server can apply (contacts and sequences before the
 * enrollments that use them, enrollments before their tasks and events). Signing in as someone else starts
 * over from an empty queue and cursor.
 */
export async function enableSync(db: ThreadlineDb, userId: string): Promise<void> {
  await db.transaction(
    'rw',
    [
      'meta',
      'syncOutbox',
      'sequences',
      'contacts',
      'enrollments',
      'tasks',
      'events',
      'suppressions',
      'playbooks',
      'deals',
      'dealEvents',
      'dealFlags',
    ],
    async (tx) => {
      markRemote(tx);
      const meta = tx.table('meta');
      const current = (await meta.get('sync.user'))?.value;
      const capturing = (await meta.get(SYNC_CAPTURE_KEY))?.value === true;
      if (capturing && current === userId) return;
      await tx.table('syncOutbox').clear();
      await meta.put({ key: CURSOR_KEY, value: 0 });
      const snapshot: PendingMutation[] = [
        ...(await tx.table('contacts').toArray()).flatMap((c) =>
          mutationsForChange('contacts', undefined, c),
        ),
        ...(await tx.table('sequences').toArray()).flatMap((s) =>
          mutationsForChange('sequences', undefined, s),
        ),
        ...(await tx.table('suppressions').toArray()).flatMap((s) =>
          mutationsForChange('suppressions', undefined, s),
        ),
        ...(await tx.table('enrollments').toArray()).flatMap((e) =>
          mutationsForChange('enrollments', undefined, e),
        ),
        ...(await tx.table('tasks').toArray()).flatMap((t) => mutationsForChange('tasks', undefined, t)),
        ...eventMutations(await tx.table('events').orderBy('at').toArray()),
        // Deals before their history and flags; playbooks (managers and admins only) first.
        ...(await tx.table('playbooks').toArray()).flatMap((p) =>
          mutationsForChange('playbooks', undefined, p),
        ),
        ...(await tx.table('deals').toArray()).flatMap((d) => mutationsForChange('deals', undefined, d)),
        ...(await tx.table('dealEvents').orderBy('at').toArray()).flatMap((e) =>
          mutationsForChange('dealEvents', undefined, e),
        ),
        ...(await tx.table('dealFlags').toArray()).flatMap((f) =>
          mutationsForChange('dealFlags', undefined, f),
        ),
      ];
      if (snapshot.length) await tx.table('syncOutbox').bulkAdd(snapshot);
      await meta.put({ key: 'sync.user', value: userId });
      await meta.put({ key: SYNC_CAPTURE_KEY, value: true });
    },
  );
}

/** Stops queueing changes (signed out); the local data stays. */
export async function disableSync(db: ThreadlineDb): Promise<void> {
  await db.transaction('rw', ['meta', 'syncOutbox'], async (tx) => {
    await tx.table('meta').bulkDelete([SYNC_CAPTURE_KEY, 'sync.user', CURSOR_KEY]);
    await tx.table('syncOutbox').clear();
  });
}
