import { createRoute } from '@hono/zod-openapi';
import { randomBytes, randomUUID } from 'node:crypto';
import {
  NonceResponse,
  RefreshRequest,
  Session,
  SignInRequest,
  SignOutRequest,
  type Member,
} from '../../lib/contract/auth';
import { markBuilt } from '../analytics/facts';
import type { Db } from '../db/database';
import type { AppDeps } from '../deps';
import type { SignupPolicy } from '../env';
import { ApiError, createRouter, errors, json, jsonBody, noBody, noQuery, optionalJsonBody } from '../http';
import { IdTokenError, type IdTokenVerifier, type VerifiedIdentity } from './oidc';
import { hashToken, newOpaqueToken, REFRESH_TTL_MS, type Sessions } from './session';

/** No policy given (tests, benchmarks): anyone may start a team. */
const OPEN: SignupPolicy = {
  mode: 'open',
  adminEmails: [],
  emailDomains: [],
  googleHd: [],
  microsoftTids: [],
};

/** Whether this identity may start a team of its own without an invite (server/README.md, "Sign-up"). */
export function maySignUp(policy: SignupPolicy, identity: VerifiedIdentity): boolean {
  if (policy.mode === 'open') return true;
  // Only an address the provider vouches for counts: anyone can put any address in an unverified claim.
  if (!identity.emailVerified) return false;
  if (policy.adminEmails.includes(identity.email)) return true;
  if (policy.mode !== 'domains') return false;
  const domain = identity.email.slice(identity.email.lastIndexOf('@') + 1);
  return (
    policy.emailDomains.includes(domain) ||
    (identity.hd !== undefined && policy.googleHd.includes(identity.hd)) ||
    (identity.tenant !== undefined && policy.microsoftTids.includes(identity.tenant.toLowerCase()))
  );
}

const NONCE_TTL_MS = 10 * 60_000;

const nonceRoute = createRoute({
  method: 'post',
  path: '/auth/nonce',
  summary: 'A single-use nonce to put in the OpenID Connect authorization request',
  request: { query: noQuery, ...noBody },
  responses: { 200: json(NonceResponse, 'The nonce'), ...errors(400, 429) },
});

const signInRoute = createRoute({
  method: 'post',
  path: '/auth/signin',
  summary: 'Trade a Google or Microsoft ID token for a session',
  request: { query: noQuery, ...jsonBody(SignInRequest) },
  responses: { 200: json(Session, 'Signed in'), ...errors(400, 401, 403, 429) },
});

const refreshRoute = createRoute({
  method: 'post',
  path: '/auth/refresh',
  summary: 'Trade a refresh token for a new session (the old refresh token stops working)',
  request: { query: noQuery, ...jsonBody(RefreshRequest) },
  responses: { 200: json(Session, 'A new session'), ...errors(400, 401, 429) },
});

