import type { Handlers } from '../protocol/endpoints';
import type { RunnerDeps } from '../runner/deps';
import { moveEnrollment } from '../runner/move';

export interface EnrollmentsHandlerDeps {
  runner: RunnerDeps;
  /** The engine runs now (a moved enrollment may be due at once). */
  tick(): Promise<unknown>;
  /** The open views and the toolbar badge recount. */
  queueChanged(): void;
  now(): number;
}

/**
 * The Enrollments view's bulk actions. `enrollments.*` messages are for the extension's own pages only
 * (lib/protocol/messages.ts PAGES_ONLY): a mail page's script cannot move anyone.
 */
export function enrollmentsHandlers(deps: EnrollmentsHandlerDeps): Handlers {
  return {
    'enrollments.move': async ({ enrollmentIds, toStep }) => {
      const refused: { id: string; error: string }[] = [];
      for (const id of enrollmentIds) {
        try {
          await moveEnrollment(deps.runner, id, toStep, deps.now());
        } catch (e) {
          refused.push({ id, error: e instanceof Error ? e.message : String(e) });
        }
      }
      if (refused.length < enrollmentIds.length) {
        deps.queueChanged();
        await deps.tick();
      }
      return { moved: enrollmentIds.length - refused.length, refused };
    },
  };
}
