/**
 * HubSpot's OAuth 2.0 and private-app tokens, for one portal: the authorize screen (the installing user
 * consents to the app's scopes), code and refresh grants on /oauth/v1/token and /oauth/v3/token, access
 * tokens that expire after 30 minutes, introspection (v1 GET, v3 POST), revocation, and private-app tokens.
 */
import { randomBytes } from 'node:crypto';
import { oauthError, type Reply } from './errors';

export const ACCESS_TTL_S = 1800;
const CODE_TTL_MS = 5 * 60_000;

export interface App {
  appId: number;
  clientId: string;
  clientSecret: string;
  /** Redirect URIs the app registered; the authorize request must use one of them. */
  redirectUris: string[];
}

export interface TokenInfo {
  token: string;
  kind: 'oauth' | 'private';
  appId: number;
  clientId?: string;
  scopes: string[];
  userId: number;
  user: string;
  /** Epoch ms; private-app tokens do not expire. */
  expiresAt?: number;
  refreshToken?: string;
}

interface Code {
  app: App;
  redirectUri: string;
  scopes: string[];
  expiresAt: number;
}

interface Refresh {
  token: string;
  app: App;
  scopes: string[];
}

const rand = (n: number) => randomBytes(n).toString('hex');

const esc = (s: string) =>
  s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

