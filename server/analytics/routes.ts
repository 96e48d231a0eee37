import { createRoute, z } from '@hono/zod-openapi';
import { isoDateOfDay, startOfLocalDay } from '../../lib/analytics/days';
import { Analytics, AnalyticsQuery, dayNumberOf } from '../../lib/contract/analytics';
import { ErrorBody } from '../../lib/contract/errors';
import type { AppDeps } from '../deps';
import { ApiError, createRouter, errorBody, errors, json, type Caller } from '../http';
import type { Db } from '../db/database';
import { ownersInScope } from '../team/scope';
import { isBuilt } from './facts';
import { queryAnalytics, UnalignedZone } from './query';

/** Seconds a client is asked to wait while its team's analytics are being built (builder.ts). */
const BUILDING_RETRY_AFTER_S = 30;

const analyticsRoute = createRoute({
  method: 'get',
  path: '/analytics',
  summary: 'Funnels per sequence, step and rep, the daily series, A/B tests and task adherence',
  description:
    'Counted as lib/analytics/definitions.ts defines them, over whole days in `timeZone` (`from` to `to`, ' +
    'both included). A rep gets their own numbers; a manager or an admin the team’s, or one member’s ' +
    'with `repId`. The answer has the shape lib/analytics computeAnalytics gives on a device.',
  security: [{ session: [] }],
  request: { query: AnalyticsQuery },
  responses: {
    200: json(Analytics, 'The analytics of the range'),
    ...errors(400, 401, 403, 404),
    503: {
      ...json(
        ErrorBody,
        'The team’s analytics are being built from its stored events (after a server upgrade), in the ' +
          'background: code `analytics_building`; ask again after the seconds of the Retry-After header',
      ),
      headers: z.object({
        'Retry-After': z.string().openapi({ description: 'Seconds to wait', example: '30' }),
      }),
    },
  },
});

/** Whether the caller may filter by this sequence: one of the team's they can see, or one they enrolled in. */
async function seesSequence(db: Db, caller: Caller, sequenceId: string): Promise<boolean> {
  const rep = caller.role === 'rep';
  const entity = await db
    .selectFrom('entities')
    .select('id')
    .where('team_id', '=', caller.teamId)
    .where('kind', '=', 'sequence')
    .where('id', '=', sequenceId)
    .$if(rep, (q) => q.where((eb) => eb.or([eb('owner_id', '=', caller.id), eb('shared', '=', true)])))
    .executeTakeFirst();
  if (entity) return true;
  const counted = await db
    .selectFrom('analytics_contacts')
    .select('contact')
    .where('team_id', '=', caller.teamId)
    .where('sequence_id', '=', sequenceId)
    .$if(rep, (q) => q.where('owner_id', '=', caller.id))
    .limit(1)
    .executeTakeFirst();
  return counted !== undefined;
}

export function analyticsRoutes({ db, readers }: AppDeps) {
  const router = createRouter();

  router.openapi(analyticsRoute, async (c) => {
    const caller = c.get('caller');
    const q = c.req.valid('query');
    if (!(await isBuilt(db, caller.teamId))) {
      c.header('retry-after', String(BUILDING_RETRY_AFTER_S));
      return c.json(
        errorBody(
          'analytics_building',
          'Your team’s analytics are being rebuilt on the server after an upgrade; this takes a minute or ' +
            'two for a large team. Try again shortly.',
        ),
        503,
      );
    }
    const owners = await ownersInScope(db, caller, q.repId, 'numbers');
    if (q.sequenceId !== undefined && !(await seesSequence(db, caller, q.sequenceId)))
      throw new ApiError(404, 'not_found', `query.sequenceId: no sequence ${q.sequenceId} in your team`);

    const from = startOfLocalDay(q.from, q.timeZone);
    const to = startOfLocalDay(isoDateOfDay(dayNumberOf(q.to)! + 1), q.timeZone);
    try {
      const request = {
        team: caller.teamId,
        from,
        to,
        timeZone: q.timeZone,
        ...(owners ? { owners } : {}),
        ...(q.sequenceId !== undefined ? { sequenceId: q.sequenceId } : {}),
        ...(q.stepIndex !== undefined ? { stepIndex: q.stepIndex } : {}),
      };
      const analytics = await queryAnalytics(db, request, readers);
      return c.json(analytics, 200);
    } catch (error) {
      if (error instanceof UnalignedZone)
        throw new ApiError(400, 'invalid_request', `query.timeZone: ${error.message}`);
      throw error;
    }
  });

  return router;
}
