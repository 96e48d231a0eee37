import { createRoute } from '@hono/zod-openapi';
import { SuppressionLift, SuppressionLifted } from '../../lib/contract/auth';
import { requireRole } from '../auth/caller';
import type { AppDeps } from '../deps';
import { ApiError, createRouter, errors, json, jsonBody, noQuery } from '../http';
import { ChangeWriter } from '../sync/changes';

const liftRoute = createRoute({
  method: 'post',
  path: '/team/suppressions/lift',
  summary: 'Lift a do-not-contact entry, an unsubscribe or complaint included, with a reason (admins)',
  description:
    'The one way to lift a suppression the recipient asked for (an unsubscribe, a spam complaint): sync ' +
    'refuses `suppression.remove` for those. The reason, the admin and the time are recorded.',
  security: [{ session: [] }],
  request: { query: noQuery, ...jsonBody(SuppressionLift) },
  responses: { 200: json(SuppressionLifted, 'Lifted'), ...errors(400, 401, 403, 404) },
});

export function suppressionRoutes({ db, now }: AppDeps) {
  const router = createRouter();
  router.openapi(liftRoute, async (c) => {
    const caller = requireRole(c, 'admin');
    const { email, reason } = c.req.valid('json');
    const address = email.trim().toLowerCase();
    const lifted = await db.transaction().execute(async (trx) => {
      const w = await ChangeWriter.open(trx, caller.teamId);
      const existing = await w.get('suppression', address);
      if (!existing || existing.deleted) return undefined;
      const was = typeof existing.data?.reason === 'string' ? existing.data.reason : 'manual';
      await w.put('suppression', address, {
        ownerId: existing.ownerId,
        shared: true,
        deleted: true,
        data: null,
      });
      await w.finish();
      await trx
        .insertInto('suppression_lifts')
        .values({ team_id: caller.teamId, email: address, reason, was, lifted_by: caller.id, at: now() })
        .execute();
      return { email: address, was, liftedBy: caller.id, at: now() };
    });
    if (!lifted)
      throw new ApiError(404, 'not_found', `email: ${address} is not on your team’s do-not-contact list`);
    return c.json(lifted, 200);
  });
  return router;
}
