import type { AbTestRow } from '../../analytics/funnel';
import type { Contact } from '../../domain/contact';
import type { Rep } from '../../domain/rep';
import type { Sequence, SequenceInput } from '../../domain/sequence';
import type { EditConflict } from '../sequences-edit';

/** One row of the sequences list. */
export interface SequenceSummary {
  sequence: Sequence;
  /** Live enrollments: active or paused. */
  activeEnrollments: number;
  /** Contacts who got at least one email (the rates' denominator, lib/analytics RATES). */
  reached: number;
  replyRate: number | null;
  meetingRate: number | null;
}

export interface EditImpact {
  /** Live enrollments the change applies to. */
  touched: number;
  conflicts: EditConflict[];
}

export type SaveResult =
  | { ok: true; sequence: Sequence; moved: number }
  | { ok: false; conflicts: EditConflict[] }
  | { ok: false; issues: { path: (string | number)[]; message: string }[] };

/**
 * What the Sequences page needs from the outside world; lib/options-ports/sequences.ts implements it over the local
 * database. Components never touch Dexie or the browser themselves.
 */
export interface SequencesPort {
  /** Calls `onChange` with every sequence now and after every change; returns the unsubscribe. */
  watchList(onChange: (rows: SequenceSummary[]) => void, onError?: (error: unknown) => void): () => void;
  load(id: string): Promise<Sequence | undefined>;
  rep(): Promise<Rep>;
  teamHolidays(): Promise<string[]>;
  /** Contacts of the local database for the previews (at most 50). */
  contacts(): Promise<Contact[]>;
  /** A/B results of one sequence, per step index. */
  abResults(sequenceId: string): Promise<AbTestRow[]>;
  /** How many live enrollments a save would change, and what it would break. */
  impactOf(draft: SequenceInput): Promise<EditImpact>;
  save(draft: SequenceInput): Promise<SaveResult>;
  duplicate(id: string, name: string, newId: string): Promise<Sequence>;
  setArchived(id: string, archived: boolean): Promise<void>;
  setSharing(id: string, sharing: Sequence['sharing']): Promise<void>;
}
