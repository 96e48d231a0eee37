import { z } from 'zod';
import { bytesToBase64Url, base64ToBytes, fromBase64Url } from './base64';
import { MailError } from './provider';

// Authorization-code flow with PKCE (RFC 7636) over identity.launchWebAuthFlow, for Google and Microsoft.
// Tokens stay on the device: they live in the injected TokenStore only, and no error we throw carries one.

export const GOOGLE_SCOPES = [
  'https://www.googleapis.com/auth/gmail.send',
  'https://www.googleapis.com/auth/gmail.readonly',
  'openid',
  'email',
];
export const MICROSOFT_SCOPES = ['Mail.Send', 'Mail.ReadWrite', 'offline_access', 'openid', 'email'];

export interface StoredTokens {
  accessToken: string;
  refreshToken?: string;
  /** Epoch ms. */
  expiresAt: number;
  /** The signed-in address, from the ID token's `email` claim. */
  account?: string;
}

/** Where tokens live (the extension's credential database, lib/background/credential-store.ts; never synced). */
export interface TokenStore {
  get(key: string): Promise<StoredTokens | undefined>;
  set(key: string, tokens: StoredTokens): Promise<void>;
  delete(key: string): Promise<void>;
}

/** identity.launchWebAuthFlow({ url, interactive }): resolves with the redirect URL, rejects when it fails. */
export type LaunchWebAuthFlow = (url: string, interactive: boolean) => Promise<string | undefined>;

export const OAuthConfig = z.object({
  provider: z.enum(['google', 'microsoft']),
  clientId: z.string().min(1, 'is required: the OAuth client id of the app registration'),
  /** Google's web-application clients require one even with PKCE; in an extension it is not a secret. */
  clientSecret: z.string().min(1).optional(),
  /** identity.getRedirectURL(): https://<extension-id>.chromiumapp.org/ */
  redirectUri: z.url(),
  /** Microsoft only: "common", "organizations", "consumers" or a tenant id. */
  tenant: z.string().min(1).default('common'),
  scopes: z.array(z.string()).optional(),
  /** A hint for the account picker: the mailbox being connected. */
  loginHint: z.string().optional(),
  /** Other authorization and token endpoints than Google's or Microsoft's: the mail sandbox's in the demo. */
  endpoints: z.object({ authorize: z.url(), token: z.url() }).strict().optional(),
});
export type OAuthConfig = z.input<typeof OAuthConfig>;

export interface OAuthClientOptions {
  config: OAuthConfig;
  fetch: typeof fetch;
  launchWebAuthFlow: LaunchWebAuthFlow;
  store: TokenStore;
  /** The key the tokens are stored under, e.g. "google:rep@acme.com". */
  storeKey: string;
  clock: () => number;
  /** Default globalThis.crypto (WebCrypto, in browsers and Node 20). */
  crypto?: Crypto;
  /** Refresh this long before expiry. Default 5 minutes. */
  refreshSkewMs?: number;
  /** Fall back to an interactive sign-in when the silent one fails. Default true. */
  interactiveFallback?: boolean;
}

export interface OAuthClient {
  /** Interactive sign-in (the "Connect" button); stores the tokens and returns the account's address. */
  signIn(): Promise<string | undefined>;
  /** A valid access token: cached, refreshed, or re-authorised silently (interactively only if that fails). */
  getAccessToken(): Promise<string>;
  /** Forgets the tokens. */
  signOut(): Promise<void>;
  /**
   * An OpenID Connect ID token carrying `nonce`, for signing in to the Threadline backend (which verifies it
   * against the issuer's keys). Asks only for `openid email profile`, stores nothing, and never returns the
   * access token.
   */
  openIdToken(nonce: string): Promise<string>;
}

const ENDPOINTS = {
  google: () => ({
    authorize: 'https://accounts.google.com/o/oauth2/v2/auth',
    token: 'https://oauth2.googleapis.com/token',
  }),
  microsoft: (tenant: string) => ({
    authorize: `https://login.microsoftonline.com/${encodeURIComponent(tenant)}/oauth2/v2.0/authorize`,
    token: `https://login.microsoftonline.com/${encodeURIComponent(tenant)}/oauth2/v2.0/token`,
  }),
};

const TokenResponse = z.object({
  access_token: z.string().min(1),
  expires_in: z.coerce.number().positive(),
  refresh_token: z.string().optional(),
  id_token: z.string().optional(),
  token_type: z.string().optional(),
});

/** Errors from the token endpoint that mean "this grant is dead": sign in again. */
const REJECTED_GRANT = new Set([
  'invalid_grant',
  'invalid_client',
  'unauthorized_client',
  'interaction_required',
]);

