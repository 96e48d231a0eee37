import type { AnalyticsFilter } from './types';

/** The filter as sets, asked once per event: the range, and which sequences, reps and steps count. */
export class Selection {
  readonly from: number;
  readonly to: number;
  private readonly sequenceIds: Set<string> | undefined;
  private readonly mailboxes: Set<string> | undefined;
  private readonly steps: Set<number> | undefined;

  constructor(filter: AnalyticsFilter) {
    if (!Number.isFinite(filter.from) || !Number.isFinite(filter.to))
      throw new RangeError('from and to must be epoch ms');
    this.from = filter.from;
    this.to = filter.to;
    this.sequenceIds = filter.sequenceIds && new Set(filter.sequenceIds);
    this.mailboxes = filter.mailboxes && new Set(filter.mailboxes);
    this.steps = filter.stepIndexes && new Set(filter.stepIndexes);
  }

  /** The sequence and the rep are chosen (an event without one counts as '', as in the server's SQL). */
  scopeOk(sequenceId: string | undefined, mailbox: string | undefined): boolean {
    if (this.sequenceIds && !this.sequenceIds.has(sequenceId ?? '')) return false;
    return !this.mailboxes || this.mailboxes.has(mailbox ?? '');
  }

  stepOk(step: number): boolean {
    return !this.steps || this.steps.has(step);
  }
}
