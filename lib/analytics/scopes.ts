import type { Event } from '../domain/event';
import { Contact, DAY_SERIES, type SequenceScope } from './contact';
import { addContact, COUNT, FLAG, newCounters, tallyOf, type Counters } from './counters';
import type { DailySeries } from './daily';
import type { Selection } from './selection';
import type { AnalyticsTallies } from './types';

/** The counters of every scope (totals, sequences, their steps, reps) and the contacts that feed them. */
export class Scopes {
  private readonly totals = newCounters();
  private readonly sequences = new Map<string, SequenceScope>();
  private readonly reps = new Map<string, Counters>();
  private readonly contacts = new Map<string, Contact>();

  constructor(private readonly daily: DailySeries) {}

  /** The enrollment an event belongs to (by enrollment, else by sequence and contact, else alone). */
  contactOf(e: Event): Contact {
    const key = e.enrollmentId ?? (e.contactId ? `${e.sequenceId ?? ''}|${e.contactId}` : e.id);
    let c = this.contacts.get(key);
    if (c) return c;
    const sequenceId = e.sequenceId ?? '';
    let sequence = this.sequences.get(sequenceId);
    if (!sequence) {
      sequence = { counters: newCounters(), steps: new Map(), variants: new Map() };
      this.sequences.set(sequenceId, sequence);
    }
    const mailbox = e.mailbox ?? '';
    let rep = this.reps.get(mailbox);
    if (!rep) this.reps.set(mailbox, (rep = newCounters()));
    this.contacts.set(key, (c = new Contact(sequence, rep)));
    return c;
  }

  private stepCounters(c: Contact, step: number): Counters {
    let counters = c.sequence.steps.get(step);
    if (!counters) c.sequence.steps.set(step, (counters = newCounters()));
    return counters;
  }

  /** An email (sent, delivered or bounced: `count` is its COUNT position) in every scope of its contact. */
  countEmail(c: Contact, step: number, count: number, at: number): void {
    this.totals[count]!++;
    c.sequence.counters[count]!++;
    c.rep[count]!++;
    if (step >= 0) this.stepCounters(c, step)[count]!++;
    if (count === COUNT.delivered) return;
    const day = this.daily.rowAt(at);
    if (count === COUNT.sent) day.sent++;
    else day.bounced++;
  }

  /** After every event is read: each contact's sends, then the contact itself, in every scope. */
  closeContacts(selection: Selection): void {
    for (const c of this.contacts.values()) this.close(c, selection);
  }

  private close(c: Contact, selection: Selection): void {
    const sends = c.sends;
    for (let i = 0; i < sends.count; i++) {
      const at = sends.at(i);
      const step = sends.step(i);
      if (at < selection.from || !selection.stepOk(step)) continue;
      c.mark(FLAG.sent, step, at);
      this.countEmail(c, step, COUNT.sent, at);
      if (step < 0 || !(c.flagsAt(step) & (FLAG.bouncedHard | FLAG.bouncedSoft)))
        this.countEmail(c, step, COUNT.delivered, at);
    }
    if (c.flags === 0) return;
    addContact(this.totals, c.flags);
    addContact(c.sequence.counters, c.flags);
    addContact(c.rep, c.flags);
    c.stepFlags?.forEach((flags, step) => addContact(this.stepCounters(c, step), flags));
    if (c.firstAt)
      for (let k = 0; k < DAY_SERIES.length; k++) {
        const at = c.firstAt[k]!;
        if (at !== Infinity) this.daily.rowAt(at)[DAY_SERIES[k]!.key]++;
      }
    this.countVariants(c, selection);
  }

  /** Each in-range send of a variant: reached unless it bounced hard, replied if the step got a reply. */
  private countVariants(c: Contact, selection: Selection): void {
    const sends = c.sends;
    for (let i = 0; i < sends.count; i++) {
      const variant = sends.variant(i);
      const step = sends.step(i);
      if (variant < 0 || sends.at(i) < selection.from || !selection.stepOk(step)) continue;
      const flags = c.flagsAt(step);
      if (flags & FLAG.bouncedHard) continue;
      let byVariant = c.sequence.variants.get(step);
      if (!byVariant) c.sequence.variants.set(step, (byVariant = new Map()));
      const count = byVariant.get(variant) ?? { reached: 0, replied: 0 };
      count.reached++;
      if (flags & FLAG.replied) count.replied++;
      byVariant.set(variant, count);
    }
  }

  tallies(): Pick<AnalyticsTallies, 'totals' | 'bySequence' | 'byStep' | 'byRep' | 'variants'> {
    const sequences = [...this.sequences];
    return {
      totals: tallyOf(this.totals),
      bySequence: sequences.map(([sequenceId, q]) => ({ sequenceId, tally: tallyOf(q.counters) })),
      byStep: sequences.flatMap(([sequenceId, q]) =>
        [...q.steps].map(([stepIndex, counters]) => ({ sequenceId, stepIndex, tally: tallyOf(counters) })),
      ),
      byRep: [...this.reps].map(([mailbox, counters]) => ({ mailbox, tally: tallyOf(counters) })),
      variants: sequences.flatMap(([sequenceId, q]) =>
        [...q.variants].flatMap(([stepIndex, byVariant]) =>
          [...byVariant].map(([variant, { reached, replied }]) => ({
            sequenceId,
            stepIndex,
            variant,
            reached,
            replied,
          })),
        ),
      ),
    };
  }
}
