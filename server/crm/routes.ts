/**
 * Settings → CRM on the backend. Admins connect HubSpot (the OAuth code flow through this server, with
 * `state`; or a private-app token), disconnect (revoking what HubSpot lets us), set the options and map
 * members to HubSpot owners. Every member of the team sees the connection's state, never its tokens.
 */
import { createHash, randomBytes } from 'node:crypto';
import { createRoute, z } from '@hono/zod-openapi';
import type { MiddlewareHandler } from 'hono';
import {
  CrmConnectionFields,
  CrmFailure,
  CrmOwnerRow,
  CrmOwners,
  CrmPipeline,
  CrmServerSetup,
} from '../../lib/contract/crm';
import { requireRole } from '../auth/caller';
import type { AppDeps } from '../deps';
import { ApiError, createRouter, errors, json, jsonBody, noBody, noQuery, type AppEnv } from '../http';
import { DEFAULT_CRM_CONFIG, HUBSPOT_SCOPES, type CrmConfig } from './config';
import { loadConnection, oauthForm, openSession, revokeConnection, settingsOf, utcDay } from './connection';
import { dealsDb } from './deals-schema';
import { crmDb, type CrmDb } from './schema';
import { MissingKeyError, tokenCipher } from './secrets';
import { CrmSettings } from './settings';

const security = [{ session: [] }];
const STATE_TTL_MS = 10 * 60_000;
const CALLBACK = '/crm/hubspot/callback';

const Status = z.object({
  ...CrmConnectionFields,
  settings: CrmSettings.optional(),
  dedupe: z.record(z.string(), z.string()).nullable().optional(),
  server: CrmServerSetup,
});

/** A failed deal's id in the failures list: this prefix and the Threadline deal id. */
const DEAL_FAILURE_PREFIX = 'deal:';

const Failure = CrmFailure;

const statusRoute = createRoute({
  method: 'get',
  path: '/crm/connection',
  summary: 'The team’s CRM connection: state, usage and what waits (no tokens)',
  security,
  request: { query: noQuery },
  responses: { 200: json(Status, 'The connection'), ...errors(401) },
});
const authorizeRoute = createRoute({
  method: 'post',
  path: '/crm/hubspot/authorize',
  summary: 'Start connecting HubSpot with OAuth (admins): the URL to open',
  security,
  request: { query: noQuery, ...noBody },
  responses: { 200: json(z.object({ url: z.string() }), 'Open this URL'), ...errors(401, 403) },
});
const privateAppRoute = createRoute({
  method: 'post',
  path: '/crm/hubspot/private-app',
  summary: 'Connect HubSpot with a private app’s token (admins)',
  security,
  request: { query: noQuery, ...jsonBody(z.object({ token: z.string().min(10).max(1000) }).strict()) },
  responses: { 200: json(Status, 'Connected'), ...errors(400, 401, 403) },
});
const disconnectRoute = createRoute({
  method: 'delete',
  path: '/crm/connection',
  summary: 'Disconnect the CRM (admins): tokens revoked where HubSpot allows, and deleted',
  security,
  request: { query: noQuery, ...noBody },
  responses: { 200: json(z.object({ revoked: z.boolean() }), 'Disconnected'), ...errors(401, 403, 404) },
});
const settingsRoute = createRoute({
  method: 'patch',
  path: '/crm/settings',
  summary: 'Change the CRM options (admins)',
  security,
  request: { query: noQuery, ...jsonBody(CrmSettings.partial()) },
  responses: { 200: json(CrmSettings, 'The options'), ...errors(400, 401, 403, 404) },
});
const OwnerRow = CrmOwnerRow;
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
  responses: { 200: json(OwnerRow, 'The mapping'), ...errors(400, 401, 403, 404) },
});
const failuresRoute = createRoute({
  method: 'get',
  path: '/crm/failures',
  summary: 'Activities HubSpot refused or that were skipped, with HubSpot’s message',
  security,
  request: { query: noQuery },
  responses: { 200: json(z.object({ failures: z.array(Failure) }), 'Failures'), ...errors(401) },
});
const retryRoute = createRoute({
  method: 'post',
  path: '/crm/failures/retry',
  summary: 'Send failed activities again (admins)',
  security,
  request: {
    query: noQuery,
    ...jsonBody(z.object({ ids: z.array(z.string().max(300)).max(1000).optional() }).strict()),
  },
  responses: { 200: json(z.object({ retried: z.number() }), 'Queued again'), ...errors(400, 401, 403) },
});

