import { CLEARABLE_PROGRESS, type MutationName } from '../contract/mutations';
import { DEAL_CLEARABLE } from '../contract/process-mutations';
import type { Contact } from '../domain/contact';
import type { Deal } from '../domain/deal';
import type { Enrollment } from '../domain/enrollment';
import type { Event } from '../domain/event';
import type { Sequence } from '../domain/sequence';
import type { Suppression } from '../domain/suppression';
import type { Task } from '../domain/task';

/** The local tables whose changes go to the backend, and the named mutation each change becomes. */
export const SYNCED_TABLES = [
  'sequences',
  'contacts',
  'enrollments',
  'tasks',
  'events',
  'suppressions',
  'deals',
  'dealEvents',
  'dealFlags',
  'playbooks',
] as const;
export type SyncedTable = (typeof SYNCED_TABLES)[number];
export const isSyncedTable = (name: string): name is SyncedTable =>
  (SYNCED_TABLES as readonly string[]).includes(name);

export interface PendingMutation {
  name: MutationName;
  args: Record<string, unknown>;
}

/** Runner-owned enrollment fields carried by `enrollment.progress` (lib/contract/mutations.ts). */
const PROGRESS_FIELDS = [
  'stepIndex',
  'readyAt',
  'dueAt',
  'waitingTaskId',
  'threadId',
  'threadSubject',
  'lastMessageId',
  'lastProviderMessageId',
  'messageIds',
  'failures',
  'detail',
  'remainingMs',
  'pausedUntil',
  'attention',
] as const satisfies readonly (keyof Enrollment)[];

const LIVE = new Set(['active', 'paused']);
const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);
const defined = <T extends object>(o: T) =>
  Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Record<string, unknown>;

function sequenceMutations(after: Sequence): PendingMutation[] {
  // The server stamps the owner and the time; everything else is the rep's.
  // eslint-disable-next-line @typescript-eslint/no-unused-vars
  const { ownerId, updatedAt, ...rest } = after as Sequence & { updatedAt?: number };
  return [{ name: 'sequence.upsert', args: defined(rest) }];
}

function enrollmentMutations(before: Enrollment | undefined, after: Enrollment): PendingMutation[] {
  if (!before) {
    // eslint-disable-next-line @typescript-eslint/no-unused-vars
    const { version, ...rest } = after;
    return [{ name: 'enroll', args: defined(rest) }];
  }
  // What happened first (the server applies its own rule for each), then the runner's fields exactly as
  // they now are, so the row the server sends back is this row: a field the runner took away (the task
  // it waited for, a pause's remaining delay) is cleared there too, else a pull would bring it back.
  const out: PendingMutation[] = [];
  // A pause, or a paused enrollment paused again for another reason (the engine's pause takes the new one).
  const paused =
    after.status === 'paused' &&
    (before.status === 'active' || (before.status === 'paused' && before.pauseReason !== after.pauseReason));
  if (paused)
    out.push({
      name: 'enrollment.pause',
      args: defined({
        enrollmentId: after.id,
        at: after.pausedAt,
        reason: after.pauseReason,
        until: after.pausedUntil,
      }),
    });
  if (before.status === 'paused' && after.status === 'active')
    out.push({
      name: 'enrollment.resume',
      args: defined({
        enrollmentId: after.id,
        at: after.readyAt ?? after.dueAt ?? before.pausedAt,
        readyAt: after.readyAt,
        dueAt: after.dueAt,
      }),
    });
  if (LIVE.has(before.status) && after.status === 'unenrolled')
    out.push({
      name: 'enrollment.unenroll',
      args: defined({
        enrollmentId: after.id,
        at: after.endedAt,
        reason: after.reason,
        detail: after.detail,
      }),
    });
  // The rep's move to another step (lib/runner/move.ts): the runner itself only ever goes one step on, so a
  // live enrollment landing anywhere else was moved; the server applies the engine's move rule to it.
  const moved =
    LIVE.has(before.status) &&
    LIVE.has(after.status) &&
    after.stepIndex !== before.stepIndex &&
    after.stepIndex !== before.stepIndex + 1;
  if (moved)
    out.push({
      name: 'enrollment.move',
      args: defined({
        enrollmentId: after.id,
        sequenceId: after.sequenceId,
        toStep: after.stepIndex,
        readyAt: after.readyAt,
        dueAt: after.dueAt,
        remainingMs: after.remainingMs,
      }),
    });
  const progress: Record<string, unknown> = {};
  for (const field of PROGRESS_FIELDS)
    if (after[field] !== undefined && !same(before[field], after[field]) && !(moved && field === 'stepIndex'))
      progress[field] = after[field];
  const cleared = CLEARABLE_PROGRESS.filter((f) => before[f] !== undefined && after[f] === undefined);
  const finished = LIVE.has(before.status) && after.status === 'finished';
  if (Object.keys(progress).length || cleared.length || finished)
    out.push({
      name: 'enrollment.progress',
      args: {
        enrollmentId: after.id,
        ...progress,
        ...(cleared.length ? { cleared } : {}),
        ...(finished ? { finishedAt: after.endedAt } : {}),
      },
    });
  return out;
}

