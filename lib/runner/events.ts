import { transact, type Store } from '../db/database';
import type { Enrollment } from '../domain/enrollment';
import type { Event } from '../domain/event';
import type { RunnerDeps } from './deps';

/**
 * Collects the events of one transaction and announces them only after it commits, so an observer never
 * sees something that was rolled back.
 */
export class EventBatch {
  private readonly pending: Event[] = [];
  constructor(private readonly store: Store) {}

  async add(
    e: Omit<Event, 'sequenceId' | 'contactId' | 'mailbox'> & { enrollment?: Enrollment },
  ): Promise<void> {
    const { enrollment, ...rest } = e;
    const event: Event = {
      ...rest,
      ...(enrollment
        ? {
            enrollmentId: enrollment.id,
            sequenceId: enrollment.sequenceId,
            contactId: enrollment.contactId,
            mailbox: enrollment.mailbox,
          }
        : {}),
    };
    // Deterministic ids make replays idempotent: the same happening is stored once.
    await this.store.events.put(event);
    this.pending.push(event);
  }

  /** The usual state-change events, with their deterministic ids. */
  resumed(prev: Enrollment, next: Enrollment, at: number): Promise<void> {
    return this.add({
      id: `resumed:${prev.id}:${next.version}`,
      at,
      type: 'resumed',
      enrollment: next,
      stepIndex: prev.stepIndex,
      reason: prev.pauseReason,
    });
  }

  paused(prev: Enrollment, next: Enrollment, at: number, data?: Record<string, unknown>): Promise<void> {
    return this.add({
      id: `paused:${prev.id}:${next.version}`,
      at,
      type: 'paused',
      reason: next.pauseReason,
      enrollment: next,
      stepIndex: prev.stepIndex,
      ...(data ? { data } : {}),
    });
  }

  /** Records `finished` when the enrollment just finished with step `stepIndex`. */
  async finishedIf(next: Enrollment, at: number, stepIndex: number): Promise<void> {
    if (next.status === 'finished')
      await this.add({ id: `finished:${next.id}`, at, type: 'finished', enrollment: next, stepIndex });
  }

  announce(deps: Pick<RunnerDeps, 'onEvent'>): void {
    for (const e of this.pending.splice(0)) deps.onEvent?.(e);
  }
}

/** One read-write transaction whose events are announced once it has committed. */
export async function inTransaction<T>(
  deps: Pick<RunnerDeps, 'db' | 'onEvent'>,
  work: (store: Store, events: EventBatch) => Promise<T>,
): Promise<T> {
  let batch: EventBatch | undefined;
  const result = await transact(deps.db, (store) => work(store, (batch = new EventBatch(store))));
  batch?.announce(deps);
  return result;
}