const signOutRoute = createRoute({
  method: 'post',
  path: '/auth/sign-out',
  summary: 'End the session on the server: every refresh token of its family and its access tokens',
  description:
    'Bearer: the session’s access token (an expired one is accepted: signing out must always work). ' +
    'With `refreshToken`, that token’s session ends too (an extension whose access token was lost).',
  security: [{ session: [] }],
  request: { query: noQuery, ...optionalJsonBody(SignOutRequest) },
  responses: { 204: { description: 'Signed out' }, ...errors(400, 401, 429) },
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
    let identity: VerifiedIdentity;
    try {
      identity = await verifyIdToken(idToken, nonce);
    } catch (error) {
      if (!(error instanceof IdTokenError)) throw error; // nothing written: the same sign-in can be retried
      // A refused token uses its nonce up: each nonce gets one try (a replay of it gets no second look).
      if (!(await takeNonce(db, nonce, now()))) throw invalidNonce();
      throw new ApiError(
        401,
        'invalid_id_token',
        `idToken: ${error.message}; its nonce is used up, ask /auth/nonce for a new one`,
      );
    }
    // One transaction: the nonce, the member and the refresh token are all written, or (a 500) none is.
    const outcome = await db.transaction().execute(async (trx) => {
      if (!(await takeNonce(trx, nonce, now()))) return { refused: invalidNonce() };
      const member = await memberFor(trx, identity, invite);
      if (member instanceof ApiError) return { refused: member }; // committed: the nonce is used up
      return { session: await sessionFor(trx, sessions, now(), toMember(member), undefined) };
    });
    if ('refused' in outcome) throw outcome.refused;
    return c.json(outcome.session, 200);
  });

  /** The member this identity signs in as, or why not (then it has written nothing). */
  async function memberFor(trx: Db, identity: VerifiedIdentity, invite: string | undefined) {
    const existing = await trx
      .selectFrom('users')
      .selectAll()
      .where('issuer', '=', identity.issuer)
      .where('subject', '=', identity.subject)
      .forUpdate()
      .executeTakeFirst();
    if (existing && !existing.removed) return existing;
    const invited = invite ? await takeInvite(trx, invite, now(), identity) : undefined;
    if (invited === 'not_yours')
      return new ApiError(
        403,
        'invite_for_another_address',
        'invite: it was made for another address (or yours is not verified by your provider); it still works for that address',
      );
    if (invite && !invited) return new ApiError(403, 'invalid_invite', 'invite: unknown, used or expired');
    if (existing) {
      if (!invited)
        return new ApiError(403, 'removed', 'you were removed from your team; ask an admin for an invite');
      return trx
        .updateTable('users')
        .set({
          removed: false,
          team_id: invited.team_id,
          role: invited.role,
          email: identity.email,
          email_verified: identity.emailVerified,
        })
        .where('id', '=', existing.id)
        .returningAll()
        .executeTakeFirstOrThrow();
    }
    let teamId = invited?.team_id;
    if (!teamId && !maySignUp(deps.signup ?? OPEN, identity))
      return new ApiError(
        403,
        'signup_closed',
        'this server takes new members by invite only: ask your team’s admin for an invite link',
      );
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
        email_verified: identity.emailVerified,
        name: identity.name ?? null,
        role: invited?.role ?? 'admin',
        issuer: identity.issuer,
        subject: identity.subject,
        created_at: now(),
      })
      .returningAll()
      .executeTakeFirstOrThrow();
  }

  router.openapi(refreshRoute, async (c) => {
    const { refreshToken } = c.req.valid('json');
    // The old token is marked used and the new session stored in one transaction: a failure in between
    // leaves the old token working (nothing written), never the rep signed out.
    const outcome = await db.transaction().execute(async (trx) => {
      const hash = hashToken(refreshToken);
      // Rotation: the update marks the token used, so of two concurrent refreshes only one succeeds.
      const used = await trx
        .updateTable('refresh_tokens')
        .set({ revoked: true })
        .where('token_hash', '=', hash)
        .where('revoked', '=', false)
        .where('expires_at', '>', now())
        .returning(['user_id', 'session_id'])
        .executeTakeFirst();
      if (!used) {
        // A used token that comes back was copied: whoever holds the family now (the rep or the thief) is
        // signed out, and the rep signs in again. Committed with the 401.
        const reused = await trx
          .selectFrom('refresh_tokens')
          .select('session_id')
          .where('token_hash', '=', hash)
          .where('revoked', '=', true)
          .executeTakeFirst();
        if (reused?.session_id) await revokeSession(trx, reused.session_id, now(), 'reuse');
        return undefined;
      }
      const live = used.session_id
        ? await trx
            .selectFrom('sessions')
            .select('id')
            .where('id', '=', used.session_id)
            .where('revoked_at', 'is', null)
            .executeTakeFirst()
        : { id: undefined };
      const user = live
        ? await trx
            .selectFrom('users')
            .selectAll()
            .where('id', '=', used.user_id)
            .where('removed', '=', false)
            .executeTakeFirst()
        : undefined;
      return user ? sessionFor(trx, sessions, now(), toMember(user), live?.id) : undefined;
    });
    if (!outcome)
      throw new ApiError(401, 'invalid_refresh_token', 'refreshToken: unknown, used, revoked or expired');
    return c.json(outcome, 200);
  });

  router.openapi(signOutRoute, async (c) => {
    const body = c.req.valid('json') as { refreshToken?: string } | undefined;
    const header = c.req.header('authorization') ?? '';
    const bearer = /^Bearer ([\w.-]+)$/.exec(header)?.[1];
    const claims = bearer ? await sessions.verifyAccess(bearer, { allowExpired: true }) : undefined;
    if (!claims && !body?.refreshToken)
      throw new ApiError(401, 'unauthenticated', 'a session token is required (Authorization: Bearer …)');
    await db.transaction().execute(async (trx) => {
      const ids = new Set<string>();
      if (claims?.sessionId) ids.add(claims.sessionId);
      if (body?.refreshToken) {
        const row = await trx
          .selectFrom('refresh_tokens')
          .select(['session_id', 'user_id'])
          .where('token_hash', '=', hashToken(body.refreshToken))
          .executeTakeFirst();
        // Only a token of the caller's own (when the caller is known): no signing out someone else.
        if (row?.session_id && (!claims || row.user_id === claims.userId)) ids.add(row.session_id);
        if (row && !row.session_id && (!claims || row.user_id === claims.userId))
          await trx
            .updateTable('refresh_tokens')
            .set({ revoked: true })
            .where('token_hash', '=', hashToken(body.refreshToken))
            .execute();
      }
      for (const id of ids) await revokeSession(trx, id, now(), 'sign_out');
    });
    return c.body(null, 204);
  });

  return router;
}