function taskMutations(before: Task | undefined, after: Task): PendingMutation[] {
  if (!before) return [{ name: 'task.create', args: defined({ ...after }) }];
  if (before.status !== 'open') return [];
  if (after.status === 'completed')
    return [
      {
        name: 'task.complete',
        args: defined({
          taskId: after.id,
          at: after.doneAt,
          outcome: after.outcome,
          notes: after.outcomeNotes,
        }),
      },
    ];
  if (after.status === 'skipped')
    return [{ name: 'task.skip', args: { taskId: after.id, at: after.doneAt } }];
  if (after.dueAt !== before.dueAt)
    return [{ name: 'task.snooze', args: { taskId: after.id, dueAt: after.dueAt } }];
  return [];
}

/**
 * The mutations that tell the backend about one local row change (`before` absent for a new row, `after`
 * absent for a deletion). Changes the backend has no operation for (a deleted sequence or event, an
 * enrollment's per-step edits after enrolling) produce none.
 */
export function mutationsForChange(table: SyncedTable, before: unknown, after: unknown): PendingMutation[] {
  switch (table) {
    case 'sequences':
      return after ? sequenceMutations(after as Sequence) : [];
    case 'contacts':
      if (!after)
        return before ? [{ name: 'contact.delete', args: { contactId: (before as Contact).id } }] : [];
      return same(before, after)
        ? []
        : [{ name: 'contact.upsert', args: defined({ ...(after as Contact) }) }];
    case 'enrollments':
      return after ? enrollmentMutations(before as Enrollment | undefined, after as Enrollment) : [];
    case 'tasks':
      return after ? taskMutations(before as Task | undefined, after as Task) : [];
    case 'suppressions':
      if (!after)
        return before ? [{ name: 'suppression.remove', args: { email: (before as Suppression).email } }] : [];
      return before ? [] : [{ name: 'suppression.add', args: defined({ ...(after as Suppression) }) }];
    case 'events':
      return [];
    case 'deals':
      if (!after) return before ? [{ name: 'deal.delete', args: { dealId: (before as Deal).id } }] : [];
      return dealMutations(before as Deal | undefined, after as Deal);
    case 'dealEvents':
      // History is append-only: only new rows travel.
      return after && !before
        ? [{ name: 'dealEvents.record', args: { events: [defined({ ...after })] } }]
        : [];
    case 'dealFlags':
      return after && !same(before, after) ? [{ name: 'dealFlag.upsert', args: defined({ ...after }) }] : [];
    case 'playbooks':
      if (!after)
        return before
          ? [{ name: 'playbook.delete', args: { playbookId: (before as { id: string }).id } }]
          : [];
      return same(before, after) ? [] : [{ name: 'playbook.upsert', args: defined({ ...after }) }];
  }
}

/**
 * A new deal whole; a change as the fields that changed (and the optional ones taken away), so a manager's
 * move and the owner's edits of other fields on another device both survive (field-level, server order).
 * The owner is the server's to stamp.
 */
function dealMutations(before: Deal | undefined, after: Deal): PendingMutation[] {
  // eslint-disable-next-line @typescript-eslint/no-unused-vars
  const { ownerId, ...rest } = after;
  if (!before) return [{ name: 'deal.upsert', args: defined(rest) }];
  const changed = Object.fromEntries(
    Object.entries(rest).filter(([key, value]) => !same(value, before[key as keyof Deal])),
  );
  const cleared = DEAL_CLEARABLE.filter((f) => before[f] !== undefined && after[f] === undefined);
  if (!Object.keys(changed).length && !cleared.length) return [];
  return [
    {
      name: 'deal.upsert',
      args: { ...defined(changed), id: after.id, ...(cleared.length ? { cleared } : {}) },
    },
  ];
}

/** New events travel in batches (`events.record` takes up to 1,000). */
export function eventMutations(added: readonly Event[]): PendingMutation[] {
  const out: PendingMutation[] = [];
  for (let i = 0; i < added.length; i += 1000)
    out.push({ name: 'events.record', args: { events: added.slice(i, i + 1000).map((e) => defined(e)) } });
  return out;
}
