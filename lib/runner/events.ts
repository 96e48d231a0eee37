import type { ThreadlineDb } from '../db/database';
import type { Enrollment } from '../domain/enrollment';
import type { Event } from '../domain/event';
import type { RunnerDeps } from './deps';

/**
 * Collects the events of one transaction and announces them only after it commits, so an observer never
 * sees something that was rolled back.
 */
export class EventBatch {
  private readonly pending: Event[] = [];
  constructor(private readonly db: ThreadlineDb) {}

  async add(e: Omit<Event, 'sequenceId' | 'contactId' | 'mailbox'> & { enrollment?: Enrollment }): Promise<void> {
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
    await this.db.events.put(event);
    this.pending.push(event);
  }

  announce(deps: Pick<RunnerDeps, 'onEvent'>): void {
    for (const e of this.pending.splice(0)) deps.onEvent?.(e);
  }
}
