import { createRoute, z } from '@hono/zod-openapi';
import { Invite, InviteRequest, Member, MemberList, RoleChange } from '../../lib/contract/auth';
import { requireRole } from '../auth/caller';
import { toMember } from '../auth/routes';
import { newOpaqueToken } from '../auth/session';
import type { AppDeps } from '../deps';
import { ApiError, createRouter, errors, json, jsonBody, noBody, noQuery } from '../http';

const INVITE_TTL_MS = 7 * 24 * 3_600_000;
const security = [{ session: [] }];
const UserParam = z.object({ userId: z.string().min(1).max(200) }).strict();

const meRoute = createRoute({
  method: 'get',
  path: '/me',
  summary: 'The signed-in member',
  security,
  request: { query: noQuery },
  responses: { 200: json(Member, 'You'), ...errors(401) },
});
const membersRoute = createRoute({
  method: 'get',
  path: '/team/members',
  summary: 'The team’s members (managers and admins)',
  security,
  request: { query: noQuery },
  responses: { 200: json(MemberList, 'Members'), ...errors(401, 403) },
});
const inviteRoute = createRoute({
  method: 'post',
  path: '/team/invites',
  summary: 'A single-use invite link (admins)',
  security,
  request: { query: noQuery, ...jsonBody(InviteRequest) },
  responses: { 201: json(Invite, 'The invite'), ...errors(400, 401, 403) },
});
const roleRoute = createRoute({
  method: 'patch',
  path: '/team/members/{userId}',
  summary: 'Change a member’s role (admins)',
  security,
  request: { params: UserParam, query: noQuery, ...jsonBody(RoleChange) },
  responses: { 200: json(Member, 'The member'), ...errors(400, 401, 403, 404, 409) },
});
const removeRoute = createRoute({
  method: 'delete',
  path: '/team/members/{userId}',
  summary: 'Remove a member (admins); their sessions end at once',
  security,
  request: { params: UserParam, query: noQuery, ...noBody },
  responses: { 204: { description: 'Removed' }, ...errors(400, 401, 403, 404, 409) },
});

export function teamRoutes({ db, now, publicUrl }: AppDeps) {
  const router = createRouter();

  router.openapi(meRoute, async (c) => {
    const caller = c.get('caller');
    const user = await db
      .selectFrom('users')
      .selectAll()
      .where('id', '=', caller.id)
      .executeTakeFirstOrThrow();
    return c.json(toMember(user), 200);
  });

  router.openapi(membersRoute, async (c) => {
    const caller = requireRole(c, 'manager', 'admin');
    const users = await db
      .selectFrom('users')
      .selectAll()
      .where('team_id', '=', caller.teamId)
      .where('removed', '=', false)
      .orderBy('created_at')
      .execute();
    return c.json({ members: users.map(toMember) }, 200);
  });

  router.openapi(inviteRoute, async (c) => {
    const caller = requireRole(c, 'admin');
    const { role, email } = c.req.valid('json');
    const { token, hash } = newOpaqueToken();
    const expiresAt = now() + INVITE_TTL_MS;
    await db
      .insertInto('invites')
      .values({
        token_hash: hash,
        team_id: caller.teamId,
        role,
        created_by: caller.id,
        expires_at: expiresAt,
        email: email?.trim().toLowerCase() ?? null,
      })
      .execute();
    return c.json(
      { token, url: `${publicUrl}/join?invite=${token}`, role, expiresAt, ...(email ? { email } : {}) },
      201,
    );
  });

  router.openapi(roleRoute, async (c) => {
    const caller = requireRole(c, 'admin');
    const { userId } = c.req.valid('param');
    const { role } = c.req.valid('json');
    if (userId === caller.id) throw new ApiError(409, 'own_role', 'admins cannot change their own role');
    const user = await db
      .updateTable('users')
      .set({ role })
      .where('id', '=', userId)
      .where('team_id', '=', caller.teamId)
      .where('removed', '=', false)
      .returningAll()
      .executeTakeFirst();
    if (!user) throw new ApiError(404, 'not_found', `userId: no member ${userId} in your team`);
    return c.json(toMember(user), 200);
  });

  router.openapi(removeRoute, async (c) => {
    const caller = requireRole(c, 'admin');
    const { userId } = c.req.valid('param');
    if (userId === caller.id) throw new ApiError(409, 'own_membership', 'admins cannot remove themselves');
    const removed = await db.transaction().execute(async (trx) => {
      const user = await trx
        .updateTable('users')
        .set({ removed: true })
        .where('id', '=', userId)
        .where('team_id', '=', caller.teamId)
        .where('removed', '=', false)
        .returning('id')
        .executeTakeFirst();
      if (user)
        await trx
          .updateTable('refresh_tokens')
          .set({ revoked: true })
          .where('user_id', '=', userId)
          .execute();
      return user;
    });
    if (!removed) throw new ApiError(404, 'not_found', `userId: no member ${userId} in your team`);
    return c.body(null, 204);
  });

  return router;
}