const MISSING_SECRET =
  ': Google asks this client for its secret, which a production build never carries; use a client that needs none (see the README, "Connecting Gmail and Outlook")';

export function createOAuthClient(options: OAuthClientOptions): OAuthClient {
  const config = OAuthConfig.parse(options.config);
  const crypto = options.crypto ?? globalThis.crypto;
  const endpoints =
    config.endpoints ??
    (config.provider === 'google' ? ENDPOINTS.google() : ENDPOINTS.microsoft(config.tenant));
  const scopes = config.scopes ?? (config.provider === 'google' ? GOOGLE_SCOPES : MICROSOFT_SCOPES);
  const skew = options.refreshSkewMs ?? 5 * 60_000;
  const name = config.provider === 'google' ? 'Google' : 'Microsoft';
  const fetchFn = options.fetch;
  let pending: Promise<string> | undefined;

  const randomToken = (bytes: number) => bytesToBase64Url(crypto.getRandomValues(new Uint8Array(bytes)));

  async function authorize(
    interactive: boolean,
    openId?: { nonce: string; receive: (idToken: string) => void },
  ): Promise<StoredTokens> {
    const verifier = randomToken(32);
    const state = randomToken(16);
    const challenge = bytesToBase64Url(
      new Uint8Array(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(verifier))),
    );
    const params: Record<string, string> = {
      client_id: config.clientId,
      redirect_uri: config.redirectUri,
      response_type: 'code',
      scope: openId ? 'openid email profile' : scopes.join(' '),
      state,
      code_challenge: challenge,
      code_challenge_method: 'S256',
    };
    if (config.provider === 'google') {
      params.access_type = 'offline';
      params.include_granted_scopes = 'true';
      // Google returns a refresh token only on a consent screen.
      params.prompt = interactive ? 'consent' : 'none';
    } else {
      params.response_mode = 'query';
      if (!interactive) params.prompt = 'none';
    }
    if (config.loginHint) params.login_hint = config.loginHint;
    if (openId) {
      params.nonce = openId.nonce;
      params.prompt = 'select_account';
      delete params.access_type;
      delete params.include_granted_scopes;
    }

    let redirect: string | undefined;
    try {
      redirect = await options.launchWebAuthFlow(
        `${endpoints.authorize}?${new URLSearchParams(params)}`,
        interactive,
      );
    } catch (error) {
      throw new MailError(`${name} sign-in did not complete: ${safeMessage(error)}`, 'auth');
    }
    if (!redirect) throw new MailError(`${name} sign-in did not complete`, 'auth');
    const answer = readRedirect(redirect);
    if (answer.get('state') !== state)
      throw new MailError(`${name} sign-in answered with a wrong state`, 'auth');
    const error = answer.get('error');
    if (error) throw new MailError(`${name} sign-in refused: ${error}`, 'auth');
    const code = answer.get('code');
    if (!code) throw new MailError(`${name} sign-in answered without a code`, 'auth');

    return tokenRequest(
      { grant_type: 'authorization_code', code, redirect_uri: config.redirectUri, code_verifier: verifier },
      undefined,
      openId?.receive,
    );
  }

  /**
   * Google's token endpoint asks a "Web application" (and "Desktop") client for its secret even with PKCE, and a
   * production build never carries one (README, "Connecting Gmail and Outlook"): say so rather than a bare 400.
   */
  const missingSecret = (json: unknown) =>
    config.provider === 'google' &&
    !config.clientSecret &&
    /client_secret/.test(String((json as { error_description?: unknown })?.error_description ?? ''));

  async function tokenRequest(
    grant: Record<string, string>,
    previous?: StoredTokens,
    receiveIdToken?: (idToken: string) => void,
  ): Promise<StoredTokens> {
    const body = new URLSearchParams({ ...grant, client_id: config.clientId });
    if (config.clientSecret) body.set('client_secret', config.clientSecret);
    if (config.provider === 'microsoft')
      body.set('scope', receiveIdToken ? 'openid email profile' : scopes.join(' '));
    const requestedAt = options.clock();
    let response: Response;
    try {
      response = await fetchFn(endpoints.token, {
        method: 'POST',
        headers: { 'Content-Type': 'application/x-www-form-urlencoded', Accept: 'application/json' },
        body: body.toString(),
      });
    } catch (error) {
      // Whatever the error says is scrubbed of every secret the request carried.
      const secrets = [...Object.values(grant), config.clientSecret ?? ''];
      throw new MailError(`${name} token endpoint unreachable: ${safeMessage(error, secrets)}`, 'transient');
    }
    let json: unknown;
    try {
      json = await response.json();
    } catch {
      json = undefined;
    }
    if (!response.ok) {
      const code =
        typeof (json as { error?: unknown })?.error === 'string' ? (json as { error: string }).error : '';
      const kind = response.status >= 500 || response.status === 429 ? 'transient' : 'auth';
      throw new OAuthGrantError(
        `${name} token endpoint answered ${response.status}${code ? ` ${code}` : ''}${missingSecret(json) ? MISSING_SECRET : ''}`,
        kind,
        response.status,
        code,
      );
    }
    const parsed = TokenResponse.safeParse(json);
    if (!parsed.success) {
      // Paths only: the values would be tokens.
      const fields = [...new Set(parsed.error.issues.map((i) => i.path.join('.') || '(root)'))].join(', ');
      throw new MailError(`${name} token endpoint answered an unexpected shape (${fields})`, 'auth');
    }
    const tokens = parsed.data;
    if (receiveIdToken) {
      if (!tokens.id_token) throw new MailError(`${name} sign-in answered without an ID token`, 'auth');
      receiveIdToken(tokens.id_token);
    }
    const account = (tokens.id_token && emailOfIdToken(tokens.id_token)) || previous?.account;
    const refreshToken = tokens.refresh_token ?? previous?.refreshToken;
    return {
      accessToken: tokens.access_token,
      expiresAt: requestedAt + tokens.expires_in * 1000,
      ...(refreshToken ? { refreshToken } : {}),
      ...(account ? { account } : {}),
    };
  }

  async function reauthorize(): Promise<StoredTokens> {
    try {
      return await authorize(false);
    } catch (error) {
      if (options.interactiveFallback === false) throw error;
      return authorize(true);
    }
  }

  async function fresh(): Promise<string> {
    const stored = await options.store.get(options.storeKey);
    if (!stored) throw new MailError(`${name}: no account connected`, 'not_connected');
    if (stored.expiresAt - skew > options.clock()) return stored.accessToken;

    let tokens: StoredTokens;
    if (stored.refreshToken) {
      try {
        tokens = await tokenRequest(
          { grant_type: 'refresh_token', refresh_token: stored.refreshToken },
          stored,
        );
      } catch (error) {
        // A network error or a 5xx says nothing about the grant: keep it and try later.
        if (
          !(error instanceof OAuthGrantError) ||
          error.kind === 'transient' ||
          !REJECTED_GRANT.has(error.code)
        ) {
          throw error;
        }
        tokens = await reauthorize();
      }
    } else {
      tokens = await reauthorize();
    }
    await options.store.set(options.storeKey, tokens);
    return tokens.accessToken;
  }

  return {
    async signIn() {
      const tokens = await authorize(true);
      await options.store.set(options.storeKey, tokens);
      return tokens.account;
    },
    getAccessToken() {
      // One refresh at a time: concurrent callers share it.
      pending ??= fresh().finally(() => {
        pending = undefined;
      });
      return pending;
    },
    async signOut() {
      await options.store.delete(options.storeKey);
    },
    async openIdToken(nonce) {
      let idToken = '';
      await authorize(true, { nonce, receive: (t) => (idToken = t) });
      return idToken;
    },
  };
}

