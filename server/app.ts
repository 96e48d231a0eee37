import { OpenAPIHono } from '@hono/zod-openapi';
import { sql } from 'kysely';
import type { Context } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { HTTPException } from 'hono/http-exception';
import { analyticsRoutes } from './analytics/routes';
import { crmRoutes } from './crm/routes';
import { crmLookupRoutes } from './crm/lookup-routes';
import { crmDealRoutes } from './crm/deals-routes';
import { createTeamReads } from './crm/team-reads';
import { requireCaller } from './auth/caller';
import { createIdTokenVerifier } from './auth/oidc';
import { authRoutes } from './auth/routes';
import { createSessions } from './auth/session';
import type { AppDeps } from './deps';
import { ApiError, errorBody, type AppEnv } from './http';
import { unstorableText } from './sync/storable';
import { clientAddress, createLimits, limitedBy, NO_LIMITS, rateLimit } from './rate-limit';
import { leaseRoutes } from './leases/routes';
import { processRoutes } from './process/routes';
import { syncRoutes } from './sync/routes';
import { teamRoutes } from './team/routes';
import { suppressionRoutes } from './team/suppressions';
import { createHitBatcher } from './tracking/batcher';
import { linkKeyOf, trackingRoutes, type TrackedOf } from './tracking/routes';
import { createPixelHandler, tokenOfPath } from './tracking/pixel';
import { createTrackingTokens } from './tracking/token';

export type { AppDeps } from './deps';

