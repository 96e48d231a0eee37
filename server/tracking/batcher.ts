import type { Event } from '../../lib/domain/event';
import type { Db } from '../db/database';
import type { Logger } from '../log';
import { ChangeWriter } from '../sync/changes';

export interface QueuedEvent {
  teamId: string;
  ownerId: string;
  event: Event;
}

/**
 * Opens and clicks are written in batches (one transaction per team every `maxDelayMs` or `maxBatch`
 * events), so the pixel answers without waiting for the database. A crash loses at most one batch of
 * opens and clicks; unsubscribes are never batched.
 */
export function createEventBatcher(db: Db, log: Logger, { maxDelayMs = 50, maxBatch = 500 } = {}) {
  let queue: QueuedEvent[] = [];
  let timer: ReturnType<typeof setTimeout> | undefined;
  let writing: Promise<void> = Promise.resolve();

  async function write(batch: QueuedEvent[]) {
    const byTeam = new Map<string, QueuedEvent[]>();
    for (const q of batch) {
      const items = byTeam.get(q.teamId);
      if (items) items.push(q);
      else byTeam.set(q.teamId, [q]);
    }
    for (const [teamId, items] of byTeam) {
      try {
        await db.transaction().execute(async (trx) => {
          const w = await ChangeWriter.open(trx, teamId);
          await w.insertNew(
            'event',
            items.map((q) => ({
              id: q.event.id,
              row: { ownerId: q.ownerId, shared: false, deleted: false, data: q.event },
            })),
          );
          await w.finish();
        });
      } catch (err) {
        log.error({ err, teamId, events: items.length }, 'tracking events lost: their batch failed to write');
      }
    }
  }

  function flush(): Promise<void> {
    if (timer) clearTimeout(timer);
    timer = undefined;
    const batch = queue;
    queue = [];
    writing = writing.then(() => (batch.length ? write(batch) : undefined));
    return writing;
  }

  return {
    add(item: QueuedEvent) {
      queue.push(item);
      if (queue.length >= maxBatch) void flush();
      else timer ??= setTimeout(() => void flush(), maxDelayMs);
    },
    /** Writes everything queued so far (on shutdown, and in tests). */
    flush,
  };
}
export type EventBatcher = ReturnType<typeof createEventBatcher>;
