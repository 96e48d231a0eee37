import { createRoute } from '@hono/zod-openapi';
import { ProcessAnalytics, ProcessAnalyticsQuery } from '../../lib/contract/process-analytics';
import { dayStartsOf } from '../../lib/process/process-analytics';
import type { AppDeps } from '../deps';
import { createRouter, errors, json } from '../http';
import { ownersInScope } from '../team/scope';
import { queryProcessAnalytics } from './query';

const processRoute = createRoute({
  method: 'get',
  path: '/process-analytics',
  summary: 'Where the agreed sales process is followed: compliance, time in stage, conversion, rules, skips',
  description:
    'Counted as lib/process/process-analytics.ts defines them, over whole days in `timeZone` (`from` to `to`, ' +
    'both included): compliance per rep and per deal (deal-days without an error flag out of all deal-days), ' +
    'time in stage, stage-to-stage conversion, the most triggered rules, stalled deals, skipped criteria and ' +
    'overrides, and a weekly trend. A rep gets their own deals; a manager or an admin the team’s, or one ' +
    'member’s with `repId`.',
  security: [{ session: [] }],
  request: { query: ProcessAnalyticsQuery },
  responses: {
    200: json(ProcessAnalytics, 'The process analytics of the range'),
    ...errors(400, 401, 403, 404),
  },
});

export function processRoutes({ db }: AppDeps) {
  const router = createRouter();
  router.openapi(processRoute, async (c) => {
    const caller = c.get('caller');
    const q = c.req.valid('query');
    const owners = await ownersInScope(db, caller, q.repId, 'deals');
    const { dayStarts, dates } = dayStartsOf(q.from, q.to, q.timeZone);
    const answer = await queryProcessAnalytics(db, {
      team: caller.teamId,
      ...(owners ? { owners } : {}),
      dayStarts,
      dates,
      stalledDays: q.stalledDays,
    });
    return c.json(answer, 200);
  });
  return router;
}