/** A token endpoint refusal, with the OAuth error code (RFC 6749 §5.2). */
export class OAuthGrantError extends MailError {
  override name = 'OAuthGrantError';
  constructor(
    message: string,
    kind: MailError['kind'],
    status: number,
    readonly code: string,
  ) {
    super(message, kind, status);
  }
}

/** The redirect's query (response_mode=query), or its fragment when a provider answers there. */
function readRedirect(redirect: string): URLSearchParams {
  try {
    const url = new URL(redirect);
    const query = url.searchParams;
    if (query.has('code') || query.has('error')) return query;
    return new URLSearchParams(url.hash.replace(/^#/, ''));
  } catch {
    return new URLSearchParams();
  }
}

/** The email claim of an ID token fresh from the token endpoint (over TLS, so not re-verified here). */
function emailOfIdToken(idToken: string): string | undefined {
  const payload = idToken.split('.')[1];
  if (!payload) return undefined;
  try {
    const claims = JSON.parse(new TextDecoder().decode(base64ToBytes(fromBase64Url(payload)))) as Record<
      string,
      unknown
    >;
    const email = claims.email ?? claims.preferred_username;
    return typeof email === 'string' ? email : undefined;
  } catch {
    return undefined;
  }
}

/** An error's message without the given secrets or anything like a URL query (redirect URLs carry codes). */
function safeMessage(error: unknown, secrets: string[] = []): string {
  let text = error instanceof Error ? error.message : String(error);
  for (const secret of secrets) if (secret.length >= 4) text = text.split(secret).join('…');
  return text.replace(/\?[^\s]*/g, '?…').slice(0, 200);
}
