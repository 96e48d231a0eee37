import type { ThreadlineDb } from '../db/database';
import type { Handlers } from '../protocol/endpoints';
import type { createEngineHost } from './engine-host';
import { sendsHold } from './sends-on-hold';
import type { createWatchHost } from './watch-host';

export interface RunnerHandlerDeps {
  db: ThreadlineDb;
  engine: Pick<ReturnType<typeof createEngineHost>, 'tick'>;
  watch: Pick<ReturnType<typeof createWatchHost>, 'cycle'>;
  /** The connected accounts are loaded: before that no mailbox has a provider. */
  ready: Promise<unknown>;
  now(): number;
}

/** The engine on demand (the options page's "send due now", the e2e tests), reply checks and the send hold. */
export function runnerHandlers({ db, engine, watch, ready, now }: RunnerHandlerDeps): Handlers {
  return {
    'engine.tick': async () => {
      await ready;
      const r = await engine.tick();
      return {
        sent: r?.sent ?? 0,
        tasks: r?.tasks ?? 0,
        ...(r?.nextDueAt !== undefined ? { nextDueAt: r.nextDueAt } : {}),
      };
    },
    'replies.check': async () => {
      await ready;
      const results = Object.values(await watch.cycle());
      return {
        looked: results.reduce((n, r) => n + r.looked, 0),
        stopped: results.reduce((n, r) => n + r.signals.length, 0),
      };
    },
    'sends.hold': () => sendsHold(db, now()),
  };
}
