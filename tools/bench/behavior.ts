import { performance } from 'node:perf_hooks';
import type { Deal, DealRole, FactValue } from '../../lib/domain/deal';
import { clockAt, defaultPlaybook, evaluate, nextStep, type DealActivity } from '../../lib/process';
import { calibMs, goalOver, median, report, round } from './common';

const NOW = Date.parse('2026-12-07T10:00:00Z');
const DAY = 86_400_000;

/**
 * N deals spread over the default playbook's open stages, with a deterministic mix of contacts, answered facts,
 * amounts, close dates and activity (a linear congruential generator: same deals every run).
 */
export function syntheticDeals(n: number, seed = 7): { deal: Deal; activity: DealActivity }[] {
  const stages = ['discovery', 'qualified', 'demo', 'proposal', 'negotiation'];
  const roles: DealRole[] = ['champion', 'decision_maker', 'economic_buyer', 'user'];
  let s = seed;
  const next = () => (s = (s * 1103515245 + 12345) % 2147483648) / 2147483648;
  const out: { deal: Deal; activity: DealActivity }[] = [];
  for (let i = 0; i < n; i++) {
    const facts: Record<string, FactValue> = {};
    if (next() < 0.7) facts.pain = { type: 'text', value: 'Replies lost in shared inboxes' };
    if (next() < 0.5) facts.metrics = { type: 'text', value: '2 hours a day per rep' };
    if (next() < 0.5) facts.budget_confirmed = { type: 'yes_no', value: next() < 0.8 };
    if (next() < 0.4) facts.demo_attendees = { type: 'number', value: Math.floor(next() * 5) };
    if (next() < 0.3) facts.competition = { type: 'choice', value: next() < 0.5 ? 'incumbent' : 'none' };
    const created = NOW - Math.floor(next() * 90) * DAY;
    const deal: Deal = {
      id: `deal-${i}`,
      name: `Deal ${i}`,
      companyDomain: `co${i}.example`,
      ownerId: `rep${i % 20}@us.example`,
      pipelineId: 'b2b',
      stageId: stages[Math.floor(next() * stages.length)]!,
      stageEnteredAt: created + Math.floor(next() * 20) * DAY,
      contacts: roles.filter(() => next() < 0.5).map((role, k) => ({ contactId: `c${i}-${k}`, role })),
      facts,
      threadIds: [],
      status: 'open',
      createdAt: created,
      updatedAt: created,
      ...(next() < 0.6 && { amount: { value: Math.floor(next() * 100_000), currency: 'EUR' } }),
      ...(next() < 0.5 && {
        closeDate: new Date(NOW + Math.floor(next() * 60 - 15) * DAY).toISOString().slice(0, 10),
      }),
    };
    const ago = (p: number) => (next() < p ? NOW - Math.floor(next() * 30) * DAY : undefined);
    const last: DealActivity['last'] = {};
    const email = ago(0.9);
    const reply = ago(0.6);
    const meeting = ago(0.2);
    if (email !== undefined) last.email = email;
    if (reply !== undefined) last.reply = reply;
    if (meeting !== undefined) last.meeting = meeting;
    out.push({
      deal,
      activity: { last, activeSequences: next() < 0.4 ? 1 : 0, openTasks: next() < 0.3 ? 1 : 0 },
    });
  }
  return out;
}

/** `npm run bench` part "behavior": the default playbook's rules over 10,000 deals, and one deal's next step. */
export async function benchBehavior(): Promise<void> {
  const playbook = defaultPlaybook();
  const clock = clockAt(NOW, 'UTC');
  const deals = syntheticDeals(10_000);
  let flagged = 0;
  const pass = () => {
    const start = performance.now();
    let n = 0;
    for (const { deal, activity } of deals) n += evaluate(deal, activity, playbook, clock).length;
    flagged = n;
    return performance.now() - start;
  };
  pass();
  const rules10k = median(Array.from({ length: 7 }, pass));
  if (flagged === 0) throw new Error('bench behavior: no deal was flagged, the workload is wrong');

  // The words of every flag (the panel and the history read them; the board does not), in a separate figure.
  const explainPass = () => {
    const flags = deals.flatMap(({ deal, activity }) => evaluate(deal, activity, playbook, clock));
    const start = performance.now();
    let words = 0;
    for (const f of flags) words += f.because.length;
    if (words < flags.length) throw new Error('bench behavior: a flag without its reasons');
    return performance.now() - start;
  };
  const explainAll = median(Array.from({ length: 3 }, explainPass));

  // One deal's next step: its flags, then the next step, averaged over many deals (µs per deal).
  const sample = deals.slice(0, 2000);
  const stepPass = () => {
    const start = performance.now();
    for (const { deal, activity } of sample)
      nextStep({ deal, playbook, flags: evaluate(deal, activity, playbook, clock), clock, activity });
    return ((performance.now() - start) * 1000) / sample.length;
  };
  stepPass();
  const nextStepUs = median(Array.from({ length: 7 }, stepPass));

  report(
    'behavior',
    {
      calib_ms: calibMs(),
      rules_10k_deals_ms: round(rules10k, 2),
      next_step_us: round(nextStepUs, 2),
      explain_10k_deals_ms: round(explainAll, 2),
      flags_10k_deals: flagged,
    },
    {
      rules_10k_deals_ms: 'goal < 50 ms',
      next_step_us: 'evaluate + nextStep, one deal',
      explain_10k_deals_ms: 'the reasons of every flag of the 10,000 deals, read once (lazily built)',
    },
    { rules_10k_deals_ms: { over: 'calib_ms', goal: goalOver(50) } },
  );
}
