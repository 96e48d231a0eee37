import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, generateKeyPair, SignJWT, type JWTPayload, type CryptoKey } from 'jose';

/**
 * A real OpenID Connect issuer over HTTP for tests: a discovery document and a JWKS endpoint, and ID tokens
 * signed with its RSA key. The server under test verifies them exactly as it verifies Google's or Microsoft's.
 */
export interface TestIssuer {
  issuer: string;
  audience: string;
  /** An ID token; `key` signs with another key (a forgery), `header`/`claims` override anything. */
  idToken(
    claims: JWTPayload & { sub: string; nonce: string },
    options?: { key?: CryptoKey; expiresIn?: string; kid?: string },
  ): Promise<string>;
  close(): Promise<void>;
}

export async function startTestIssuer(audience = 'threadline-extension'): Promise<TestIssuer> {
  const { privateKey, publicKey } = await generateKeyPair('RS256');
  const jwk = { ...(await exportJWK(publicKey)), kid: 'test-key-1', alg: 'RS256', use: 'sig' };
  let issuer = '';
  const server = createServer((req, res) => {
    const body =
      req.url === '/.well-known/openid-configuration'
        ? { issuer, jwks_uri: `${issuer}/jwks`, id_token_signing_alg_values_supported: ['RS256'] }
        : req.url === '/jwks'
          ? { keys: [jwk] }
          : undefined;
    res.writeHead(body ? 200 : 404, { 'content-type': 'application/json' });
    res.end(JSON.stringify(body ?? {}));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    issuer,
    audience,
    idToken: (claims, options = {}) =>
      new SignJWT({ email_verified: true, ...claims })
        .setProtectedHeader({ alg: 'RS256', kid: options.kid ?? 'test-key-1' })
        .setIssuer(issuer)
        .setAudience(audience)
        .setIssuedAt()
        .setExpirationTime(options.expiresIn ?? '5m')
        .sign(options.key ?? privateKey),
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
