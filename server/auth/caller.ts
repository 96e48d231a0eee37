import type { Context, MiddlewareHandler } from 'hono';
import type { Role } from '../../lib/contract/auth';
import type { Db } from '../db/database';
import { ApiError, type AppEnv, type Caller } from '../http';
import type { Sessions } from './session';

/** Requires a valid session token of a current member; sets `caller`. */
export function requireCaller(db: Db, sessions: Sessions): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const header = c.req.header('authorization') ?? '';
    const match = /^Bearer ([\w.-]+)$/.exec(header);
    if (!match)
      throw new ApiError(401, 'unauthenticated', 'a session token is required (Authorization: Bearer …)');
    const claims = await sessions.verifyAccess(match[1]!);
    if (!claims) throw new ApiError(401, 'invalid_token', 'the session token is invalid or expired');
    // One query: the member, and (for a token that names one) that its session was not ended (sign-out,
    // a reused refresh token).
    const { sessionId } = claims;
    const user = await db
      .selectFrom('users')
      .select(['id', 'team_id', 'role', 'email', 'email_verified'])
      .where('id', '=', claims.userId)
      .where('team_id', '=', claims.teamId)
      .where('removed', '=', false)
      .$if(sessionId !== undefined, (q) =>
        q.where(({ exists, selectFrom }) =>
          exists(
            selectFrom('sessions')
              .select('sessions.id')
              .where('sessions.id', '=', sessionId!)
              .whereRef('sessions.user_id', '=', 'users.id')
              .where('sessions.revoked_at', 'is', null),
          ),
        ),
      )
      .executeTakeFirst();
    if (!user)
      throw new ApiError(
        401,
        'invalid_token',
        'the session token’s user is no longer a member, or it signed out',
      );
    c.set('caller', {
      id: user.id,
      teamId: user.team_id,
      role: user.role,
      email: user.email,
      emailVerified: user.email_verified,
    });
    await next();
  };
}

export function requireRole(c: Context<AppEnv>, ...roles: Role[]): Caller {
  const caller = c.get('caller');
  if (!roles.includes(caller.role))
    throw new ApiError(
      403,
      'forbidden',
      `this needs the role ${roles.join(' or ')}; you are a ${caller.role}`,
    );
  return caller;
}
