import type { RunnerDeps } from '../runner/deps';
import { rearm, tick, type TickResult } from '../runner/tick';

/**
 * Runs the engine inside the service worker: one tick at a time (a tick asked for while one runs is run
 * right after it), and the alarm reconciled from the database whenever the worker starts. Keeps no state
 * that matters across worker restarts.
 */
export function createEngineHost(deps: RunnerDeps, log: Pick<Console, 'error'> = console) {
  let running: Promise<TickResult | undefined> | undefined;
  let again = false;

  async function loop(): Promise<TickResult | undefined> {
    let last: TickResult | undefined;
    do {
      again = false;
      try {
        last = await tick(deps);
      } catch (error) {
        // A failed tick must not leave the engine without an alarm: re-arm from whatever is committed.
        log.error('Threadline: tick failed', error);
        await rearm(deps).catch((e) => log.error('Threadline: re-arm failed', e));
      }
    } while (again);
    return last;
  }

  return {
    /** Asks for a tick; concurrent requests collapse into one more pass. */
    tick(): Promise<TickResult | undefined> {
      if (running) {
        again = true;
        return running;
      }
      running = loop().finally(() => (running = undefined));
      return running;
    },
    /** At worker start: the alarm may have been dropped; set it again from the due index. */
    reconcile(): Promise<number | undefined> {
      return rearm(deps);
    },
  };
}
