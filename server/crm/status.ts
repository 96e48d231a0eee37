/**
 * `GET /crm/connection`: the team's CRM connection as every member sees it (state, the day's HubSpot usage,
 * what the outbox holds, what the server is set up for, a change of portal the deals followed), never a token.
 */
import { createRoute, z } from '@hono/zod-openapi';
import { CrmConnectionFields, CrmServerSetup } from '../../lib/contract/crm';
import { errors, json, noQuery } from '../http';
import { loadConnection, settingsOf, utcDay } from './connection';
import { security, type CrmContext, type CrmRouter } from './context';
import { dealsPortalChange } from './deals-portal';
import { CrmSettings } from './settings';

export const Status = z.object({
  ...CrmConnectionFields,
  settings: CrmSettings.optional(),
  dedupe: z.record(z.string(), z.string()).nullable().optional(),
  server: CrmServerSetup,
});
export type Status = z.infer<typeof Status>;

const statusRoute = createRoute({
  method: 'get',
  path: '/crm/connection',
  summary: 'The team’s CRM connection: state, usage and what waits (no tokens)',
  security,
  request: { query: noQuery },
  responses: { 200: json(Status, 'The connection'), ...errors(401) },
});

/** The team's connection state. */
export async function connectionStatus(
  { db, config, deps }: Pick<CrmContext, 'db' | 'config' | 'deps'>,
  teamId: string,
): Promise<Status> {
  const counts = await db
    .selectFrom('crm_outbox')
    .select(['state', (eb) => eb.fn.countAll<string>().as('n')])
    .where('team_id', '=', teamId)
    .groupBy('state')
    .execute();
  const n = (s: string) => Number(counts.find((c) => c.state === s)?.n ?? 0);
  const outbox = { waiting: n('pending'), logged: n('logged'), skipped: n('skipped'), failed: n('failed') };
  const server = {
    tokenKey: config.tokenKey !== undefined,
    oauth: !!config.hubspot.clientId && !!config.hubspot.clientSecret,
  };
  const row = await loadConnection(db, teamId);
  if (!row) return { connected: false, outbox, server };
  const today = utcDay(deps.now());
  return {
    connected: true,
    provider: 'hubspot',
    kind: row.kind,
    portalId: row.portal_id,
    hubDomain: row.hub_domain,
    connectedAt: row.connected_at,
    lastSyncAt: row.last_sync_at,
    lastError: row.last_error,
    settings: settingsOf(row),
    dedupe: (row.dedupe as Record<string, string> | null) ?? null,
    usage: {
      day: today,
      used: row.daily_day === today ? row.daily_used : 0,
      limit: row.daily_limit ?? (row.kind === 'private_app' ? 250_000 : null),
      remaining: row.daily_day === today ? row.daily_remaining : null,
      blockedUntil: row.blocked_until,
    },
    outbox,
    server,
    dealsPortalChange: await dealsPortalChange(deps.db, teamId, row.portal_id),
  };
}

export function statusRoutes(router: CrmRouter, ctx: CrmContext): void {
  router.openapi(statusRoute, async (c) => c.json(await connectionStatus(ctx, c.get('caller').teamId), 200));
}
