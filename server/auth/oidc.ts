import { createRemoteJWKSet, decodeJwt, jwtVerify, type JWTVerifyGetKey } from 'jose';
import { z } from 'zod';
import type { IssuerConfig } from '../env';

/** Who the provider says signed in. */
export interface VerifiedIdentity {
  issuer: string;
  subject: string;
  email: string;
  /**
   * The provider vouches for `email`: Google's `email_verified`, Microsoft's `xms_edov` (the email's domain is
   * verified by the tenant) or, with no such claim, the UPN (`preferred_username`) of a work tenant, whose
   * domain the tenant must have verified. An unverified address is kept for display only.
   */
  emailVerified: boolean;
  /** Google Workspace domain (`hd`). */
  hd?: string;
  /** Microsoft tenant (`tid`). */
  tenant?: string;
  name?: string;
  nonce: string;
}

/** Microsoft's tenant of personal accounts: its UPNs are any address a person typed, not a tenant's domain. */
export const MICROSOFT_CONSUMER_TENANT = '9188040d-6c67-4c5b-b112-36a304b66dad';

export class IdTokenError extends Error {
  override name = 'IdTokenError';
}

const Discovery = z.object({ issuer: z.string(), jwks_uri: z.url() });

/** Some issuers send `email_verified` as the string "true" or "false". */
const Flag = z.union([z.boolean(), z.enum(['true', 'false']).transform((s) => s === 'true')]);

const Claims = z.object({
  sub: z.string().min(1),
  // Checked below, with preferred_username (Microsoft's), so the message can say which claim was wrong.
  email: z.string().optional(),
  preferred_username: z.string().optional(),
  email_verified: Flag.optional(),
  name: z.string().optional(),
  nonce: z.string().optional(),
  tid: z.string().optional(),
  hd: z.string().optional(),
  /** Microsoft's optional claim: the email's domain is verified by the tenant ("email domain owner verified"). */
  xms_edov: Flag.optional(),
});

const TENANT = '{tenantid}';

/**
 * Verifies OpenID Connect ID tokens from the configured issuers: signature against the keys the issuer's
 * discovery document publishes, then issuer, audience, expiry and nonce. Keys are cached per issuer
 * (jose refetches on an unknown key id, so provider key rotation just works).
 */
export function createIdTokenVerifier(issuers: IssuerConfig[]) {
  const keySets = new Map<string, Promise<JWTVerifyGetKey>>();

  function configFor(iss: string): { config: IssuerConfig; tenant?: string } | undefined {
    for (const config of issuers) {
      if (config.issuer === iss) return { config };
      if (config.issuer.includes(TENANT)) {
        const [before, after] = config.issuer.split(TENANT) as [string, string];
        if (iss.startsWith(before) && iss.endsWith(after)) {
          const tenant = iss.slice(before.length, iss.length - after.length);
          if (/^[\w-]+$/.test(tenant)) return { config, tenant };
        }
      }
    }
    return undefined;
  }

  function keysOf(config: IssuerConfig): Promise<JWTVerifyGetKey> {
    let keys = keySets.get(config.issuer);
    if (!keys) {
      keys = (async () => {
        const url =
          config.discoveryUrl ?? `${config.issuer.replace(/\/$/, '')}/.well-known/openid-configuration`;
        const res = await fetch(url, { signal: AbortSignal.timeout(5000) });
        if (!res.ok) throw new IdTokenError(`discovery document of ${config.issuer} answered ${res.status}`);
        const doc = Discovery.parse(await res.json());
        if (doc.issuer !== config.issuer)
          throw new IdTokenError(`discovery document names issuer ${doc.issuer}`);
        return createRemoteJWKSet(new URL(doc.jwks_uri));
      })();
      keySets.set(config.issuer, keys);
      // A failed discovery is retried on the next sign-in rather than cached.
      keys.catch(() => keySets.delete(config.issuer));
    }
    return keys;
  }

  return async function verifyIdToken(idToken: string, expectedNonce: string): Promise<VerifiedIdentity> {
    let iss: string | undefined;
    try {
      iss = decodeJwt(idToken).iss;
    } catch {
      throw new IdTokenError('the ID token is not a JWT');
    }
    const match = iss ? configFor(iss) : undefined;
    if (!iss || !match)
      throw new IdTokenError('the ID token comes from an issuer this server does not accept');
    const keys = await keysOf(match.config);
    let payload: unknown;
    try {
      ({ payload } = await jwtVerify(idToken, keys, {
        issuer: iss,
        audience: match.config.audiences,
        algorithms: ['RS256', 'RS384', 'RS512', 'PS256', 'ES256', 'ES384', 'EdDSA'],
        requiredClaims: ['exp', 'iat', 'sub'],
        clockTolerance: 30,
      }));
    } catch (error) {
      throw new IdTokenError(`the ID token failed verification: ${(error as Error).message}`);
    }
    const parsed = Claims.safeParse(payload);
    if (!parsed.success)
      throw new IdTokenError(
        parsed.error.issues.map((i) => `the ID token’s claim ${i.path.join('.')}: ${i.message}`).join('; '),
      );
    const claims = parsed.data;
    if (match.tenant && claims.tid !== match.tenant)
      throw new IdTokenError('the ID token’s tenant does not match its issuer');
    if (claims.nonce !== expectedNonce)
      throw new IdTokenError('the ID token’s nonce is not the one this sign-in asked for');
    const isEmail = (value: string | undefined): value is string => z.email().safeParse(value).success;
    if (claims.email !== undefined && !isEmail(claims.email))
      throw new IdTokenError('the ID token’s claim email: is not an email address');
    if (claims.email_verified === false)
      throw new IdTokenError('the provider has not verified this email address');
    let email: string | undefined;
    let emailVerified: boolean;
    if (match.tenant) {
      // Microsoft: `email` is whatever the tenant's admin typed, unless xms_edov says its domain is the
      // tenant's own. Without it, a work tenant's UPN is on a domain the tenant verified (Entra requires it).
      const upn = isEmail(claims.preferred_username) ? claims.preferred_username : undefined;
      if (claims.email && (claims.xms_edov === true || claims.email_verified === true)) {
        email = claims.email;
        emailVerified = true;
      } else if (upn && match.tenant !== MICROSOFT_CONSUMER_TENANT) {
        email = upn;
        emailVerified = true;
      } else {
        email = claims.email ?? upn;
        emailVerified = false;
      }
    } else {
      email = claims.email ?? claims.preferred_username;
      emailVerified = claims.email !== undefined && claims.email_verified === true;
    }
    if (!isEmail(email)) throw new IdTokenError('the ID token carries no email address');
    return {
      issuer: match.tenant ? match.config.issuer : iss,
      subject: match.tenant ? `${match.tenant}:${claims.sub}` : claims.sub,
      email: email.toLowerCase(),
      emailVerified,
      ...(match.tenant ? { tenant: match.tenant } : {}),
      ...(claims.hd && emailVerified ? { hd: claims.hd.toLowerCase() } : {}),
      ...(claims.name ? { name: claims.name } : {}),
      nonce: claims.nonce,
    };
  };
}
export type IdTokenVerifier = ReturnType<typeof createIdTokenVerifier>;