export function createAuth(deps: {
  portalId: number;
  hubDomain: string;
  now: () => number;
  installer: { userId: number; email: string };
}) {
  const apps = new Map<string, App>();
  const codes = new Map<string, Code>();
  const access = new Map<string, TokenInfo>();
  const refresh = new Map<string, Refresh>();
  let nextAppId = 500_001;

  const app = (clientId: string | null, secret: string | null): App | undefined => {
    const a = apps.get(clientId ?? '');
    return a && a.clientSecret === secret ? a : undefined;
  };

  function issue(a: App, scopes: string[], refreshToken: string): TokenInfo {
    const token = `CN${rand(16)}-na1-${rand(24)}`;
    const info: TokenInfo = {
      token,
      kind: 'oauth',
      appId: a.appId,
      clientId: a.clientId,
      scopes,
      userId: deps.installer.userId,
      user: deps.installer.email,
      expiresAt: deps.now() + ACCESS_TTL_S * 1000,
      refreshToken,
    };
    access.set(token, info);
    return info;
  }

  const tokenBody = (info: TokenInfo) => ({
    access_token: info.token,
    refresh_token: info.refreshToken,
    expires_in: ACCESS_TTL_S,
    token_type: 'bearer',
    hub_id: deps.portalId,
    user_id: deps.installer.userId,
    scopes: info.scopes,
    token_use: 'access_token',
  });

  function introspection(info: TokenInfo) {
    const expiresIn = info.expiresAt ? Math.max(0, Math.round((info.expiresAt - deps.now()) / 1000)) : 0;
    return {
      token: info.token,
      user: info.user,
      hub_domain: deps.hubDomain,
      scopes: [...new Set(['oauth', ...info.scopes])],
      signed_access_token: {
        expiresAt: info.expiresAt ?? 0,
        scopes: info.scopes.join(' '),
        hubId: deps.portalId,
        userId: info.userId,
        appId: info.appId,
        hublet: 'na1',
        isUserLevel: false,
      },
      hub_id: deps.portalId,
      app_id: info.appId,
      expires_in: expiresIn,
      user_id: info.userId,
      token_type: 'access',
      is_private_distribution: false,
    };
  }

  return {
    registerApp(opts: { redirectUris: string[]; clientId?: string; clientSecret?: string }): App {
      const a: App = {
        appId: nextAppId++,
        clientId: opts.clientId ?? crypto.randomUUID(),
        clientSecret: opts.clientSecret ?? crypto.randomUUID(),
        redirectUris: opts.redirectUris,
      };
      apps.set(a.clientId, a);
      return a;
    },

    /** A private app's static token with these scopes. */
    privateAppToken(scopes: string[]): string {
      const token = `pat-na1-${crypto.randomUUID()}`;
      access.set(token, {
        token,
        kind: 'private',
        appId: nextAppId++,
        scopes,
        userId: deps.installer.userId,
        user: deps.installer.email,
      });
      return token;
    },

    /** The token's grant, `expired` when its 30 minutes are over. */
    check(token: string | undefined): TokenInfo | 'expired' | undefined {
      const info = token ? access.get(token) : undefined;
      if (!info) return undefined;
      if (info.expiresAt !== undefined && info.expiresAt <= deps.now()) return 'expired';
      return info;
    },

    /** Revokes a private-app token (rotating it in HubSpot's settings). */
    revokeToken(token: string): void {
      access.delete(token);
    },

    /** GET /oauth/authorize: the consent screen, or a redirect with `error` for a bad request. */
    authorizePage(url: URL): Reply {
      const q = url.searchParams;
      const a = apps.get(q.get('client_id') ?? '');
      const redirectUri = q.get('redirect_uri') ?? '';
      if (!a || !a.redirectUris.includes(redirectUri))
        return {
          status: 400,
          html: '<!doctype html><title>HubSpot</title><p>This app is not set up to redirect there (unknown client_id or redirect_uri).</p>',
        };
      const scopes = (q.get('scope') ?? '').split(/[\s+]+/).filter(Boolean);
      const optional = (q.get('optional_scope') ?? '').split(/[\s+]+/).filter(Boolean);
      const hidden = (name: string, value: string) =>
        `<input type="hidden" name="${esc(name)}" value="${esc(value)}">`;
      const html = `<!doctype html><html><head><meta charset="utf-8"><title>Connect to HubSpot</title></head>
<body><main><h1>Connect app ${a.appId} to ${esc(deps.hubDomain)}</h1>
<p>Account ${deps.portalId}. The app asks for:</p><ul>${scopes.map((s) => `<li>${esc(s)}</li>`).join('')}</ul>
<form method="post" action="/oauth/authorize/consent">
${hidden('client_id', a.clientId)}${hidden('redirect_uri', redirectUri)}${hidden('scope', [...scopes, ...optional].join(' '))}${hidden('state', q.get('state') ?? '')}
<button name="decision" value="allow">Connect app</button> <button name="decision" value="deny">Cancel</button>
</form></main></body></html>`;
      return { status: 200, html };
    },

    /** POST /oauth/authorize/consent: the user's choice; back to the app with a code (or an error). */
    consent(form: URLSearchParams): Reply {
      const a = apps.get(form.get('client_id') ?? '');
      const redirectUri = form.get('redirect_uri') ?? '';
      if (!a || !a.redirectUris.includes(redirectUri)) return { status: 400, html: '<p>Unknown app.</p>' };
      const back = new URL(redirectUri);
      const state = form.get('state');
      if (form.get('decision') !== 'allow') {
        back.searchParams.set('error', 'access_denied');
      } else {
        const code = rand(18);
        codes.set(code, {
          app: a,
          redirectUri,
          scopes: (form.get('scope') ?? '').split(' ').filter(Boolean),
          expiresAt: deps.now() + CODE_TTL_MS,
        });
        back.searchParams.set('code', code);
      }
      if (state) back.searchParams.set('state', state);
      return { status: 302, headers: { location: back.toString() } };
    },

    /** POST /oauth/v1/token, /oauth/v3/token (form). */
    token(form: URLSearchParams): Reply {
      const a = app(form.get('client_id'), form.get('client_secret'));
      if (!a)
        return oauthError(400, 'invalid_client', 'client_id or client_secret is not valid', 'BAD_CLIENT_ID');
      const grant = form.get('grant_type');
      if (grant === 'authorization_code') {
        const code = codes.get(form.get('code') ?? '');
        codes.delete(form.get('code') ?? '');
        if (!code || code.app !== a || code.expiresAt <= deps.now())
          return oauthError(400, 'invalid_grant', 'the code is unknown, used or expired', 'BAD_AUTH_CODE');
        if (form.get('redirect_uri') !== code.redirectUri)
          return oauthError(
            400,
            'invalid_grant',
            'redirect_uri differs from the authorize request',
            'BAD_REDIRECT_URI',
          );
        const refreshToken = `${rand(8)}-${rand(4)}-${rand(4)}-${rand(12)}`;
        refresh.set(refreshToken, { token: refreshToken, app: a, scopes: code.scopes });
        return { status: 200, body: tokenBody(issue(a, code.scopes, refreshToken)) };
      }
      if (grant === 'refresh_token') {
        const r = refresh.get(form.get('refresh_token') ?? '');
        if (!r || r.app !== a)
          return oauthError(400, 'invalid_grant', 'missing or unknown refresh token', 'BAD_REFRESH_TOKEN');
        return { status: 200, body: tokenBody(issue(a, r.scopes, r.token)) };
      }
      return oauthError(
        400,
        'unsupported_grant_type',
        `grant_type ${grant ?? '(none)'} is not supported`,
        'BAD_GRANT_TYPE',
      );
    },

    /** GET /oauth/v1/access-tokens/{token}. */
    accessTokenInfo(token: string): Reply {
      const info = access.get(token);
      if (!info || info.kind !== 'oauth' || (info.expiresAt ?? 0) <= deps.now())
        return oauthError(
          404,
          'invalid_token',
          'the access token is unknown or expired',
          'EXPIRED_OR_UNKNOWN',
        );
      return { status: 200, body: introspection(info) };
    },

    /** GET /oauth/v1/refresh-tokens/{token}. */
    refreshTokenInfo(token: string): Reply {
      const r = refresh.get(token);
      if (!r) return oauthError(404, 'invalid_token', 'the refresh token is unknown', 'BAD_REFRESH_TOKEN');
      return {
        status: 200,
        body: {
          token: r.token,
          user: deps.installer.email,
          hub_domain: deps.hubDomain,
          scopes: [...new Set(['oauth', ...r.scopes])],
          hub_id: deps.portalId,
          client_id: r.app.clientId,
          user_id: deps.installer.userId,
          token_type: 'refresh',
        },
      };
    },

    /** POST /oauth/v3/token/introspect (form): `active` false for an unknown, expired or revoked token. */
    introspect(form: URLSearchParams): Reply {
      const a = app(form.get('client_id'), form.get('client_secret'));
      if (!a)
        return oauthError(400, 'invalid_client', 'client_id or client_secret is not valid', 'BAD_CLIENT_ID');
      const token = form.get('token') ?? form.get('access_token') ?? form.get('refresh_token') ?? '';
      const hint =
        form.get('token_type_hint') ?? (form.get('refresh_token') ? 'refresh_token' : 'access_token');
      if (hint === 'refresh_token') {
        const r = refresh.get(token);
        if (!r || r.app !== a) return { status: 200, body: { active: false } };
        return {
          status: 200,
          body: {
            active: true,
            token_use: 'refresh_token',
            client_id: a.clientId,
            hub_id: deps.portalId,
            user_id: deps.installer.userId,
            user: deps.installer.email,
            hub_domain: deps.hubDomain,
            scopes: r.scopes,
            app_id: a.appId,
          },
        };
      }
      const info = access.get(token);
      if (!info || info.appId !== a.appId || (info.expiresAt ?? 0) <= deps.now())
        return { status: 200, body: { active: false } };
      return {
        status: 200,
        body: { ...introspection(info), active: true, client_id: a.clientId, token_use: 'access_token' },
      };
    },

    /** POST /oauth/v3/token/revoke (form): the token stops working; revoking a refresh token ends the grant. */
    revoke(form: URLSearchParams): Reply {
      const a = app(form.get('client_id'), form.get('client_secret'));
      if (!a)
        return oauthError(400, 'invalid_client', 'client_id or client_secret is not valid', 'BAD_CLIENT_ID');
      const token = form.get('token') ?? '';
      const r = refresh.get(token);
      if (r && r.app === a) refresh.delete(token);
      const info = access.get(token);
      if (info && info.appId === a.appId) access.delete(token);
      return { status: 200, body: {} };
    },

    /** DELETE /oauth/v1/refresh-tokens/{token}: the refresh token only; issued access tokens keep working. */
    deleteRefresh(token: string): Reply {
      if (!refresh.delete(token))
        return oauthError(404, 'invalid_token', 'the refresh token is unknown', 'BAD_REFRESH_TOKEN');
      return { status: 204 };
    },

    /** POST /oauth/v2/private-apps/get/access-token-info `{tokenKey}`. */
    privateTokenInfo(body: unknown): Reply {
      const key =
        typeof body === 'object' && body !== null ? (body as Record<string, unknown>).tokenKey : undefined;
      const info = typeof key === 'string' ? access.get(key) : undefined;
      if (!info || info.kind !== 'private')
        return oauthError(404, 'invalid_token', 'the private app token is unknown', 'NOT_FOUND');
      return {
        status: 200,
        body: { userId: info.userId, hubId: deps.portalId, appId: info.appId, scopes: info.scopes },
      };
    },

    /** Whether a refresh token is still valid (tests: disconnect revoked it). */
    refreshTokenActive: (token: string) => refresh.has(token),
    accessTokenActive: (token: string) => {
      const c = access.get(token);
      return c !== undefined && (c.expiresAt === undefined || c.expiresAt > deps.now());
    },
  };
}
export type Auth = ReturnType<typeof createAuth>;
