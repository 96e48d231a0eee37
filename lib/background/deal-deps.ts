/** What the deals handlers need from the worker (lib/background/deals.ts and its parts). */
import type { Role } from '../contract/auth';
import type { ThreadlineDb } from '../db/database';
import type { RunnerDeps } from '../runner/deps';

/** What the deals handlers need from the worker (a narrow slice, so tests pass fakes). */
export interface DealsHandlerDeps {
  db: ThreadlineDb;
  /** The engine's own enroll path (lib/runner/enroll.ts): automations and the Next step enroll through it. */
  runner: RunnerDeps;
  now(): number;
  /** The signed-in user's team role (a manager may override a require gate); undefined without a backend. */
  role(): Promise<Role | undefined>;
  /** Sequence tasks and fix-its changed: views reload, the badge recounts. */
  queueChanged(): void;
  /** Run the engine now (an enrollment was made). */
  tick(): Promise<unknown>;
  /** Told each time the fix-it list judges a deal anew (its inputs changed); for tests. */
  judged?(dealId: string): void;
}
