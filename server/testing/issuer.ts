import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, generateKeyPair, SignJWT, type JWTPayload, type CryptoKey } from 'jose';

/**
 * A real OpenID Connect issuer over HTTP for tests: a discovery document and a JWKS endpoint, and ID tokens
 * signed with its RSA key. The server under test verifies them exactly as it verifies Google's or Microsoft's.
 */
export interface TestIssuer {
  /** With `multiTenant`, Microsoft's form: `http://…/{tenantid}/v2.0`. */
  issuer: string;
  /** Where the discovery document is (Microsoft: the "common" tenant's). */
  discoveryUrl: string;
  audience: string;
  /** An ID token; `key` signs with another key (a forgery), `header`/`claims` override anything. */
  idToken(
    claims: JWTPayload & { sub: string; nonce: string },
    options?: { key?: CryptoKey; expiresIn?: string; kid?: string; tenant?: string },
  ): Promise<string>;
  close(): Promise<void>;
}

/**
 * `multiTenant` mimics Microsoft's common endpoint: the discovery document names the issuer
 * `…/{tenantid}/v2.0`, and each token's `iss` carries its tenant, also given as the `tid` claim.
 */
export async function startTestIssuer(
  audience = 'threadline-extension',
  { multiTenant = false, announcedIssuer }: { multiTenant?: boolean; announcedIssuer?: string } = {},
): Promise<TestIssuer> {
  const { privateKey, publicKey } = await generateKeyPair('RS256');
  const jwk = { ...(await exportJWK(publicKey)), kid: 'test-key-1', alg: 'RS256', use: 'sig' };
  let base = '';
  let issuer = '';
  const discoveryPath = multiTenant
    ? '/common/v2.0/.well-known/openid-configuration'
    : '/.well-known/openid-configuration';
  const server = createServer((req, res) => {
    const body =
      req.url === discoveryPath
        ? {
            issuer: announcedIssuer ?? issuer,
            jwks_uri: `${base}/jwks`,
            id_token_signing_alg_values_supported: ['RS256'],
          }
        : req.url === '/jwks'
          ? { keys: [jwk] }
          : undefined;
    res.writeHead(body ? 200 : 404, { 'content-type': 'application/json' });
    res.end(JSON.stringify(body ?? {}));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  issuer = multiTenant ? `${base}/{tenantid}/v2.0` : base;
  return {
    issuer,
    discoveryUrl: `${base}${discoveryPath}`,
    audience,
    idToken: (claims, options = {}) =>
      new SignJWT({ email_verified: true, ...(options.tenant ? { tid: options.tenant } : {}), ...claims })
        .setProtectedHeader({ alg: 'RS256', kid: options.kid ?? 'test-key-1' })
        .setIssuer(options.tenant ? issuer.replace('{tenantid}', options.tenant) : issuer)
        .setAudience(audience)
        .setIssuedAt()
        .setExpirationTime(options.expiresIn ?? '5m')
        .sign(options.key ?? privateKey),
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
