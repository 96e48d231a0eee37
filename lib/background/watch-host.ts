import type { RunnerDeps } from '../runner/deps';
import { watchMailbox, type WatchResult } from '../runner/reply-watcher';

/**
 * Runs reply-watch cycles in the service worker: one at a time, for every mailbox that has live enrollments
 * and a connected provider. A failing mailbox (expired token, outage) does not stop the others.
 */
export function createWatchHost(deps: RunnerDeps, log: Pick<Console, 'error'> = console) {
  let running: Promise<Record<string, WatchResult>> | undefined;

  async function cycle(): Promise<Record<string, WatchResult>> {
    const results: Record<string, WatchResult> = {};
    const live = await deps.db.enrollments.where('status').anyOf('active', 'paused').toArray();
    for (const mailbox of new Set(live.map((e) => e.mailbox))) {
      if (!deps.mailFor(mailbox)) continue;
      try {
        results[mailbox] = await watchMailbox(deps, mailbox);
      } catch (error) {
        log.error(`Threadline: watching ${mailbox} failed`, error);
      }
    }
    return results;
  }

  return {
    cycle(): Promise<Record<string, WatchResult>> {
      running ??= cycle().finally(() => (running = undefined));
      return running;
    },
  };
}
