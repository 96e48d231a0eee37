/**
 * The CRM bridge's figures (`npm run bench`, part `crm`), through the real path (a backend's sync push, its
 * CRM worker, the HubSpot sandbox over HTTP; crm-mixed.ts), for 100 contacts of whom half are already in
 * HubSpot with their company and 50 have a deal already linked there: how many HubSpot requests it takes to
 * log 1,000 mixed activities of the five kinds with their associations (crm_requests_per_1000_activities),
 * and 1,000 mixed touches, deal writes included (crm_requests_per_1000_touches: 920 activities, 30 deals
 * created, 50 moved), each with its requests by route; and how long the worker's rounds take, beside calib_ms.
 */
import fs from 'node:fs';
import { EXTENSION_DIR } from '../../tests/e2e/support/browser';
import { calibMs, goalOver, median, report, round, type Ratio } from './common';
import { mixedRun, type MixedRun, type Workload } from './crm-mixed';

/** Five runs of a workload (after a warm-up); prints the requests by route of a run with the median count. */
async function runsOf(workload: Workload): Promise<{ requests: number; deals: number; ms: number }> {
  await mixedRun(0, workload);
  const runs: MixedRun[] = [];
  for (let r = 1; r <= 5; r++) runs.push(await mixedRun(r, workload));
  const requests = median(runs.map((r) => r.requests));
  const typical = runs.find((r) => r.requests === requests) ?? runs[0]!;
  console.log(
    `bench crm: ${workload}: ${requests} HubSpot requests, by route (run ${runs.indexOf(typical) + 1}):`,
  );
  for (const [route, n] of Object.entries(typical.byRoute))
    console.log(`  ${String(n).padStart(3)}  ${route}`);
  return { requests, deals: median(runs.map((r) => r.dealRequests)), ms: median(runs.map((r) => r.ms)) };
}

export async function benchCrm(): Promise<void> {
  const calib = calibMs();
  const activities = await runsOf('activities');
  const touches = await runsOf('touches');
  // The thread panel's CRM section in Chromium (crm-panel.ts): needs the test build (`npx wxt build --mode test`).
  const panel: Record<string, number> = fs.existsSync(EXTENSION_DIR)
    ? await (await import('./crm-panel')).measureCrmPanel()
    : (console.log(`bench crm: no test build at ${EXTENSION_DIR}: thread_panel_crm_ms not measured`), {});
  const panelRatios: Record<string, Ratio> =
    'thread_panel_crm_ms' in panel
      ? {
          thread_panel_crm_ms: { over: 'calib_page_ms', goal: goalOver(300) },
          thread_panel_crm_cached_ms: { over: 'calib_page_ms', goal: goalOver(150) },
          panel_first_paint_no_crm_ms: { over: 'calib_page_ms' },
          panel_first_paint_crm_ms: { over: 'panel_first_paint_no_crm_ms', goal: '<= 1.1' },
        }
      : {};
  report(
    'crm',
    {
      calib_ms: calib,
      crm_requests_per_1000_activities: activities.requests,
      crm_requests_per_1000_touches: touches.requests,
      crm_requests_touches_deal_routes: touches.deals,
      crm_log_1000_ms: round(activities.ms, 1),
      crm_log_1000_touches_ms: round(touches.ms, 1),
      ...panel,
    },
    {
      crm_requests_per_1000_activities:
        'goal <= 15 (1,000 activities of 5 kinds with contact, company and linked deal; the poll included)',
      crm_requests_per_1000_touches:
        'no goal (920 activities + 30 deals created + 50 moved, the poll included)',
      crm_requests_touches_deal_routes:
        'of the touches’ requests, to deal routes (reads, upsert, search, associations)',
      crm_log_1000_ms:
        'the worker’s rounds for the 1,000 activities, local sandbox over HTTP (backend on PGlite), median of 5',
      crm_log_1000_touches_ms: 'the same for the 1,000 touches',
      thread_panel_crm_ms:
        'panel first paint → HubSpot contact shown, HubSpot asked (cache expired), median of 10',
      panel_first_paint_crm_ms: 'not later than without HubSpot connected',
    },
    panelRatios,
  );
}

if (import.meta.url === `file://${process.argv[1]}`) {
  benchCrm().then(
    () => process.exit(0),
    (e: unknown) => {
      console.error(e);
      process.exit(1);
    },
  );
}
