// Not a test: `npx tsx lib/analytics/bench.ts` prints how long computeAnalytics takes over 1,000,000 events.
import { computeAnalytics } from './funnel';
import { DAY, teamHistory } from './fixtures';

const start = Date.UTC(2025, 0, 6);
// In time order, as the database's `at` index returns them, and read back from JSON as the API delivers
// them (flat strings, no shared objects).
const generated = teamHistory(1_000_000, start).sort((a, b) => a.at - b.at);
const events = [];
for (let i = 0; i < generated.length; i += 100_000)
  events.push(...(JSON.parse(JSON.stringify(generated.slice(i, i + 100_000))) as typeof generated));
generated.length = 0;

const filter = { from: start, to: start + 90 * DAY };
for (let run = 1; run <= 5; run++) {
  const cpu = process.cpuUsage();
  const t0 = performance.now();
  const a = computeAnalytics(events, filter, { timeZone: 'Europe/Paris' });
  const wall = performance.now() - t0;
  const { user, system } = process.cpuUsage(cpu);
  console.log(
    `run ${run}: ${wall.toFixed(0)} ms wall, ${((user + system) / 1000).toFixed(0)} ms CPU, ${events.length} events ` +
      `(${a.totals.counts.sent} sent, ${a.bySequence.length} sequences, ${a.byRep.length} reps, ${a.daily.length} days, ${a.abTests.length} A/B tests)`,
  );
}
