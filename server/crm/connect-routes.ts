/**
 * Connecting HubSpot (admins): the OAuth code flow through this server, with `state` (the callback is the one
 * /crm route without a session: its `state` names the admin who started it), or a private app's token; and
 * disconnecting. connect.ts does the storing.
 */
import { createHash, randomBytes } from 'node:crypto';
import { createRoute, z } from '@hono/zod-openapi';
import { requireRole } from '../auth/caller';
import { ApiError, errors, json, jsonBody, noBody, noQuery } from '../http';
import { HUBSPOT_SCOPES } from './config';
import { oauthForm } from './connection';
import { connectTeam, disconnectTeam } from './connect';
import { security, type CrmContext, type CrmRouter } from './context';
import { connectionStatus, Status } from './status';

const STATE_TTL_MS = 10 * 60_000;
/** The OAuth callback's path: the only /crm route that needs no session. */
export const CALLBACK = '/crm/hubspot/callback';

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

const hash = (s: string) => createHash('sha256').update(s).digest('base64url');

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
const NOT_CONNECTED = 'HubSpot was not connected';

export function connectRoutes(router: CrmRouter, ctx: CrmContext): void {
  const { db, deps, config } = ctx;
  const redirectUri = () => deps.publicUrl.replace(/\/$/, '') + CALLBACK;

  router.openapi(authorizeRoute, async (c) => {
    const caller = requireRole(c, 'admin');
    const { clientId } = config.hubspot;
    if (!clientId || !config.hubspot.clientSecret)
      throw new ApiError(
        503,
        'crm_not_configured',
        'HUBSPOT_CLIENT_ID and HUBSPOT_CLIENT_SECRET are not set on the server: connect with a private-app token instead, or set them (README, “Connecting HubSpot”)',
      );
    ctx.cipher();
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
    url.searchParams.set('redirect_uri', redirectUri());
    url.searchParams.set('scope', HUBSPOT_SCOPES.join(' '));
    url.searchParams.set('state', state);
    return c.json({ url: url.toString() }, 200);
  });

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
        NOT_CONNECTED,
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
      return page(NOT_CONNECTED, 'Only an admin of the team can connect HubSpot.', 400);
    if (!code)
      return page(NOT_CONNECTED, `HubSpot answered: ${escape(c.req.query('error') ?? 'no code')}.`, 400);
    const res = await oauthForm(config, '/oauth/v1/token', {
      grant_type: 'authorization_code',
      client_id: config.hubspot.clientId ?? '',
      client_secret: config.hubspot.clientSecret ?? '',
      redirect_uri: redirectUri(),
      code,
    });
    if (
      res.status !== 200 ||
      typeof res.body.access_token !== 'string' ||
      typeof res.body.refresh_token !== 'string'
    )
      return page(
        NOT_CONNECTED,
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
      message?: string;
    };
    // Without the portal the token belongs to, the deals cannot tell a reconnect from a move to another
    // portal: nothing is connected (as the private-app route refuses an unknown token).
    if (info.status !== 200 || details.hub_id === undefined || details.hub_id === null)
      return page(
        NOT_CONNECTED,
        `HubSpot did not say which portal the token belongs to (${escape(String(details.message ?? info.status))}). Start again from Settings → CRM.`,
        400,
      );
    try {
      await connectTeam(ctx, row.team_id, row.user_id, {
        kind: 'oauth',
        portalId: String(details.hub_id),
        hubDomain: details.hub_domain ?? null,
        access: res.body.access_token,
        refresh: res.body.refresh_token,
        expiresAt: deps.now() + Number(res.body.expires_in ?? 1800) * 1000,
        scopes: details.scopes ?? (Array.isArray(res.body.scopes) ? (res.body.scopes as string[]) : []),
      });
    } catch (error) {
      if (error instanceof ApiError) return page(NOT_CONNECTED, escape(error.message), 400);
      throw error;
    }
    return page('HubSpot is connected', 'You can close this tab and go back to Settings → CRM.', 200);
  });

  router.openapi(privateAppRoute, async (c) => {
    const caller = requireRole(c, 'admin');
    ctx.cipher();
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
    await connectTeam(ctx, caller.teamId, caller.id, {
      kind: 'private_app',
      portalId: String(info.hubId),
      hubDomain: null,
      access: token,
      scopes: info.scopes ?? [],
    });
    return c.json(await connectionStatus(ctx, caller.teamId), 200);
  });

  router.openapi(disconnectRoute, async (c) => {
    const caller = requireRole(c, 'admin');
    return c.json(await disconnectTeam(ctx, caller.teamId), 200);
  });
}
