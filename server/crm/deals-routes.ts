/**
 * `POST /crm/deals/refresh`: the thread panel asks, on opening a thread, for HubSpot's state of the thread's
 * deal now (the schedule reads it every minute otherwise). A stage moved in HubSpot and newer than
 * Threadline's becomes the deal's stage, with its history row, and reaches the devices by the next pull.
 * A member refreshes their own deals; a manager or an admin any of the team's.
 */
import { createRoute, z } from '@hono/zod-openapi';
import type { MiddlewareHandler } from 'hono';
import type { AppDeps } from '../deps';
import { ApiError, createRouter, errors, json, jsonBody, noQuery, type AppEnv } from '../http';
import { DEFAULT_CRM_CONFIG, type CrmConfig } from './config';
import { createDealSync } from './deals-sync';
import { askCrm, crmReadLimit, signedInOnce } from './guard';
import { crmDb } from './schema';

export const RefreshRequest = z
  .object({ dealId: z.string().min(1).max(200) })
  .strict()
  .openapi('CrmDealRefreshRequest');

export const RefreshResponse = z
  .object({
    /** The deal has a HubSpot deal. */
    linked: z.boolean(),
    /** HubSpot's stage was newer and is now the deal's. */
    moved: z.boolean(),
    stageId: z.string().optional(),
    hubspotId: z.string().optional(),
  })
  .openapi('CrmDealRefreshResponse');

const refreshRoute = createRoute({
  method: 'post',
  path: '/crm/deals/refresh',
  summary: 'Reads the deal’s HubSpot deal now and takes a newer HubSpot stage move (the thread panel)',
  security: [{ session: [] }],
  request: { query: noQuery, ...jsonBody(RefreshRequest) },
  responses: { 200: json(RefreshResponse, 'The deal’s stage after the read'), ...errors(400, 401, 404, 429) },
});

export function crmDealRoutes(deps: AppDeps & { crm?: CrmConfig }, signedIn: MiddlewareHandler<AppEnv>) {
  const config = deps.crm ?? DEFAULT_CRM_CONFIG;
  const sync = createDealSync({ db: deps.db, log: deps.log, now: deps.now, config });
  const router = createRouter();
  router.use('/crm/deals/*', signedInOnce(signedIn));
  router.use('/crm/deals/refresh', crmReadLimit(deps.now));

  router.openapi(refreshRoute, async (c) => {
    const caller = c.get('caller');
    const { dealId } = c.req.valid('json');
    const deal = await crmDb(deps.db)
      .selectFrom('entities')
      .select(['owner_id'])
      .where('team_id', '=', caller.teamId)
      .where('kind', '=', 'deal')
      .where('id', '=', dealId)
      .where('deleted', '=', false)
      .executeTakeFirst();
    const manager = caller.role === 'manager' || caller.role === 'admin';
    if (!deal || (deal.owner_id !== caller.id && !manager))
      throw new ApiError(404, 'not_found', `no deal ${dealId} of yours`);
    if (!config.tokenKey) return c.json({ linked: false, moved: false }, 200);
    return c.json(await askCrm('the deal read', () => sync.refresh(caller.teamId, dealId)), 200);
  });

  return router;
}
