/**
 * The CRM bridge's figures (`npm run bench`, part `crm`): how many HubSpot requests it takes to log 1,000
 * mixed activities with their associations (emails out and in, notes, calls, tasks, meetings, for 100
 * contacts of whom half are already in HubSpot with their company), and how long that takes against the
 * HubSpot sandbox over HTTP on this machine, beside calib_ms.
 */
import fs from 'node:fs';
import { HubSpotClient } from '../../server/crm/hubspot/client';
import { HubSpotProvider } from '../../server/crm/hubspot/provider';
import type { CrmActivity } from '../../server/crm/provider';
import { startHubSpotSandbox } from '../sandbox/hubspot/server';
import { EXTENSION_DIR } from '../../tests/e2e/support/browser';
import { calibMs, goalOver, median, report, round, type Ratio } from './common';

const ACTIVITIES = 1000;
const CONTACTS = 100;

function activities(run: number): CrmActivity[] {
  const at = Date.parse('2026-12-07T09:00:00Z');
  return Array.from({ length: ACTIVITIES }, (_, i): CrmActivity => {
    const c = i % CONTACTS;
    const base = {
      id: `bench-${run}-${i}`,
      at: at + i * 1000,
      contact: { email: `lead${c}@company${c % 20}.test`, firstName: `Lead${c}` },
    };
    switch (i % 6) {
      case 0:
      case 1:
        return {
          ...base,
          kind: 'email',
          direction: i % 6 ? 'incoming' : 'outgoing',
          subject: `Follow-up ${i}`,
          text: 'Hello',
          html: '<p>Hello</p>',
          from: { email: 'rep@threadline.test' },
          to: [{ email: base.contact.email }],
        };
      case 2:
        return { ...base, kind: 'note', body: 'Out of office until Monday' };
      case 3:
        return { ...base, kind: 'call', title: 'Discovery call', outcome: 'connected', body: 'Good fit' };
      case 4:
        return {
          ...base,
          kind: 'task',
          subject: 'LinkedIn message',
          taskType: 'LINKED_IN_MESSAGE',
          completed: true,
        };
      default:
        return { ...base, kind: 'meeting', title: 'Demo', start: base.at + 86_400_000 };
    }
  });
}

/** One run: a fresh portal, the provider prepared, 1,000 activities logged. */
async function once(run: number): Promise<{ requests: number; ms: number }> {
  // A virtual clock for the limits: the figure is the bridge's own cost, not HubSpot's 10-second windows.
  let clock = Date.now();
  const hs = await startHubSpotSandbox({ now: () => clock });
  try {
    for (let c = 0; c < CONTACTS; c += 2) {
      const company = hs.seed('companies', { name: `Company ${c % 20}`, domain: `company${c % 20}.test` });
      hs.seed('contacts', { email: `lead${c}@company${c % 20}.test` }, [{ type: 'companies', id: company }]);
    }
    const token = hs.privateAppToken();
    const client = new HubSpotClient({
      baseUrl: hs.url,
      token: async () => token,
      burst: 100,
      now: () => clock,
      sleep: async (ms) => void (clock += ms),
    });
    const provider = new HubSpotProvider(client);
    await provider.prepare();
    const list = activities(run);
    const before = client.requests;
    const started = performance.now();
    const outcomes = await provider.logActivities(list, { createContacts: true });
    const ms = performance.now() - started;
    const bad = outcomes.filter((o) => o.status !== 'logged');
    if (bad.length)
      throw new Error(`bench crm: ${bad.length} activities not logged: ${JSON.stringify(bad[0])}`);
    return { requests: client.requests - before, ms };
  } finally {
    await hs.stop();
  }
}

export async function benchCrm(): Promise<void> {
  const calib = calibMs();
  await once(0); // warm-up
  const runs: { requests: number; ms: number }[] = [];
  for (let r = 1; r <= 5; r++) runs.push(await once(r));
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
      crm_requests_per_1000_activities: median(runs.map((r) => r.requests)),
      crm_log_1000_ms: round(median(runs.map((r) => r.ms)), 1),
      ...panel,
    },
    {
      crm_requests_per_1000_activities: 'goal <= 15 (HubSpot requests, associations inline)',
      crm_log_1000_ms: 'against the local sandbox over HTTP, median of 5',
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