const pipelinesRoute = createRoute({
  method: 'get',
  path: '/crm/pipelines',
  summary: 'The CRM’s deal pipelines and their stages (for the deal mapping)',
  security,
  request: { query: noQuery },
  responses: {
    200: json(z.object({ pipelines: z.array(CrmPipeline) }), 'Pipelines'),
    ...errors(401, 404),
  },
});

const hash = (s: string) => createHash('sha256').update(s).digest('base64url');

export function crmRoutes(deps: AppDeps & { crm?: CrmConfig }, signedIn: MiddlewareHandler<AppEnv>) {
  const config = deps.crm ?? DEFAULT_CRM_CONFIG;
  const db: CrmDb = crmDb(deps.db);
  const router = createRouter();
  // Every /crm route needs a member's session, except the OAuth callback (the browser comes back from
  // HubSpot without one; its `state` names the admin who started it).
  router.use('/crm/*', async (c, next) => (c.req.path === CALLBACK ? next() : signedIn(c, next)));

  const cipher = () => {
    if (!config.tokenKey) throw new ApiError(503, 'crm_key_missing', new MissingKeyError().message);
    return tokenCipher(config.tokenKey);
  };

  async function status(teamId: string): Promise<z.infer<typeof Status>> {
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
    };
  }

  /** Stores the connection, creates the id property and matches owners by email. */
  async function connect(
    teamId: string,
    userId: string,
    fields: {
      kind: 'oauth' | 'private_app';
      portalId: string;
      hubDomain: string | null;
      access: string;
      refresh?: string;
      expiresAt?: number;
      scopes: string[];
    },
  ) {
    const seal = cipher();
    const now = deps.now();
    const values = {
      team_id: teamId,
      provider: 'hubspot' as const,
      kind: fields.kind,
      portal_id: fields.portalId,
      hub_domain: fields.hubDomain,
      access_token: seal.seal(fields.access, teamId),
      refresh_token: fields.refresh ? seal.seal(fields.refresh, teamId) : null,
      expires_at: fields.expiresAt ?? null,
      scopes: fields.scopes.join(' '),
      dedupe: null,
      settings: JSON.stringify(CrmSettings.parse({})),
      connected_by: userId,
      connected_at: now,
      last_sync_at: null,
      last_error: null,
      daily_day: utcDay(now),
      daily_limit: null,
      daily_remaining: null,
      blocked_until: null,
    };
    await db
      .insertInto('crm_connections')
      .values(values)
      .onConflict((oc) =>
        oc.column('team_id').doUpdateSet({
          kind: values.kind,
          portal_id: values.portal_id,
          hub_domain: values.hub_domain,
          access_token: values.access_token,
          refresh_token: values.refresh_token,
          expires_at: values.expires_at,
          scopes: values.scopes,
          connected_by: userId,
          connected_at: now,
          last_error: null,
          blocked_until: null,
        }),
      )
      .execute();
    const row = (await loadConnection(db, teamId))!;
    const session = openSession(db, config, deps.log, row, deps.now);
    try {
      const dedupe = await session.provider.prepare();
      await db
        .updateTable('crm_connections')
        .set({ dedupe: JSON.stringify(dedupe) })
        .where('team_id', '=', teamId)
        .execute();
      await matchOwners(teamId, session);
    } catch (error) {
      await db
        .updateTable('crm_connections')
        .set({ last_error: `Setting up HubSpot failed: ${(error as Error).message}`.slice(0, 2000) })
        .where('team_id', '=', teamId)
        .execute();
    } finally {
      await session.record();
    }
  }

  async function matchOwners(teamId: string, session: ReturnType<typeof openSession>) {
    const owners = await session.provider.owners();
    const byEmail = new Map(owners.map((o) => [o.email.toLowerCase(), o.id]));
    const members = await db
      .selectFrom('users')
      .select(['id', 'email'])
      .where('team_id', '=', teamId)
      .where('removed', '=', false)
      .execute();
    for (const m of members) {
      const ownerId = byEmail.get(m.email.toLowerCase()) ?? null;
      await db
        .insertInto('crm_owner_map')
        .values({ team_id: teamId, user_id: m.id, owner_id: ownerId, edited: false })
        .onConflict((oc) =>
          oc
            .columns(['team_id', 'user_id'])
            .doUpdateSet({ owner_id: ownerId })
            .where('crm_owner_map.edited', '=', false),
        )
        .execute();
    }
    return owners;
  }

  router.openapi(statusRoute, async (c) => c.json(await status(c.get('caller').teamId), 200));

  router.openapi(authorizeRoute, async (c) => {
    const caller = requireRole(c, 'admin');
    const { clientId } = config.hubspot;
    if (!clientId || !config.hubspot.clientSecret)
      throw new ApiError(
        503,
        'crm_not_configured',
        'HUBSPOT_CLIENT_ID and HUBSPOT_CLIENT_SECRET are not set on the server: connect with a private-app token instead, or set them (README, “Connecting HubSpot”)',
      );
    cipher();
    const state = randomBytes(24).toString('base64url');
    await db
      .insertInto('crm_oauth_states')
      .values({
        state_hash: hash(state),
        team_id: caller.teamId,
        user_id: caller.id,
        expires_at: deps.now() + STATE_TTL_MS,
      })
      .execute();
    const url = new URL(config.hubspot.authorizeUrl);
    url.searchParams.set('client_id', clientId);
    url.searchParams.set('redirect_uri', deps.publicUrl.replace(/\/$/, '') + CALLBACK);
    url.searchParams.set('scope', HUBSPOT_SCOPES.join(' '));
    url.searchParams.set('state', state);
    return c.json({ url: url.toString() }, 200);
  });

  const page = (title: string, text: string, status: 200 | 400) =>
    new Response(
      `<!doctype html><html><head><meta charset="utf-8"><title>${title}</title></head><body><main><h1>${title}</h1><p>${text}</p></main></body></html>`,
      {
        status,
        headers: {
          'content-type': 'text/html; charset=utf-8',
          'cache-control': 'no-store',
          'referrer-policy': 'no-referrer',
        },
      },
    );
  const escape = (s: string) => s.replace(/[&<>"']/g, (ch) => `&#${ch.charCodeAt(0)};`);

  router.get(CALLBACK, async (c) => {
    const state = c.req.query('state') ?? '';
    const code = c.req.query('code');
    const row = state
      ? await db
          .deleteFrom('crm_oauth_states')
          .where('state_hash', '=', hash(state))
          .returningAll()
          .executeTakeFirst()
      : undefined;
    if (!row || row.expires_at <= deps.now())
      return page(
        'HubSpot was not connected',
        'This link is unknown, used or expired. Start again from Settings → CRM.',
        400,
      );
    const admin = await db
      .selectFrom('users')
      .select(['id', 'role'])
      .where('id', '=', row.user_id)
      .where('team_id', '=', row.team_id)
      .where('removed', '=', false)
      .executeTakeFirst();
    if (!admin || admin.role !== 'admin')
      return page('HubSpot was not connected', 'Only an admin of the team can connect HubSpot.', 400);
    if (!code)
      return page(
        'HubSpot was not connected',
        `HubSpot answered: ${escape(c.req.query('error') ?? 'no code')}.`,
        400,
      );
    const res = await oauthForm(config, '/oauth/v1/token', {
      grant_type: 'authorization_code',
      client_id: config.hubspot.clientId ?? '',
      client_secret: config.hubspot.clientSecret ?? '',
      redirect_uri: deps.publicUrl.replace(/\/$/, '') + CALLBACK,
      code,
    });
    if (
      res.status !== 200 ||
      typeof res.body.access_token !== 'string' ||
      typeof res.body.refresh_token !== 'string'
    )
      return page(
        'HubSpot was not connected',
        `HubSpot answered: ${escape(String(res.body.message ?? res.body.error_description ?? res.status))}`,
        400,
      );
    const info = await fetch(
      `${config.hubspot.apiBase.replace(/\/$/, '')}/oauth/v1/access-tokens/${encodeURIComponent(res.body.access_token)}`,
    );
    const details = (await info.json().catch(() => ({}))) as {
      hub_id?: number;
      hub_domain?: string;
      scopes?: string[];
    };
    try {
      await connect(row.team_id, row.user_id, {
        kind: 'oauth',
        portalId: String(details.hub_id ?? res.body.hub_id ?? ''),
        hubDomain: details.hub_domain ?? null,
        access: res.body.access_token,
        refresh: res.body.refresh_token,
        expiresAt: deps.now() + Number(res.body.expires_in ?? 1800) * 1000,
        scopes: details.scopes ?? (Array.isArray(res.body.scopes) ? (res.body.scopes as string[]) : []),
      });
    } catch (error) {
      if (error instanceof ApiError) return page('HubSpot was not connected', escape(error.message), 400);
      throw error;
    }
    return page('HubSpot is connected', 'You can close this tab and go back to Settings → CRM.', 200);
  });

  router.openapi(privateAppRoute, async (c) => {
    const caller = requireRole(c, 'admin');
    cipher();
    const { token } = c.req.valid('json');
    const res = await fetch(
      `${config.hubspot.apiBase.replace(/\/$/, '')}/oauth/v2/private-apps/get/access-token-info`,
      {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ tokenKey: token }),
      },
    );
    const info = (await res.json().catch(() => ({}))) as {
      hubId?: number;
      scopes?: string[];
      message?: string;
    };
    if (res.status !== 200 || info.hubId === undefined)
      throw new ApiError(
        400,
        'invalid_token',
        `HubSpot does not know this private-app token: ${info.message ?? res.status}`,
      );
    const missing = ['crm.objects.contacts.write', 'crm.objects.contacts.read'].filter(
      (s) => !info.scopes?.includes(s),
    );
    if (missing.length)
      throw new ApiError(
        400,
        'missing_scopes',
        `The private app lacks the scopes ${missing.join(', ')}: add them in HubSpot and paste the token again`,
      );
    await connect(caller.teamId, caller.id, {
      kind: 'private_app',
      portalId: String(info.hubId),
      hubDomain: null,
      access: token,
      scopes: info.scopes ?? [],
    });
    return c.json(await status(caller.teamId), 200);
  });

  router.openapi(disconnectRoute, async (c) => {
    const caller = requireRole(c, 'admin');
    const row = await loadConnection(db, caller.teamId);
    if (!row) throw new ApiError(404, 'not_connected', 'no CRM is connected');
    const revoked = await revokeConnection(config, row, deps.log);
    await db.deleteFrom('crm_connections').where('team_id', '=', caller.teamId).execute();
    await db.deleteFrom('crm_owner_map').where('team_id', '=', caller.teamId).execute();
    return c.json({ revoked }, 200);
  });

  router.openapi(settingsRoute, async (c) => {
    const caller = requireRole(c, 'admin');
    const row = await loadConnection(db, caller.teamId);
    if (!row) throw new ApiError(404, 'not_connected', 'no CRM is connected');
    const next = CrmSettings.parse({ ...settingsOf(row), ...c.req.valid('json') });
    await db
      .updateTable('crm_connections')
      .set({ settings: JSON.stringify(next) })
      .where('team_id', '=', caller.teamId)
      .execute();
    return c.json(next, 200);
  });

  router.openapi(ownersRoute, async (c) => {
    const caller = requireRole(c, 'manager', 'admin');
    const row = await loadConnection(db, caller.teamId);
    if (!row) throw new ApiError(404, 'not_connected', 'no CRM is connected');
    const session = openSession(db, config, deps.log, row, deps.now);
    const owners = await session.provider.owners().finally(() => session.record());
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
    if (!(await loadConnection(db, caller.teamId)))
      throw new ApiError(404, 'not_connected', 'no CRM is connected');
    await db
      .insertInto('crm_owner_map')
      .values({ team_id: caller.teamId, user_id: userId, owner_id: ownerId, edited: true })
      .onConflict((oc) => oc.columns(['team_id', 'user_id']).doUpdateSet({ owner_id: ownerId, edited: true }))
      .execute();
    return c.json({ userId, email: member.email, ownerId, edited: true }, 200);
  });

  router.openapi(pipelinesRoute, async (c) => {
    const caller = c.get('caller');
    const row = await loadConnection(db, caller.teamId);
    if (!row) throw new ApiError(404, 'not_connected', 'no CRM is connected');
    const session = openSession(db, config, deps.log, row, deps.now);
    const pipelines = await session.provider.lookupPipelines().finally(() => session.record());
    return c.json(
      {
        pipelines: pipelines.map((p) => ({
          id: p.id,
          label: p.label,
          stages: [...p.stages]
            .sort((a, b) => a.displayOrder - b.displayOrder)
            .map((s) => ({ id: s.id, label: s.label, closed: s.closed })),
        })),
      },
      200,
    );
  });

  router.openapi(failuresRoute, async (c) => {
    const caller = c.get('caller');
    const rows = await db
      .selectFrom('crm_outbox')
      .select(['id', 'kind', 'state', 'last_error', 'attempts', 'updated_at'])
      .where('team_id', '=', caller.teamId)
      .where('last_error', 'is not', null)
      .where('state', 'in', ['failed', 'skipped', 'pending'])
      .orderBy('updated_at', 'desc')
      .limit(200)
      .execute();
    // Deals HubSpot refused (kind deal; id `deal:` + the deal id, so retry tells them from activities).
    const deals = await dealsDb(deps.db)
      .selectFrom('crm_deal_links')
      .select(['deal_id', 'last_error', 'attempts', 'updated_at'])
      .where('team_id', '=', caller.teamId)
      .where('state', '=', 'failed')
      .where('last_error', 'is not', null)
      .orderBy('updated_at', 'desc')
      .limit(200)
      .execute();
    const failures = [
      ...rows.map((r) => ({
        id: r.id,
        kind: r.kind,
        state: r.state as 'failed' | 'skipped' | 'pending',
        message: r.last_error ?? '',
        attempts: r.attempts,
        updatedAt: r.updated_at,
      })),
      ...deals.map((r) => ({
        id: `${DEAL_FAILURE_PREFIX}${r.deal_id}`,
        kind: 'deal',
        state: 'failed' as const,
        message: r.last_error ?? '',
        attempts: r.attempts,
        updatedAt: Number(r.updated_at),
      })),
    ]
      .sort((a, b) => b.updatedAt - a.updatedAt)
      .slice(0, 200);
    return c.json({ failures }, 200);
  });

  router.openapi(retryRoute, async (c) => {
    const caller = requireRole(c, 'admin');
    const { ids } = c.req.valid('json');
    const res = await db
      .updateTable('crm_outbox')
      .set({ state: 'pending', attempts: 0, next_at: deps.now(), updated_at: deps.now() })
      .where('team_id', '=', caller.teamId)
      .where('state', 'in', ['failed', 'skipped'])
      .$if(ids !== undefined, (q) => q.where('id', 'in', ids!.length ? ids! : ['']))
      .executeTakeFirst();
    const dealIds = ids
      ?.filter((id) => id.startsWith(DEAL_FAILURE_PREFIX))
      .map((id) => id.slice(DEAL_FAILURE_PREFIX.length));
    const dealRes = await dealsDb(deps.db)
      .updateTable('crm_deal_links')
      .set({ state: 'pending', attempts: 0, last_error: null, next_at: deps.now(), updated_at: deps.now() })
      .where('team_id', '=', caller.teamId)
      .where('state', '=', 'failed')
      .$if(dealIds !== undefined, (q) => q.where('deal_id', 'in', dealIds!.length ? dealIds! : ['']))
      .executeTakeFirst();
    await db
      .updateTable('crm_connections')
      .set({ blocked_until: null })
      .where('team_id', '=', caller.teamId)
      .execute();
    return c.json({ retried: Number(res.numUpdatedRows) + Number(dealRes.numUpdatedRows) }, 200);
  });

  return router;
}
