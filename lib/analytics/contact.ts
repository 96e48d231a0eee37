import { FLAG, type Counters } from './counters';
import { Sends } from './sends';
import type { DayRow } from './types';

/** Reached contacts and those who replied, for one variant. */
export interface VariantCount {
  reached: number;
  replied: number;
}

/** A sequence's counters, those of its steps, and its variants' counts per step. */
export interface SequenceScope {
  counters: Counters;
  steps: Map<number, Counters>;
  variants: Map<number, Map<number, VariantCount>>;
}

type DayKey = keyof Omit<DayRow, 'date' | 'sent' | 'bounced'>;
/** The contact counts of the daily series, each on the day of the contact's first such event. */
export const DAY_SERIES: readonly { key: DayKey; flag: number }[] = [
  { key: 'enrolled', flag: FLAG.enrolled },
  { key: 'openedHuman', flag: FLAG.openedHuman },
  { key: 'clicked', flag: FLAG.clicked },
  { key: 'replied', flag: FLAG.replied },
  { key: 'meetings', flag: FLAG.meeting },
  { key: 'unsubscribed', flag: FLAG.unsubscribed },
];
const DAY_MASK = DAY_SERIES.reduce((mask, d) => mask | d.flag, 0);

/** One enrollment ("contact") as the events describe it. */
export class Contact {
  flags = 0;
  /** The flags at each step (by step index). */
  stepFlags: number[] | undefined;
  readonly sends = new Sends();
  /** Ids of the bounces counted (see `firstBounce`). */
  private bounceIds: string[] | undefined;
  /** First in-range time of each of DAY_SERIES, for the daily series. */
  firstAt: number[] | undefined;

  constructor(
    readonly sequence: SequenceScope,
    readonly rep: Counters,
  ) {}

  mark(flags: number, step: number, at: number): void {
    this.flags |= flags;
    if (step >= 0) {
      this.stepFlags ??= [];
      this.stepFlags[step] = (this.stepFlags[step] ?? 0) | flags;
    }
    if ((flags & DAY_MASK) === 0) return;
    const first = (this.firstAt ??= new Array<number>(DAY_SERIES.length).fill(Infinity));
    for (let k = 0; k < DAY_SERIES.length; k++)
      if (flags & DAY_SERIES[k]!.flag && at < first[k]!) first[k] = at;
  }

  flagsAt(step: number): number {
    return this.stepFlags?.[step] ?? 0;
  }

  /**
   * Everything but emails is idempotent here (a flag set twice, the earliest time kept), so only sends (see
   * Sends.add) and bounces are deduplicated: a bounce by its id, per contact.
   */
  firstBounce(id: string): boolean {
    const ids = (this.bounceIds ??= []);
    if (ids.includes(id)) return false;
    ids.push(id);
    return true;
  }
}
