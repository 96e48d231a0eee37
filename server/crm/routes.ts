/**
 * Settings → CRM on the backend. Admins connect HubSpot (the OAuth code flow through this server, with
 * `state`; or a private-app token), disconnect (revoking what HubSpot lets us), set the options and map
 * members to HubSpot owners. Every member of the team sees the connection's state, never its tokens;
 * managers and admins see the failures. The routes live by subject: status.ts, connect-routes.ts,
 * settings-routes.ts, failure-routes.ts; the thread panel's lookup is lookup-routes.ts.
 */
import type { MiddlewareHandler } from 'hono';
import type { AppDeps } from '../deps';
import { createRouter, type AppEnv } from '../http';
import type { CrmConfig } from './config';
import { CALLBACK, connectRoutes } from './connect-routes';
import { crmContext } from './context';
import { failureRoutes } from './failure-routes';
import { settingsRoutes } from './settings-routes';
import { statusRoutes } from './status';
import type { TeamReads } from './team-reads';

/**
 * The Settings → CRM routes. `reads` is the team's kept CRM reads, shared with the lookup's routes so that
 * connecting and disconnecting forget them (app.ts passes one to both).
 */
export function crmRoutes(
  deps: AppDeps & { crm?: CrmConfig },
  signedIn: MiddlewareHandler<AppEnv>,
  reads?: TeamReads,
) {
  const ctx = crmContext(deps, reads);
  const router = createRouter();
  // Every /crm route needs a member's session, except the OAuth callback (the browser comes back from
  // HubSpot without one; its `state` names the admin who started it).
  router.use('/crm/*', async (c, next) => (c.req.path === CALLBACK ? next() : signedIn(c, next)));
  statusRoutes(router, ctx);
  connectRoutes(router, ctx);
  settingsRoutes(router, ctx);
  failureRoutes(router, ctx);
  return router;
}