const invalidNonce = () =>
  new ApiError(401, 'invalid_nonce', 'nonce: unknown, used or expired; ask /auth/nonce for a new one');

/** Uses the nonce up; false when it is unknown, used or expired. */
async function takeNonce(db: Db, nonce: string, now: number): Promise<boolean> {
  const taken = await db
    .deleteFrom('nonces')
    .where('value', '=', nonce)
    .where('expires_at', '>', now)
    .returning('value')
    .executeTakeFirst();
  return taken !== undefined;
}

/** Uses the invite up, unless it was made for another address (then it stays for that one). */
async function takeInvite(trx: Db, token: string, now: number, identity: VerifiedIdentity) {
  const invite = await trx
    .selectFrom('invites')
    .select(['email'])
    .where('token_hash', '=', hashToken(token))
    .where('expires_at', '>', now)
    .forUpdate()
    .executeTakeFirst();
  if (!invite) return undefined;
  if (invite.email !== null && (!identity.emailVerified || invite.email !== identity.email))
    return 'not_yours';
  return trx
    .deleteFrom('invites')
    .where('token_hash', '=', hashToken(token))
    .returning(['team_id', 'role'])
    .executeTakeFirst();
}

export function toMember(u: {
  id: string;
  team_id: string;
  email: string;
  name: string | null;
  role: Member['role'];
  email_verified: boolean;
}): Member {
  return {
    id: u.id,
    teamId: u.team_id,
    email: u.email,
    emailVerified: u.email_verified,
    role: u.role,
    ...(u.name ? { name: u.name } : {}),
  };
}

/**
 * Issues a session: an access token naming the session (`sid`) and a new refresh token of its family. A
 * sign-in starts a family (`sessionId` undefined), a refresh continues one.
 */
async function sessionFor(
  db: Db,
  sessions: Sessions,
  now: number,
  user: Member,
  sessionId: string | undefined,
): Promise<Session> {
  const sid = sessionId ?? randomUUID();
  if (!sessionId)
    await db.insertInto('sessions').values({ id: sid, user_id: user.id, created_at: now }).execute();
  const access = await sessions.issueAccess(user.id, user.teamId, sid);
  const refresh = newOpaqueToken();
  const refreshExpiresAt = now + REFRESH_TTL_MS;
  await db
    .insertInto('refresh_tokens')
    .values({ token_hash: refresh.hash, user_id: user.id, expires_at: refreshExpiresAt, session_id: sid })
    .execute();
  return {
    accessToken: access.token,
    accessExpiresAt: access.expiresAt,
    refreshToken: refresh.token,
    refreshExpiresAt,
    user,
  };
}

/** Ends a session: every refresh token of its family, and (requireCaller checks it) its access tokens. */
export async function revokeSession(db: Db, sessionId: string, now: number, why: string): Promise<void> {
  await db
    .updateTable('sessions')
    .set({ revoked_at: now, revoked_why: why })
    .where('id', '=', sessionId)
    .where('revoked_at', 'is', null)
    .execute();
  await db.updateTable('refresh_tokens').set({ revoked: true }).where('session_id', '=', sessionId).execute();
}
