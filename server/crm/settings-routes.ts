/**
 * Settings → CRM's options: the admin's settings, the members' HubSpot owners (read by managers and admins,
 * changed by admins) and the portal's deal pipelines for the stage mapping (any member; kept a few minutes
 * per team, team-reads.ts). HubSpot's failures answer as guard.ts says.
 */
import { createRoute, z } from '@hono/zod-openapi';
import { CrmOwnerRow, CrmOwners, CrmPipeline } from '../../lib/contract/crm';
import { requireRole } from '../auth/caller';
import { ApiError, errors, json, jsonBody, noQuery } from '../http';
import { openSession, settingsOf } from './connection';
import { connectionOr404, security, type CrmContext, type CrmRouter } from './context';
import { queueUnlinked } from './deals-queue';
import { askCrm, crmReadLimit, requireTokenKey } from './guard';
import { crmDb } from './schema';
import { CrmSettings } from './settings';

const settingsRoute = createRoute({
  method: 'patch',
  path: '/crm/settings',
  summary: 'Change the CRM options (admins)',
  security,
  request: { query: noQuery, ...jsonBody(CrmSettings.partial()) },
  responses: { 200: json(CrmSettings, 'The options'), ...errors(400, 401, 403, 404) },
});
const ownersRoute = createRoute({
  method: 'get',
  path: '/crm/owners',
  summary: 'Members and their HubSpot owners (managers and admins)',
  security,
  request: { query: noQuery },
  responses: {
    200: json(CrmOwners, 'The mapping'),
    ...errors(401, 403, 404),
  },
});
const ownerRoute = createRoute({
  method: 'put',
  path: '/crm/owners/{userId}',
  summary: 'Map a member to a HubSpot owner (admins)',
  security,
  request: {
    params: z.object({ userId: z.string().min(1).max(200) }).strict(),
    query: noQuery,
    ...jsonBody(
      z
        .object({
          ownerId: z
            .string()
            .regex(/^\d{1,20}$/)
            .nullable(),
        })
        .strict(),
    ),
  },
  responses: { 200: json(CrmOwnerRow, 'The mapping'), ...errors(400, 401, 403, 404) },
});
const pipelinesRoute = createRoute({
  method: 'get',
  path: '/crm/pipelines',
  summary: 'The CRM’s deal pipelines and their stages (for the deal mapping)',
  security,
  request: { query: noQuery },
  responses: {
    200: json(z.object({ pipelines: z.array(CrmPipeline) }), 'Pipelines'),
    ...errors(401, 404, 429),
  },
});

export function settingsRoutes(router: CrmRouter, ctx: CrmContext): void {
  const { db, deps, config } = ctx;

  router.openapi(settingsRoute, async (c) => {
    const caller = requireRole(c, 'admin');
    const row = await connectionOr404(db, caller.teamId);
    const before = settingsOf(row);
    const next = CrmSettings.parse({ ...before, ...c.req.valid('json') });
    await deps.db.transaction().execute(async (trx) => {
      await crmDb(trx)
        .updateTable('crm_connections')
        .set({ settings: JSON.stringify(next) })
        .where('team_id', '=', caller.teamId)
        .execute();
      // Deal sync turned on: the deals no round has linked wait too (changes made while it was off already
      // wait, outbox.ts).
      if (next.deals.enabled && !before.deals.enabled) await queueUnlinked(trx, caller.teamId, deps.now());
    });
    return c.json(next, 200);
  });

  router.openapi(ownersRoute, async (c) => {
    const caller = requireRole(c, 'manager', 'admin');
    const row = await connectionOr404(db, caller.teamId);
    requireTokenKey(config);
    const session = openSession(db, config, deps.log, row, deps.now);
    const owners = await askCrm(
      'the owners list',
      () => session.provider.owners().finally(() => session.record()),
      { logger: deps.log, teamId: caller.teamId },
    );
    const members = await db
      .selectFrom('users')
      .leftJoin('crm_owner_map', (j) =>
        j.onRef('crm_owner_map.user_id', '=', 'users.id').on('crm_owner_map.team_id', '=', caller.teamId),
      )
      .select(['users.id', 'users.email', 'crm_owner_map.owner_id', 'crm_owner_map.edited'])
      .where('users.team_id', '=', caller.teamId)
      .where('users.removed', '=', false)
      .orderBy('users.email')
      .execute();
    return c.json(
      {
        members: members.map((m) => ({
          userId: m.id,
          email: m.email,
          ownerId: m.owner_id ?? null,
          edited: m.edited ?? false,
        })),
        owners: owners.map((o) => ({
          id: o.id,
          email: o.email,
          name: `${o.firstName} ${o.lastName}`.trim(),
        })),
      },
      200,
    );
  });

  router.openapi(ownerRoute, async (c) => {
    const caller = requireRole(c, 'admin');
    const { userId } = c.req.valid('param');
    const { ownerId } = c.req.valid('json');
    const member = await db
      .selectFrom('users')
      .select(['id', 'email'])
      .where('id', '=', userId)
      .where('team_id', '=', caller.teamId)
      .where('removed', '=', false)
      .executeTakeFirst();
    if (!member) throw new ApiError(404, 'not_found', `no member ${userId} in your team`);
    await connectionOr404(db, caller.teamId);
    await db
      .insertInto('crm_owner_map')
      .values({ team_id: caller.teamId, user_id: userId, owner_id: ownerId, edited: true })
      .onConflict((oc) => oc.columns(['team_id', 'user_id']).doUpdateSet({ owner_id: ownerId, edited: true }))
      .execute();
    return c.json({ userId, email: member.email, ownerId, edited: true }, 200);
  });

  // Each member's reads of HubSpot limited like the thread panel's (guard.ts), kept answers counted too.
  router.use('/crm/pipelines', crmReadLimit(deps.now));
  router.openapi(pipelinesRoute, async (c) => {
    const caller = c.get('caller');
    const row = await connectionOr404(db, caller.teamId);
    requireTokenKey(config);
    const pipelines = await ctx.reads.pipelines(caller.teamId, row.portal_id, () => {
      const session = openSession(db, config, deps.log, row, deps.now);
      return askCrm(
        'the pipelines list',
        async () =>
          (await session.provider.lookupPipelines().finally(() => session.record())).map((p) => ({
            id: p.id,
            label: p.label,
            stages: [...p.stages]
              .sort((a, b) => a.displayOrder - b.displayOrder)
              .map((s) => ({ id: s.id, label: s.label, closed: s.closed })),
          })),
        { logger: deps.log, teamId: caller.teamId },
      );
    });
    return c.json({ pipelines }, 200);
  });
}
