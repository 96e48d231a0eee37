import Dexie, { type DexieOptions, type Table } from 'dexie';
import type { Contact } from '../domain/contact';
import type { Deal, DealEvent, DealFlag } from '../domain/deal';
import type { Enrollment } from '../domain/enrollment';
import type { Event } from '../domain/event';
import type { Sequence } from '../domain/sequence';
import type { Suppression } from '../domain/suppression';
import type { Task } from '../domain/task';
import type { Playbook } from '../domain/playbook';
import type { OutgoingMessage } from '../mail/provider';
import { installSyncCapture, type SyncOutboxRow } from './sync-capture';

/**
 * One row per (enrollment, step) that the runner tried to send: the exactly-once record of
 * ARCHITECTURE.md "Sending exactly once". `claimed` rows whose lease ran out are settled by asking the mailbox
 * for the deterministic Message-ID before anything is sent again.
 */
export interface OutboxRow {
  /** `${enrollmentId}:${stepIndex}` */
  id: string;
  enrollmentId: string;
  stepIndex: number;
  mailbox: string;
  messageId: string;
  state: 'claimed' | 'sent' | 'cancelled';
  /** Bumped by every claim; a commit whose token is not the row's current one is dropped. */
  fencing: number;
  leaseUntil: number;
  /** Claims so far; more than one means an earlier attempt may have reached the provider. */
  attempts: number;
  createdAt: number;
  sentAt?: number;
  providerMessageId?: string;
  threadId?: string;
  payload: OutgoingMessage;
}

/** The mailbox's send ledger, for the rolling caps. */
export interface SendRecord {
  id: string;
  mailbox: string;
  sentAt: number;
}

/** An inbound message the reply watcher has handled, so a re-sync never acts on it twice. */
export interface InboundRow {
  /** `${mailbox}:${providerMessageId}` */
  id: string;
  mailbox: string;
  at: number;
  kind: string;
  contactId?: string;
}

export interface MetaRow {
  key: string;
  value: unknown;
}

export const DB_NAME = 'threadline';

export class ThreadlineDb extends Dexie {
  contacts!: Table<Contact, string>;
  sequences!: Table<Sequence, string>;
  enrollments!: Table<Enrollment, string>;
  tasks!: Table<Task, string>;
  outbox!: Table<OutboxRow, string>;
  sends!: Table<SendRecord, string>;
  events!: Table<Event, string>;
  suppressions!: Table<Suppression, string>;
  meta!: Table<MetaRow, string>;
  inbound!: Table<InboundRow, string>;
  syncOutbox!: Table<SyncOutboxRow, number>;
  deals!: Table<Deal, string>;
  dealEvents!: Table<DealEvent, string>;
  dealFlags!: Table<DealFlag, string>;
  playbooks!: Table<Playbook, string>;

  constructor(name = DB_NAME, options?: DexieOptions) {
    super(name, options);
    defineVersions(this);
    installSyncCapture(this);
  }
}

/**
 * Numbered versions. Never edit a released version: add the next one with its upgrade, and a test in
 * database.test.ts that opens a database of the previous version and checks what the upgrade did.
 */
export function defineVersions(db: Dexie, upTo = Infinity): void {
  // v1: the first release.
  db.version(1).stores({
    contacts: 'id, &email',
    sequences: 'id, ownerId',
    // dueAt is absent while an enrollment waits for someone, so the index holds only what the runner must look at.
    enrollments: 'id, contactId, sequenceId, status, dueAt',
    tasks: 'id, enrollmentId, status, dueAt',
    outbox: 'id, state, leaseUntil',
    sends: 'id, [mailbox+sentAt]',
    events: 'id, at, enrollmentId, type',
    suppressions: 'email',
    meta: 'key',
  });
  if (upTo < 2) return;
  // v2: colleagues are found by company domain (unenroll the company on reply), and the task queue reads open
  // tasks by due time. Contacts saved by v1 get their domain from their address.
  db.version(2)
    .stores({
      contacts: 'id, &email, domain',
      tasks: 'id, enrollmentId, status, dueAt, [status+dueAt]',
    })
    .upgrade((tx) =>
      tx
        .table<Contact, string>('contacts')
        .toCollection()
        .modify((c) => {
          if (!c.domain) c.domain = c.email.split('@')[1];
        }),
    );
  if (upTo < 3) return;
  // v3: the reply watcher finds the enrollment of a thread by its id, and remembers what it has handled.
  db.version(3).stores({
    enrollments: 'id, contactId, sequenceId, status, dueAt, threadId',
    inbound: 'id, mailbox, at',
  });
  if (upTo < 4) return;
  // v4: the mutations waiting for the backend (sync-capture.ts); the key is the mutation id it sees.
  db.version(4).stores({ syncOutbox: '++id' });
  if (upTo < 5) return;
  // v5: the behavior layer (lib/domain/deal.ts, playbook.ts). A thread finds its deal by an explicit link
  // (multi-entry threadIds) or by its participants' company domain; history and flags are read per deal.
  db.version(5).stores({
    deals: 'id, ownerId, companyDomain, *threadIds, status, updatedAt',
    dealEvents: 'id, [dealId+at], at',
    dealFlags: 'id, dealId, ownerId, ruleId, raisedAt',
    playbooks: 'id, pipelineId',
  });
  if (upTo < 6) return;
  // v6: a sequence's Enrollments view reads its first screen newest first, with a limit, before the rest.
  db.version(6).stores({
    enrollments: 'id, contactId, sequenceId, status, dueAt, threadId, [sequenceId+enrolledAt]',
  });
}

export type Store = Pick<
  ThreadlineDb,
  | 'contacts'
  | 'sequences'
  | 'enrollments'
  | 'tasks'
  | 'outbox'
  | 'sends'
  | 'events'
  | 'suppressions'
  | 'meta'
  | 'inbound'
>;
const STORE_TABLES = [
  'inbound',
  'contacts',
  'sequences',
  'enrollments',
  'tasks',
  'outbox',
  'sends',
  'events',
  'suppressions',
  'meta',
] as const;

/**
 * Runs `work` in one read-write transaction over every table, handing it tables bound to that transaction.
 * Code inside uses only `store`, never `db`: Dexie's implicit transaction zone does not survive every chain of
 * nested native async functions, an explicit binding does.
 */
export function transact<T>(db: ThreadlineDb, work: (store: Store) => Promise<T>): Promise<T> {
  return db.transaction('rw', STORE_TABLES, (tx) => {
    const bound = Object.fromEntries(STORE_TABLES.map((name) => [name, tx.table(name)])) as unknown as Store;
    return work(bound);
  });
}
