import { createRoute } from '@hono/zod-openapi';
import { randomBytes, randomUUID } from 'node:crypto';
import { NonceResponse, RefreshRequest, Session, SignInRequest, type Member } from '../../lib/contract/auth';
import { markBuilt } from '../analytics/facts';
import type { Db } from '../db/database';
import type { AppDeps } from '../deps';
import { ApiError, createRouter, errors, json, jsonBody } from '../http';
import { IdTokenError, type IdTokenVerifier } from './oidc';
import { hashToken, newOpaqueToken, REFRESH_TTL_MS, type Sessions } from './session';

const NONCE_TTL_MS = 10 * 60_000;

const nonceRoute = createRoute({
  method: 'post',
  path: '/auth/nonce',
  summary: 'A single-use nonce to put in the OpenID Connect authorization request',
  responses: { 200: json(NonceResponse, 'The nonce'), ...errors(429) },
});

const signInRoute = createRoute({
  method: 'post',
  path: '/auth/signin',
  summary: 'Trade a Google or Microsoft ID token for a session',
  request: jsonBody(SignInRequest),
  responses: { 200: json(Session, 'Signed in'), ...errors(400, 401, 403, 429) },
});

const refreshRoute = createRoute({
  method: 'post',
  path: '/auth/refresh',
  summary: 'Trade a refresh token for a new session (the old refresh token stops working)',
  request: jsonBody(RefreshRequest),
  responses: { 200: json(Session, 'A new session'), ...errors(400, 401, 429) },
});

export function authRoutes(deps: AppDeps, sessions: Sessions, verifyIdToken: IdTokenVerifier) {
  const { db, now } = deps;
  const router = createRouter();

  router.openapi(nonceRoute, async (c) => {
    const nonce = randomBytes(24).toString('base64url');
    const expiresAt = now() + NONCE_TTL_MS;
    await db.deleteFrom('nonces').where('expires_at', '<', now()).execute();
    await db.insertInto('nonces').values({ value: nonce, expires_at: expiresAt }).execute();
    return c.json({ nonce, expiresAt }, 200);
  });

  router.openapi(signInRoute, async (c) => {
    const { idToken, nonce, invite } = c.req.valid('json');
    const consumed = await db
      .deleteFrom('nonces')
      .where('value', '=', nonce)
      .where('expires_at', '>', now())
      .returning('value')
      .executeTakeFirst();
    if (!consumed)
      throw new ApiError(
        401,
        'invalid_nonce',
        'nonce: unknown, used or expired; ask /auth/nonce for a new one',
      );
    let identity;
    try {
      identity = await verifyIdToken(idToken, nonce);
    } catch (error) {
      if (error instanceof IdTokenError)
        throw new ApiError(401, 'invalid_id_token', `idToken: ${error.message}`);
      throw error;
    }
    const member = await db.transaction().execute(async (trx) => {
      const existing = await trx
        .selectFrom('users')
        .selectAll()
        .where('issuer', '=', identity.issuer)
        .where('subject', '=', identity.subject)
        .forUpdate()
        .executeTakeFirst();
      if (existing && !existing.removed) return existing;
      const invited = invite ? await takeInvite(trx, invite, now()) : undefined;
      if (invite && !invited) throw new ApiError(403, 'invalid_invite', 'invite: unknown, used or expired');
      if (existing) {
        if (!invited)
          throw new ApiError(403, 'removed', 'you were removed from your team; ask an admin for an invite');
        return trx
          .updateTable('users')
          .set({ removed: false, team_id: invited.team_id, role: invited.role, email: identity.email })
          .where('id', '=', existing.id)
          .returningAll()
          .executeTakeFirstOrThrow();
      }
      let teamId = invited?.team_id;
      if (!teamId) {
        teamId = randomUUID();
        await trx
          .insertInto('teams')
          .values({ id: teamId, name: `${identity.email}'s team`, created_at: now() })
          .execute();
        // Nothing to count yet: built from the start, so every write keeps its analytics current.
        await markBuilt(trx, teamId);
      }
      return trx
        .insertInto('users')
        .values({
          id: randomUUID(),
          team_id: teamId,
          email: identity.email,
          name: identity.name ?? null,
          role: invited?.role ?? 'admin',
          issuer: identity.issuer,
          subject: identity.subject,
          created_at: now(),
        })
        .returningAll()
        .executeTakeFirstOrThrow();
    });
    return c.json(await sessionFor(db, sessions, now(), toMember(member)), 200);
  });

  router.openapi(refreshRoute, async (c) => {
    const { refreshToken } = c.req.valid('json');
    // Rotation: the update marks the token used, so of two concurrent refreshes only one succeeds.
    const used = await db
      .updateTable('refresh_tokens')
      .set({ revoked: true })
      .where('token_hash', '=', hashToken(refreshToken))
      .where('revoked', '=', false)
      .where('expires_at', '>', now())
      .returning('user_id')
      .executeTakeFirst();
    const user = used
      ? await db
          .selectFrom('users')
          .selectAll()
          .where('id', '=', used.user_id)
          .where('removed', '=', false)
          .executeTakeFirst()
      : undefined;
    if (!user)
      throw new ApiError(401, 'invalid_refresh_token', 'refreshToken: unknown, used, revoked or expired');
    return c.json(await sessionFor(db, sessions, now(), toMember(user)), 200);
  });

  return router;
}

async function takeInvite(trx: Db, token: string, now: number) {
  return trx
    .deleteFrom('invites')
    .where('token_hash', '=', hashToken(token))
    .where('expires_at', '>', now)
    .returning(['team_id', 'role'])
    .executeTakeFirst();
}

export function toMember(u: {
  id: string;
  team_id: string;
  email: string;
  name: string | null;
  role: Member['role'];
}): Member {
  return { id: u.id, teamId: u.team_id, email: u.email, role: u.role, ...(u.name ? { name: u.name } : {}) };
}

async function sessionFor(db: Db, sessions: Sessions, now: number, user: Member): Promise<Session> {
  const access = await sessions.issueAccess(user.id, user.teamId);
  const refresh = newOpaqueToken();
  const refreshExpiresAt = now + REFRESH_TTL_MS;
  await db
    .insertInto('refresh_tokens')
    .values({ token_hash: refresh.hash, user_id: user.id, expires_at: refreshExpiresAt })
    .execute();
  return {
    accessToken: access.token,
    accessExpiresAt: access.expiresAt,
    refreshToken: refresh.token,
    refreshExpiresAt,
    user,
  };
}
