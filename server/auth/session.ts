import { createHash, randomBytes } from 'node:crypto';
import { jwtVerify, SignJWT } from 'jose';

export const ACCESS_TTL_MS = 15 * 60_000;
export const REFRESH_TTL_MS = 30 * 24 * 3_600_000;
const AUDIENCE = 'threadline-api';

/** Our own short-lived session token: HS256 with SESSION_SECRET, so every process behind a balancer accepts it. */
export function createSessions(secret: Uint8Array, issuer: string, now: () => number) {
  return {
    /** `sessionId` names the session (refresh-token family): revoking it ends this token too. */
    async issueAccess(
      userId: string,
      teamId: string,
      sessionId: string,
    ): Promise<{ token: string; expiresAt: number }> {
      const iat = Math.floor(now() / 1000);
      const expiresAt = iat * 1000 + ACCESS_TTL_MS;
      const token = await new SignJWT({ team: teamId, typ: 'access', sid: sessionId })
        .setProtectedHeader({ alg: 'HS256' })
        .setSubject(userId)
        .setIssuer(issuer)
        .setAudience(AUDIENCE)
        .setIssuedAt(iat)
        .setExpirationTime(Math.floor(expiresAt / 1000))
        .sign(secret);
      return { token, expiresAt };
    },
    /**
     * The user id, team and session, or undefined for anything not signed by us, expired (unless
     * `allowExpired`: signing out), or not an access token. Tokens from before sessions name none.
     */
    async verifyAccess(
      token: string,
      { allowExpired = false } = {},
    ): Promise<{ userId: string; teamId: string; sessionId?: string } | undefined> {
      try {
        const { payload } = await jwtVerify(token, secret, {
          issuer,
          audience: AUDIENCE,
          algorithms: ['HS256'],
          currentDate: new Date(allowExpired ? 0 : now()),
          requiredClaims: ['exp', 'sub'],
        });
        if (payload.typ !== 'access' || typeof payload.team !== 'string' || !payload.sub) return undefined;
        return {
          userId: payload.sub,
          teamId: payload.team,
          ...(typeof payload.sid === 'string' ? { sessionId: payload.sid } : {}),
        };
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
