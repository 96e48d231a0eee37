import { createHash, randomBytes } from 'node:crypto';
import { exportJWK, generateKeyPair, SignJWT } from 'jose';

/**
 * A stand-in for Google's and Microsoft's OAuth endpoints, so the extension's real PKCE sign-in
 * (lib/mail/oauth.ts over identity.launchWebAuthFlow) can connect a sandbox mailbox in the demo and in
 * end-to-end tests. GET /oauth/authorize consents at once for the mailbox named by `login_hint` and redirects
 * with a code; POST /oauth/token checks the PKCE verifier (S256) and answers the mailbox's bearer token, a
 * refresh token and an ID token. The sandbox is also an OpenID Connect issuer: its discovery document
 * (/.well-known/openid-configuration) and keys (/oauth/jwks) let the Threadline backend verify those ID
 * tokens (RS256, `iss` the sandbox's address, `aud` the client id, the authorize request's `nonce`) exactly
 * as it verifies Google's, so the demo can sign in to the backend.
 */
export interface OAuthReply {
  status: number;
  headers?: Record<string, string>;
  body?: unknown;
}

interface Grant {
  mailbox: string;
  challenge: string;
  redirectUri: string;
  clientId: string;
  nonce?: string;
}

const b64url = (b: Buffer) => b.toString('base64url');

const KEY_ID = 'sandbox-key-1';

export function createSandboxOAuth(deps: {
  hasMailbox(address: string): boolean;
  tokenFor(address: string): string;
  /** The sandbox's own address, the `iss` of its ID tokens. */
  issuer(): string;
}) {
  const codes = new Map<string, Grant>();
  const refresh = new Map<string, { mailbox: string; clientId: string }>();
  const keys = generateKeyPair('RS256', { extractable: true });
  const idToken = async (mailbox: string, clientId: string, nonce?: string) =>
    new SignJWT({
      email: mailbox,
      email_verified: true,
      name: mailbox.split('@')[0],
      ...(nonce ? { nonce } : {}),
    })
      .setProtectedHeader({ alg: 'RS256', kid: KEY_ID, typ: 'JWT' })
      .setIssuer(deps.issuer())
      .setSubject(mailbox)
      .setAudience(clientId)
      .setIssuedAt()
      .setExpirationTime('1h')
      .sign((await keys).privateKey);
  const tokens = async (mailbox: string, clientId: string, nonce?: string) => {
    const refreshToken = b64url(randomBytes(24));
    refresh.set(refreshToken, { mailbox, clientId });
    return {
      access_token: deps.tokenFor(mailbox),
      token_type: 'Bearer',
      expires_in: 3600,
      refresh_token: refreshToken,
      id_token: await idToken(mailbox, clientId, nonce),
    };
  };
  const error = (status: number, code: string, description: string): OAuthReply => ({
    status,
    body: { error: code, error_description: description },
  });

  return {
    authorize(url: URL): OAuthReply {
      const q = url.searchParams;
      const redirectUri = q.get('redirect_uri');
      if (!redirectUri) return error(400, 'invalid_request', 'redirect_uri is required');
      const back = new URL(redirectUri);
      const mailbox = (q.get('login_hint') ?? '').toLowerCase();
      const fail = (code: string) => {
        back.searchParams.set('error', code);
        if (q.get('state')) back.searchParams.set('state', q.get('state')!);
        return { status: 302, headers: { location: back.toString() } };
      };
      if (q.get('response_type') !== 'code' || !q.get('client_id')) return fail('invalid_request');
      if (q.get('code_challenge_method') !== 'S256' || !q.get('code_challenge'))
        return fail('invalid_request');
      if (!deps.hasMailbox(mailbox)) return fail('access_denied');
      const code = b64url(randomBytes(18));
      codes.set(code, {
        mailbox,
        challenge: q.get('code_challenge')!,
        redirectUri,
        clientId: q.get('client_id')!,
        ...(q.get('nonce') ? { nonce: q.get('nonce')! } : {}),
      });
      back.searchParams.set('code', code);
      if (q.get('state')) back.searchParams.set('state', q.get('state')!);
      return { status: 302, headers: { location: back.toString() } };
    },

    discovery(): OAuthReply {
      const issuer = deps.issuer();
      return {
        status: 200,
        body: {
          issuer,
          authorization_endpoint: `${issuer}/oauth/authorize`,
          token_endpoint: `${issuer}/oauth/token`,
          jwks_uri: `${issuer}/oauth/jwks`,
          response_types_supported: ['code'],
          subject_types_supported: ['public'],
          id_token_signing_alg_values_supported: ['RS256'],
          code_challenge_methods_supported: ['S256'],
        },
      };
    },

    async jwks(): Promise<OAuthReply> {
      const jwk = await exportJWK((await keys).publicKey);
      return { status: 200, body: { keys: [{ ...jwk, kid: KEY_ID, alg: 'RS256', use: 'sig' }] } };
    },

    async token(form: URLSearchParams): Promise<OAuthReply> {
      const grantType = form.get('grant_type');
      if (grantType === 'authorization_code') {
        const grant = codes.get(form.get('code') ?? '');
        codes.delete(form.get('code') ?? '');
        if (!grant) return error(400, 'invalid_grant', 'unknown or used code');
        const verifier = form.get('code_verifier') ?? '';
        if (b64url(createHash('sha256').update(verifier).digest()) !== grant.challenge)
          return error(400, 'invalid_grant', 'PKCE verifier does not match');
        if (form.get('redirect_uri') !== grant.redirectUri || form.get('client_id') !== grant.clientId)
          return error(400, 'invalid_grant', 'redirect_uri or client_id differs');
        return { status: 200, body: await tokens(grant.mailbox, grant.clientId, grant.nonce) };
      }
      if (grantType === 'refresh_token') {
        const known = refresh.get(form.get('refresh_token') ?? '');
        if (!known) return error(400, 'invalid_grant', 'unknown refresh token');
        const body = await tokens(known.mailbox, known.clientId);
        return { status: 200, body: { ...body, refresh_token: form.get('refresh_token') } };
      }
      return error(400, 'unsupported_grant_type', `grant_type ${grantType ?? '(none)'} is not supported`);
    },
  };
}