/** The whole HTTP API as a Hono app: `app.fetch` for a server, `app.request` for in-process tests. */
export function createApp(deps: AppDeps) {
  const app = new OpenAPIHono<AppEnv>();
  const sessions = createSessions(deps.sessionSecret, deps.publicUrl, deps.now);
  const verifyIdToken = createIdTokenVerifier(deps.issuers);
  const limits = deps.rateLimits ?? NO_LIMITS;
  const batcher = createHitBatcher(deps.db, deps.log, {
    ...deps.tracking,
    perLinkPerMinute: limits.trackingPerTokenPerMinute,
  });
  const tokens = createTrackingTokens(deps.trackingSecret);
  // The rate limit and the route both need the token's payload: verified once (the last token is kept; a
  // request's middleware and handler run back to back, and the answer depends on the token alone).
  let lastToken: string | undefined;
  let lastPayload: ReturnType<TrackedOf>;
  const trackedOf: TrackedOf = (token) => {
    if (token !== lastToken) {
      lastPayload = tokens.verify(token);
      lastToken = token;
    }
    return lastPayload;
  };

  const limitBody = bodyLimit({
    maxSize: deps.bodyLimitBytes,
    onError: (c) =>
      c.json(errorBody('payload_too_large', `the body is larger than ${deps.bodyLimitBytes} bytes`), 413),
  });
  // GET and HEAD carry no body; asking would make the Node adapter build a whole fetch Request for every
  // pixel (the hottest path there is).
  app.use('*', (c, next) =>
    c.req.method === 'GET' || c.req.method === 'HEAD' ? next() : limitBody(c, next),
  );
  // Text PostgreSQL cannot store (NUL, half a surrogate pair) or absurd nesting, anywhere in a JSON body or
  // a URL, is refused here with 400 naming the field, before any route reads it (else: a 500 from the
  // database or a stack overflow). A push's mutation args are left to sync, which rejects that one mutation.
  app.use('*', async (c, next) => {
    if (c.req.path.startsWith('/t/')) return next(); // tracking tokens: a bad one records nothing anyway
    if (/%00/i.test(c.req.url))
      throw new ApiError(400, 'invalid_request', 'the URL contains a NUL character (%00)');
    if (c.req.method === 'GET' || c.req.method === 'HEAD') return next();
    if (!/^application\/json\b/i.test(c.req.header('content-type') ?? '')) return next();
    let body: unknown;
    try {
      body = await c.req.json();
    } catch {
      return next(); // malformed: the route's validator says so
    }
    const checked =
      c.req.path === '/sync/push' &&
      body &&
      typeof body === 'object' &&
      Array.isArray((body as { mutations?: unknown }).mutations)
        ? {
            ...body,
            mutations: (body as { mutations: unknown[] }).mutations.map((m) =>
              m && typeof m === 'object' ? { ...m, args: undefined } : m,
            ),
          }
        : body;
    const problem = unstorableText(checked, 'json');
    if (problem) throw new ApiError(400, 'invalid_request', problem);
    return next();
  });
  const debug = deps.log.isLevelEnabled('debug');
  app.use('*', async (c, next) => {
    if (!debug) return next();
    const started = performance.now();
    await next();
    deps.log.debug(
      {
        method: c.req.method,
        path: c.req.path,
        status: c.res.status,
        ms: Math.round(performance.now() - started),
      },
      'request',
    );
  });
  // Public endpoints: sign-in per address, tracking links per address and per link (server/README.md).
  const address = (c: Context) => clientAddress(c, limits.trustProxyHops);
  app.use(
    '/auth/*',
    rateLimit(deps.now, {
      perMinute: limits.authPerMinute,
      keyOf: address,
      what: 'from your address to /auth',
    }),
  );
  // One set of counters for /t/* through the app and for the pixel answered in front of it (./tracking/pixel.ts).
  const trackingLimits = createLimits<{ address: string; path: string }>(
    deps.now,
    { perMinute: limits.trackingPerIpPerMinute, keyOf: (r) => r.address, what: 'from your address' },
    {
      perMinute: limits.trackingPerTokenPerMinute,
      // The link the verified token stands for: a token we did not make (padded, altered) records nothing
      // and is left to the per-address limit.
      keyOf: (r) => {
        const payload = trackedOf(tokenOfPath(r.path));
        return payload ? linkKeyOf(payload) : undefined;
      },
      what: 'for this link',
    },
  );
  app.use(
    '/t/*',
    limitedBy(trackingLimits, (c) => ({ address: address(c), path: c.req.path })),
  );
  const signedIn = requireCaller(deps.db, sessions);
  for (const path of [
    '/me',
    '/team/*',
    '/sync/*',
    '/leases/*',
    '/tracking/*',
    '/analytics',
    '/process-analytics',
  ])
    app.use(path, signedIn);

  app.get('/health', async (c) => {
    try {
      await sql`select 1`.execute(deps.db);
      return c.json({ status: 'ok' });
    } catch {
      return c.json({ status: 'database unreachable' }, 503);
    }
  });
  app.route('/', authRoutes(deps, sessions, verifyIdToken));
  app.route('/', teamRoutes(deps));
  app.route('/', suppressionRoutes(deps));
  app.route('/', syncRoutes(deps));
  app.route('/', leaseRoutes(deps));
  app.route('/', analyticsRoutes(deps));
  // One store of each team's CRM reads, so connecting or disconnecting forgets the lookup's answers too.
  const crmReads = createTeamReads(deps.now);
  app.route('/', crmRoutes(deps, signedIn, crmReads));
  app.route('/', crmLookupRoutes(deps, signedIn, crmReads.lookup));
  app.route('/', crmDealRoutes(deps, signedIn));
  app.route('/', processRoutes(deps));
  const tracking = trackingRoutes(deps, tokens, batcher, trackedOf);
  app.route('/', tracking);

  app.openAPIRegistry.registerComponent('securitySchemes', 'session', {
    type: 'http',
    scheme: 'bearer',
    bearerFormat: 'JWT',
  });
  app.doc31('/openapi.json', {
    openapi: '3.1.0',
    info: {
      title: 'Threadline backend',
      version: '0.1.0',
      description: 'Sync, sign-in, teams, send leases, tracking and analytics.',
    },
  });

  app.notFound((c) => c.json(errorBody('not_found', `no route ${c.req.method} ${c.req.path}`), 404));
  app.onError((error, c) => {
    if (error instanceof ApiError) return c.json(errorBody(error.code, error.message), error.status);
    if (error instanceof HTTPException) {
      // Hono's own: malformed JSON, bad content type.
      const code =
        error.status === 400
          ? 'invalid_request'
          : error.status === 415
            ? 'unsupported_media_type'
            : 'http_error';
      return c.json(errorBody(code, error.message || 'bad request'), error.status);
    }
    deps.log.error({ err: error, method: c.req.method, path: c.req.path }, 'unhandled error');
    return c.json(errorBody('internal', 'the server failed; nothing was written, try again'), 500);
  });
  /** Writes the tracking events still queued: call before closing the database. */
  /** The open pixel for a node:http server to answer before the app (serveApp does): true when it did. */
  const pixel = createPixelHandler({
    limit: (input) => trackingLimits?.(input),
    open: tracking.open,
    trustProxyHops: limits.trustProxyHops,
    ...(debug ? { debug: (entry) => deps.log.debug(entry, 'request') } : {}),
  });
  return Object.assign(app, { drain: () => batcher.flush(), pixel });
}
export type App = ReturnType<typeof createApp>;
