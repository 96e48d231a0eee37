import { createHash, randomBytes } from 'node:crypto';

/**
 * A stand-in for Google's and Microsoft's OAuth endpoints, so the extension's real PKCE sign-in
 * (lib/mail/oauth.ts over identity.launchWebAuthFlow) can connect a sandbox mailbox in the demo and in
 * end-to-end tests. GET /oauth/authorize consents at once for the mailbox named by `login_hint` and redirects
 * with a code; POST /oauth/token checks the PKCE verifier (S256) and answers the mailbox's bearer token, a
 * refresh token and an (unsigned, sandbox-only) ID token carrying the `email` claim.
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
}

const b64url = (b: Buffer) => b.toString('base64url');

export function createSandboxOAuth(deps: {
  hasMailbox(address: string): boolean;
  tokenFor(address: string): string;
}) {
  const codes = new Map<string, Grant>();
  const refresh = new Map<string, string>();
  const idToken = (mailbox: string) =>
    [
      b64url(Buffer.from(JSON.stringify({ alg: 'none', typ: 'JWT' }))),
      b64url(Buffer.from(JSON.stringify({ iss: 'threadline-sandbox', email: mailbox, sub: mailbox }))),
      '',
    ].join('.');
  const tokens = (mailbox: string) => {
    const refreshToken = b64url(randomBytes(24));
    refresh.set(refreshToken, mailbox);
    return {
      access_token: deps.tokenFor(mailbox),
      token_type: 'Bearer',
      expires_in: 3600,
      refresh_token: refreshToken,
      id_token: idToken(mailbox),
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
      });
      back.searchParams.set('code', code);
      if (q.get('state')) back.searchParams.set('state', q.get('state')!);
      return { status: 302, headers: { location: back.toString() } };
    },

    token(form: URLSearchParams): OAuthReply {
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
        return { status: 200, body: tokens(grant.mailbox) };
      }
      if (grantType === 'refresh_token') {
        const mailbox = refresh.get(form.get('refresh_token') ?? '');
        if (!mailbox) return error(400, 'invalid_grant', 'unknown refresh token');
        return { status: 200, body: { ...tokens(mailbox), refresh_token: form.get('refresh_token') } };
      }
      return error(400, 'unsupported_grant_type', `grant_type ${grantType ?? '(none)'} is not supported`);
    },
  };
}
