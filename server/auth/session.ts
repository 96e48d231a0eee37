import { createHash, randomBytes } from 'node:crypto';
import { jwtVerify, SignJWT } from 'jose';

export const ACCESS_TTL_MS = 15 * 60_000;
export const REFRESH_TTL_MS = 30 * 24 * 3_600_000;
const AUDIENCE = 'threadline-api';

/** Our own short-lived session token: HS256 with SESSION_SECRET, so every process behind a balancer accepts it. */
export function createSessions(secret: Uint8Array, issuer: string, now: () => number) {
  return {
    async issueAccess(userId: string, teamId: string): Promise<{ token: string; expiresAt: number }> {
      const iat = Math.floor(now() / 1000);
      const expiresAt = iat * 1000 + ACCESS_TTL_MS;
      const token = await new SignJWT({ team: teamId, typ: 'access' })
        .setProtectedHeader({ alg: 'HS256' })
        .setSubject(userId)
        .setIssuer(issuer)
        .setAudience(AUDIENCE)
        .setIssuedAt(iat)
        .setExpirationTime(Math.floor(expiresAt / 1000))
        .sign(secret);
      return { token, expiresAt };
    },
    /** The user id and team, or undefined for anything not signed by us, expired, or not an access token. */
    async verifyAccess(token: string): Promise<{ userId: string; teamId: string } | undefined> {
      try {
        const { payload } = await jwtVerify(token, secret, {
          issuer,
          audience: AUDIENCE,
          algorithms: ['HS256'],
          currentDate: new Date(now()),
          requiredClaims: ['exp', 'sub'],
        });
        if (payload.typ !== 'access' || typeof payload.team !== 'string' || !payload.sub) return undefined;
        return { userId: payload.sub, teamId: payload.team };
      } catch {
        return undefined;
      }
    },
  };
}
export type Sessions = ReturnType<typeof createSessions>;

/** An opaque random token and the hash we store (a database leak reveals no usable token). */
export function newOpaqueToken(): { token: string; hash: string } {
  const token = randomBytes(32).toString('base64url');
  return { token, hash: hashToken(token) };
}

export function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('base64url');
}
