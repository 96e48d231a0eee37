import { computeAnalytics } from '../../lib/analytics/funnel';
import { calibMs, median, report, round } from './common';
import { teamHistory } from './team-history';

const DAY = 86_400_000;

/**
 * `npm run bench analytics`: computeAnalytics (lib/analytics, what the options page runs on this device's
 * events) over 1,000,000 events of a 100-rep, 50-sequence team in 90 days, median of 5 runs after a warm-up,
 * with calib_ms measured in the same process. Writes .bench/analytics.json.
 */
export async function benchAnalytics(): Promise<void> {
  const start = Date.UTC(2025, 0, 6);
  // In time order, as the database's `at` index returns them, and read back from JSON as the API delivers
  // them (flat strings, no shared objects).
  const generated = teamHistory(1_000_000, start).sort((a, b) => a.at - b.at);
  const events = [];
  for (let i = 0; i < generated.length; i += 100_000)
    events.push(...(JSON.parse(JSON.stringify(generated.slice(i, i + 100_000))) as typeof generated));
  generated.length = 0;

  const filter = { from: start, to: start + 90 * DAY };
  const calib_ms = calibMs();
  const wall: number[] = [];
  const cpu: number[] = [];
  let sent = 0;
  for (let run = 0; run <= 5; run++) {
    const before = process.cpuUsage();
    const t0 = performance.now();
    const a = computeAnalytics(events, filter, { timeZone: 'Europe/Paris' });
    const ms = performance.now() - t0;
    const { user, system } = process.cpuUsage(before);
    sent = a.totals.counts.sent;
    if (run === 0) continue; // the warm-up
    wall.push(ms);
    cpu.push((user + system) / 1000);
  }
  report(
    'analytics',
    {
      calib_ms,
      events: events.length,
      sent,
      analytics_local_1m_ms: round(median(wall), 1),
      analytics_local_1m_cpu_ms: round(median(cpu), 1),
    },
    { analytics_local_1m_ms: 'computeAnalytics over 1M events, 90 days, Europe/Paris (median of 5)' },
  );
}
