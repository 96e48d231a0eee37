/**
 * The CRM bridge's figures (`npm run bench`, part `crm`): how many HubSpot requests it takes to log 1,000
 * mixed touches with their associations, deal writes included (crm-mixed.ts: 920 activities of every kind,
 * 30 deals created and 50 moved to another stage, for 100 contacts of whom half are already in HubSpot with
 * their company), through the real path (a backend's sync push, its CRM worker, the HubSpot sandbox over
 * HTTP), and how long the worker's rounds take on this machine, beside calib_ms.
 */
import fs from 'node:fs';
import { EXTENSION_DIR } from '../../tests/e2e/support/browser';
import { calibMs, goalOver, median, report, round, type Ratio } from './common';
import { mixedRun, type MixedRun } from './crm-mixed';

export async function benchCrm(): Promise<void> {
  const calib = calibMs();
  await mixedRun(0); // warm-up
  const runs: MixedRun[] = [];
  for (let r = 1; r <= 5; r++) runs.push(await mixedRun(r));
  const requests = median(runs.map((r) => r.requests));
  const typical = runs.find((r) => r.requests === requests) ?? runs[0]!;
  console.log(`bench crm: HubSpot requests by route (run ${runs.indexOf(typical) + 1}):`);
  for (const [route, n] of Object.entries(typical.byRoute))
    console.log(`  ${String(n).padStart(3)}  ${route}`);
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
      crm_requests_per_1000_activities: requests,
      crm_requests_deal_routes: median(runs.map((r) => r.dealRequests)),
      crm_log_1000_ms: round(median(runs.map((r) => r.ms)), 1),
      ...panel,
    },
    {
      crm_requests_per_1000_activities:
        'goal <= 15 (HubSpot requests for 920 activities + 30 deals created + 50 moved, the poll included)',
      crm_requests_deal_routes: 'of those, to deal routes (reads, upsert, search, property, associations)',
      crm_log_1000_ms:
        'the worker’s rounds against the local sandbox over HTTP (backend on PGlite), median of 5',
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
