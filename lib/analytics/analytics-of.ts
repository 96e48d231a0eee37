import { abTestOf } from './ab-test';
import { countsSomething, ratio, rowOf } from './counters';
import type { Analytics, AnalyticsTallies } from './types';

const byText = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/**
 * The answer from its tallies: rates, rows in their order (sequences by id, steps by index, reps by meetings
 * then replies then mailbox, tasks by mailbox), only the rows that count something, and the A/B tests.
 * The server builds its answer with this too, from the tallies its SQL counts.
 */
export function analyticsOf(t: AnalyticsTallies): Analytics {
  const variants = new Map<string, AnalyticsTallies['variants']>();
  for (const v of t.variants) {
    const key = JSON.stringify([v.sequenceId, v.stepIndex]);
    const list = variants.get(key);
    if (list) list.push(v);
    else variants.set(key, [v]);
  }
  return {
    totals: rowOf(t.totals),
    bySequence: t.bySequence
      .filter((r) => countsSomething(r.tally))
      .sort((a, b) => byText(a.sequenceId, b.sequenceId))
      .map((r) => ({ sequenceId: r.sequenceId, ...rowOf(r.tally) })),
    byStep: t.byStep
      .filter((r) => countsSomething(r.tally))
      .sort((a, b) => byText(a.sequenceId, b.sequenceId) || a.stepIndex - b.stepIndex)
      .map((r) => ({ sequenceId: r.sequenceId, stepIndex: r.stepIndex, ...rowOf(r.tally) })),
    byRep: t.byRep
      .filter((r) => countsSomething(r.tally))
      .map((r) => ({ mailbox: r.mailbox, ...rowOf(r.tally) }))
      .sort(
        (a, b) =>
          b.counts.meetings - a.counts.meetings ||
          b.counts.replied - a.counts.replied ||
          byText(a.mailbox, b.mailbox),
      ),
    daily: t.daily,
    abTests: [...variants.values()]
      .filter((list) => new Set(list.map((v) => v.variant)).size > 1)
      .map((list) => abTestOf(list[0]!.sequenceId, list[0]!.stepIndex, list))
      .sort((a, b) => byText(a.sequenceId, b.sequenceId) || a.stepIndex - b.stepIndex),
    taskAdherence: t.tasks
      .map((r) => ({ ...r, onTimeRate: ratio(r.onTime, r.onTime + r.late + r.skipped + r.overdue) }))
      .sort((a, b) => byText(a.mailbox, b.mailbox)),
  };
}
