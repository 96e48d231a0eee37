import { createRoute, z } from '@hono/zod-openapi';
import { LeaseGranted, LeaseHeld, LeaseRequest } from '../../lib/contract/lease';
import { Email } from '../../lib/domain/common';
import type { AppDeps } from '../deps';
import { createRouter, errors, json, jsonBody, noQuery } from '../http';

const security = [{ session: [] }];
const MailboxParam = z.object({ mailbox: Email }).strict();

const acquireRoute = createRoute({
  method: 'post',
  path: '/leases/{mailbox}',
  summary: 'Take or renew the send lease of one of your mailboxes',
  description:
    'Granted when nobody holds it, the caller’s device already holds it (a renewal: same fencing token), or the ' +
    'holder’s lease has expired (a takeover: the fencing token increases). Expiry is on the server’s clock.',
  security,
  request: { params: MailboxParam, query: noQuery, ...jsonBody(LeaseRequest) },
  responses: {
    200: json(LeaseGranted, 'Granted'),
    409: json(LeaseHeld, 'Another device holds the lease until expiresAt'),
    ...errors(400, 401),
  },
});

const releaseRoute = createRoute({
  method: 'delete',
  path: '/leases/{mailbox}',
  summary: 'Give the lease up early (only its holder can)',
  security,
  request: { params: MailboxParam, query: noQuery, ...jsonBody(LeaseRequest.pick({ holder: true })) },
  responses: { 204: { description: 'Released, or not held by this device' }, ...errors(400, 401) },
});

/**
 * Leases are keyed by (member, mailbox): a member can only ever contend with their own devices, so no id
 * of another member or team can reach someone else's lease.
 */
export function leaseRoutes({ db, now }: AppDeps) {
  const router = createRouter();

  router.openapi(acquireRoute, async (c) => {
    const caller = c.get('caller');
    const { mailbox } = c.req.valid('param');
    const { holder, ttlMs } = c.req.valid('json');
    const outcome = await db.transaction().execute(async (trx) => {
      const at = now();
      const expiresAt = at + ttlMs;
      const inserted = await trx
        .insertInto('leases')
        .values({ user_id: caller.id, mailbox, holder, fencing_token: 1, expires_at: expiresAt })
        .onConflict((oc) => oc.columns(['user_id', 'mailbox']).doNothing())
        .returning(['holder', 'fencing_token', 'expires_at'])
        .executeTakeFirst();
      if (inserted) return { granted: true as const, row: inserted };
      const current = await trx
        .selectFrom('leases')
        .select(['holder', 'fencing_token', 'expires_at'])
        .where('user_id', '=', caller.id)
        .where('mailbox', '=', mailbox)
        .forUpdate()
        .executeTakeFirstOrThrow();
      if (current.holder !== holder && current.expires_at > at)
        return { granted: false as const, row: current };
      const row = await trx
        .updateTable('leases')
        .set({
          holder,
          expires_at: expiresAt,
          fencing_token: current.holder === holder ? current.fencing_token : current.fencing_token + 1,
        })
        .where('user_id', '=', caller.id)
        .where('mailbox', '=', mailbox)
        .returning(['holder', 'fencing_token', 'expires_at'])
        .executeTakeFirstOrThrow();
      return { granted: true as const, row };
    });
    if (!outcome.granted)
      return c.json(
        {
          error: { code: 'lease_held' as const, message: `another device holds the lease of ${mailbox}` },
          expiresAt: outcome.row.expires_at,
        },
        409,
      );
    const { row } = outcome;
    return c.json({ holder: row.holder, fencingToken: row.fencing_token, expiresAt: row.expires_at }, 200);
  });

  router.openapi(releaseRoute, async (c) => {
    const caller = c.get('caller');
    const { mailbox } = c.req.valid('param');
    const { holder } = c.req.valid('json');
    await db
      .updateTable('leases')
      .set({ expires_at: now() })
      .where('user_id', '=', caller.id)
      .where('mailbox', '=', mailbox)
      .where('holder', '=', holder)
      .execute();
    return c.body(null, 204);
  });

  return router;
}
