import type { ProcessAnalytics } from '../../contract/process-analytics';
import type { Deal } from '../../domain/deal';
import type { Playbook } from '../../domain/playbook';
import type { DealActivity } from '../../process/conditions';
import type { Flag } from '../../process/evaluate';

/** A deal on the board: the deal and what the playbook's rules say about it now. */
export interface BoardDeal {
  deal: Deal;
  flags: Flag[];
}

export interface DealsBoardView {
  /** The local rep's address (deals they own are theirs to move). */
  me: string;
  /** A manager or an admin (or a rep alone on this device, who has nobody above them): may override. */
  canOverride: boolean;
  playbooks: Playbook[];
  deals: BoardDeal[];
}

export type MoveResult =
  | { ok: true; outcome: 'clean' | 'skipped' | 'override' | 'back' | 'lost'; message: string }
  | { ok: false; message: string; unmet: string[]; canOverride: boolean };

/** What the Deals board needs; lib/options-ports/deals.ts implements it over the local database. */
export interface DealsPort {
  load(): Promise<DealsBoardView>;
  /** Moves a deal through the playbook's gate: refused with the unmet criteria, or done (a skip is recorded). */
  move(dealId: string, toStageId: string, override?: { reason: string }): Promise<MoveResult>;
}

export interface PlaybooksView {
  playbooks: Playbook[];
  /** Playbooks are the team's: only a manager or an admin (or a rep alone on this device) saves them. */
  canEdit: boolean;
  /** The rep's own open deals, for the live preview of what each rule flags, with their activity. */
  deals: Deal[];
  activities: Map<string, DealActivity>;
}

export interface PlaybooksPort {
  load(): Promise<PlaybooksView>;
  /** Saves a whole playbook (checked by PlaybookSchema); throws with every bad field named. */
  save(playbook: Playbook): Promise<void>;
}

export interface ProcessScope {
  scope: 'team' | 'own';
  timeZone: string;
  /** The reps the manager can filter by (ownerId -> label). */
  reps: { id: string; label: string; memberId?: string }[];
  /** Stage ids of the team's playbooks -> their names, for the tables. */
  stageNames: Record<string, string>;
  /** Rule ids of the team's playbooks -> their names, for the most triggered rules. */
  ruleNames?: Record<string, string>;
}

/** Process analytics for the options page: the backend for a signed-in team, this device otherwise. */
export interface ProcessAnalyticsSource {
  scope(): Promise<ProcessScope>;
  load(range: { from: string; to: string; repId?: string }): Promise<ProcessAnalytics>;
}

/** A sequence a playbook action or automation can enroll into (the rep's own sequences on this device). */
export interface SequenceChoice {
  id: string;
  name: string;
}

/**
 * The rep's own switch over the playbook's automations on their deals (kept on this device, read by the
 * background before any automation runs), and the sequences the editor offers to enroll into.
 */
export interface AutomationsPort {
  /** The automation ids turned off for the rep's deals (ALL_AUTOMATIONS of lib/process: every one). */
  turnedOff(): Promise<string[]>;
  /** Turns one automation (or ALL_AUTOMATIONS) off or back on; gives the new set. */
  setOff(id: string, off: boolean): Promise<string[]>;
  sequences(): Promise<SequenceChoice[]>;
}
