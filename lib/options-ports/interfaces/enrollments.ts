import type { Sequence } from '../../domain/sequence';
import type { EnrollmentRow } from '../enrollment-rows';

export type { EnrollmentRow };
export type EnrollmentAction = 'pause' | 'resume' | 'unenroll';

export interface EnrollmentsView {
  sequence: Sequence;
  repZone: string;
  rows: EnrollmentRow[];
  /** How many enrollments the sequence has (known before every row is read). */
  total: number;
  /** False while only the first screen of rows (the newest) is read: the rest, the filters and counts follow. */
  complete: boolean;
  /**
   * False while the rows' last activity (read from every event of their enrollments) is still being read:
   * the rows come first, their last activity after.
   */
  activityLoaded: boolean;
}

/** What a sequence's Enrollments view needs; lib/options-ports/enrollments.ts implements it. */
export interface EnrollmentsPort {
  /** null when the sequence does not exist. */
  watch(
    sequenceId: string,
    onChange: (view: EnrollmentsView | null) => void,
    onError?: (e: unknown) => void,
  ): () => void;
  act(
    ids: readonly string[],
    action: EnrollmentAction,
  ): Promise<{ done: number; failed: { id: string; error: string }[] }>;
  /** Moves each to step `toStep` (0-based) under the runner's rules; the refused ones come back with why. */
  move(
    ids: readonly string[],
    toStep: number,
  ): Promise<{ done: number; failed: { id: string; error: string }[] }>;
}
