import { createRoute, z } from '@hono/zod-openapi';
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import { TrackingLinks, TrackingLinksRequest, Viewing, ViewingRequest } from '../../lib/contract/tracking';
import type { AppDeps } from '../deps';
import { ApiError, createRouter, errors, json, jsonBody, noQuery } from '../http';
import { ChangeWriter } from '../sync/changes';
import { applyMutation } from '../sync/mutations';
import type { HitBatcher } from './batcher';
import { NO_STORE, PIXEL, PIXEL_HEADERS } from './pixel';
import type { TrackedPayload, TrackingTokens } from './token';

/** A year: how long pixel and click links count unless TRACKING_LINK_TTL_DAYS says otherwise. */
export const TRACKING_LINK_TTL_MS = 365 * 86_400_000;

export const urlHash = (url: string) => createHash('sha256').update(url).digest('base64url');

/**
 * One link's key for the per-link limits: what it stands for, however its token was written (the canonical
 * token is the only one that verifies, but two links of the same kind, step and URL count together).
 */
export const linkKeyOf = (p: TrackedPayload) =>
  `${p.k}:${p.team}:${p.enrollment}:${p.step}:${p.iat}${p.url ? `:${urlHash(p.url)}` : ''}`;

/** What the tracking middleware verified once per request (the rate limit's key and the route's payload). */
export type TrackedOf = (token: string) => TrackedPayload | undefined;

const linksRoute = createRoute({
  method: 'post',
  path: '/tracking/links',
  summary: 'Signed open, click and unsubscribe links for one step of one of your enrollments',
  security: [{ session: [] }],
  request: { query: noQuery, ...jsonBody(TrackingLinksRequest) },
  responses: { 200: json(TrackingLinks, 'The links'), ...errors(400, 401, 404) },
});

const viewingRoute = createRoute({
  method: 'post',
  path: '/tracking/views',
  summary: 'The threads or enrollments the rep is viewing now: opens of them meanwhile are the rep’s own',
  description:
    'Replaces the caller’s current views. A view lasts two minutes unless reported again; an open from ' +
    '30 s before a view starts to its end is kept with `flag: own_view` and not counted as the contact’s. ' +
    'Ids that are not the caller’s enrollments are ignored.',
  security: [{ session: [] }],
  request: { query: noQuery, ...jsonBody(ViewingRequest) },
  responses: { 200: json(Viewing, 'What now counts as viewed'), ...errors(400, 401) },
});

/** How long a reported view lasts without being reported again. */
export const VIEW_TTL_MS = 120_000;

function page(title: string, body: string): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width"><title>${title}</title></head><body style="font-family:system-ui;max-width:32rem;margin:4rem auto">${body}</body></html>`;
}

const escape = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/**
 * The public tracking endpoints (no session: the signed token is the authority) and the signed-in route
 * that makes their links. A token we did not sign gets a neutral answer and records nothing.
 */
export function trackingRoutes(
  deps: AppDeps,
  tokens: TrackingTokens,
  batcher: HitBatcher,
  trackedOf: TrackedOf,
) {
  const { db, now, publicUrl } = deps;
  const router = createRouter();

  router.openapi(linksRoute, async (c) => {
    const caller = c.get('caller');
    const { enrollmentId, stepIndex, links } = c.req.valid('json');
    const enrollment = await db
      .selectFrom('entities')
      .select('data')
      .where('team_id', '=', caller.teamId)
      .where('kind', '=', 'enrollment')
      .where('id', '=', enrollmentId)
      .where('owner_id', '=', caller.id)
      .where('deleted', '=', false)
      .executeTakeFirst();
    const contact = enrollment
      ? await db
          .selectFrom('entities')
          .select(sql<string>`data->>'email'`.as('email'))
          .where('team_id', '=', caller.teamId)
          .where('kind', '=', 'contact')
          .where('id', '=', String(enrollment.data?.contactId))
          .executeTakeFirst()
      : undefined;
    if (!contact)
      throw new ApiError(404, 'not_found', `enrollmentId: no enrollment ${enrollmentId} of yours`);
    const base = {
      team: caller.teamId,
      owner: caller.id,
      enrollment: enrollmentId,
      step: stepIndex,
      iat: now(),
    };
    // The links this email is decorated with are the only places its click links will redirect to, and
    // the unsubscribe link names the address by an opaque id (one per address and team), never in clear.
    const ref = await db.transaction().execute(async (trx) => {
      if (links.length)
        await trx
          .insertInto('tracked_links')
          .values(
            [...new Set(links)].map((url) => ({
              team_id: caller.teamId,
              enrollment_id: enrollmentId,
              step: stepIndex,
              url_hash: urlHash(url),
              created_at: now(),
            })),
          )
          .onConflict((oc) => oc.doNothing())
          .execute();
      const email = contact.email.trim().toLowerCase();
      await trx
        .insertInto('unsubscribe_ids')
        .values({
          id: randomBytes(18).toString('base64url'),
          team_id: caller.teamId,
          email,
          created_at: now(),
        })
        .onConflict((oc) => oc.columns(['team_id', 'email']).doNothing())
        .execute();
      const row = await trx
        .selectFrom('unsubscribe_ids')
        .select('id')
        .where('team_id', '=', caller.teamId)
        .where('email', '=', email)
        .executeTakeFirstOrThrow();
      return row.id;
    });
    return c.json(
      {
        pixelUrl: `${publicUrl}/t/o/${tokens.sign({ ...base, k: 'o' })}`,
        unsubscribeUrl: `${publicUrl}/t/u/${tokens.sign({ ...base, k: 'u', ref })}`,
        links: links.map((url) => ({
          url,
          trackedUrl: `${publicUrl}/t/c/${tokens.sign({ ...base, k: 'c', url })}`,
        })),
      },
      200,
    );
  });

  router.openapi(viewingRoute, async (c) => {
    const caller = c.get('caller');
    const { enrollmentIds, threadIds } = c.req.valid('json');
    const at = now();
    const until = at + VIEW_TTL_MS;
    const viewing = await db.transaction().execute(async (trx) => {
      const own =
        enrollmentIds.length || threadIds.length
          ? await trx
              .selectFrom('entities')
              .select('id')
              .where('team_id', '=', caller.teamId)
              .where('kind', '=', 'enrollment')
              .where('owner_id', '=', caller.id)
              .where('deleted', '=', false)
              .where((eb) =>
                eb.or([
                  eb('id', 'in', enrollmentIds.length ? enrollmentIds : ['']),
                  eb(sql`data->>'threadId'`, 'in', threadIds.length ? threadIds : ['']),
                ]),
              )
              .execute()
          : [];
      const ids = own.map((r) => r.id);
      // Views not reported any more end now; those still reported last longer, or start.
      await trx
        .updateTable('own_views')
        .set({ until_at: at })
        .where('user_id', '=', caller.id)
        .where('until_at', '>', at)
        .$if(ids.length > 0, (q) => q.where('enrollment_id', 'not in', ids))
        .execute();
      for (const id of ids) {
        const extended = await trx
          .updateTable('own_views')
          .set({ until_at: until })
          .where('team_id', '=', caller.teamId)
          .where('enrollment_id', '=', id)
          .where('user_id', '=', caller.id)
          .where('until_at', '>=', at)
          .executeTakeFirst();
        if (!extended.numUpdatedRows)
          await trx
            .insertInto('own_views')
            .values({
              team_id: caller.teamId,
              enrollment_id: id,
              user_id: caller.id,
              from_at: at,
              until_at: until,
            })
            .onConflict((oc) => oc.doNothing())
            .execute();
      }
      // Views long over cannot mark an open any more (hits are classified within seconds).
      await trx
        .deleteFrom('own_views')
        .where('user_id', '=', caller.id)
        .where('until_at', '<', at - 86_400_000)
        .execute();
      return ids;
    });
    return c.json({ enrollmentIds: viewing, until }, 200);
  });

  const ttl = deps.trackingLinkTtlMs ?? TRACKING_LINK_TTL_MS;
  /**
   * The payload of a token we made, of this kind, still live: pixel and click links count for `ttl` after
   * they were made, unsubscribe links forever.
   */
  const verified = (token: string, kind: TrackedPayload['k']) => {
    const payload = trackedOf(token);
    if (payload?.k !== kind) return undefined;
    if (kind !== 'u' && payload.iat + ttl < now()) return undefined;
    return payload;
  };

  function record(p: TrackedPayload, type: 'opened' | 'clicked', userAgent: string | undefined) {
    batcher.add({
      id: `${type}:${p.enrollment}:${p.step}:${randomUUID()}`,
      teamId: p.team,
      ownerId: p.owner,
      type,
      enrollmentId: p.enrollment,
      stepIndex: p.step,
      at: now(),
      sentAt: p.iat,
      userAgent,
      linkKey: linkKeyOf(p),
      ...(p.url ? { url: p.url } : {}),
    });
  }

  /** An open of the pixel: recorded when the token is one we made, still live (here and in ./pixel.ts). */
  const open = (token: string, userAgent: string | undefined) => {
    const p = verified(token, 'o');
    if (p) record(p, 'opened', userAgent);
  };
  router.get('/t/o/:token', (c) => {
    open(c.req.param('token').replace(/\.gif$/, ''), c.req.header('user-agent'));
    return c.body(PIXEL, 200, PIXEL_HEADERS);
  });

  // Click links made before the link sets were recorded (migration 0004) have none: they keep working.
  let recordedSince: Promise<number> | undefined;
  const linksRecordedSince = () =>
    (recordedSince ??= db
      .selectFrom('server_facts')
      .select('value')
      .where('name', '=', 'links_recorded_since')
      .executeTakeFirst()
      .then((r) => r?.value ?? 0)
      .catch((error: unknown) => {
        recordedSince = undefined;
        throw error;
      }));

  router.get('/t/c/:token', async (c) => {
    const p = verified(c.req.param('token'), 'c');
    const notFound = () => c.html(page('Link not found', '<p>This link is not valid.</p>'), 404, NO_STORE);
    if (!p?.url || !/^https?:\/\//i.test(p.url)) return notFound();
    if (p.iat >= (await linksRecordedSince())) {
      const known = await db
        .selectFrom('tracked_links')
        .select('step')
        .where('team_id', '=', p.team)
        .where('enrollment_id', '=', p.enrollment)
        .where('step', '=', p.step)
        .where('url_hash', '=', urlHash(p.url))
        .executeTakeFirst();
      if (!known) return notFound();
    }
    record(p, 'clicked', c.req.header('user-agent'));
    return c.redirect(p.url, 302);
  });

  /** The address an unsubscribe link stands for: its opaque id's, or (links from before those) its own. */
  async function addressOf(p: TrackedPayload): Promise<string | undefined> {
    if (p.email) return p.email;
    if (!p.ref) return undefined;
    const row = await db
      .selectFrom('unsubscribe_ids')
      .select('email')
      .where('id', '=', p.ref)
      .where('team_id', '=', p.team)
      .executeTakeFirst();
    return row?.email;
  }

  router.get('/t/u/:token', async (c) => {
    const p = verified(c.req.param('token'), 'u');
    const email = p && (await addressOf(p));
    if (!email) return c.html(page('Link not found', '<p>This link is not valid.</p>'), 404, NO_STORE);
    return c.html(
      page(
        'Unsubscribe',
        `<h1>Unsubscribe</h1><p>Stop emails to <b>${escape(email)}</b>?</p>` +
          `<form method="post"><input type="hidden" name="List-Unsubscribe" value="One-Click"><button type="submit">Unsubscribe</button></form>`,
      ),
      200,
      NO_STORE,
    );
  });

  // RFC 8058: a POST acts at once. The address joins the team's do-not-contact list and every live
  // enrollment of it in the team ends, in one transaction (not batched: this one must not be lost).
  router.post('/t/u/:token', async (c) => {
    const p = verified(c.req.param('token'), 'u');
    const address = p && (await addressOf(p));
    if (!p || !address)
      return c.html(page('Link not found', '<p>This link is not valid.</p>'), 404, NO_STORE);
    const email = address;
    const at = now();
    await db.transaction().execute(async (trx) => {
      const w = await ChangeWriter.open(trx, p.team);
      const as = (ownerId: string) => ({
        w,
        now: at,
        caller: { id: ownerId, teamId: p.team, role: 'rep' as const, email: '', emailVerified: false },
      });
      await applyMutation(as(p.owner), 'suppression.add', { email, reason: 'unsubscribed', at });
      const live = await trx
        .selectFrom('entities as e')
        .innerJoin('entities as c', (j) =>
          j
            .onRef('c.team_id', '=', 'e.team_id')
            .on('c.kind', '=', 'contact')
            .on(sql<boolean>`c.id = e.data->>'contactId'`),
        )
        .select(['e.id', 'e.owner_id'])
        .where('e.team_id', '=', p.team)
        .where('e.kind', '=', 'enrollment')
        .where('e.deleted', '=', false)
        .where(sql`e.data->>'status'`, 'in', ['active', 'paused'])
        .where(sql`c.data->>'email'`, '=', email)
        .execute();
      for (const e of live)
        await applyMutation(as(e.owner_id), 'enrollment.unenroll', {
          enrollmentId: e.id,
          at,
          reason: 'unsubscribed',
        });
      // Like the runner's events, it names the enrollment's sequence, contact and mailbox (analytics counts it there).
      const enrollment = (await w.get('enrollment', p.enrollment))?.data;
      const named = Object.fromEntries(
        (['sequenceId', 'contactId', 'mailbox'] as const).flatMap((k) =>
          typeof enrollment?.[k] === 'string' ? [[k, enrollment[k]]] : [],
        ),
      );
      await w.insertNew('event', [
        {
          id: `unsubscribed:${p.enrollment}`,
          row: {
            ownerId: p.owner,
            shared: false,
            deleted: false,
            data: {
              id: `unsubscribed:${p.enrollment}`,
              at,
              type: 'unsubscribed',
              enrollmentId: p.enrollment,
              ...named,
              stepIndex: p.step,
            },
          },
        },
      ]);
      await w.finish();
    });
    return c.html(
      page('Unsubscribed', `<p><b>${escape(email)}</b> will get no more emails from us.</p>`),
      200,
      NO_STORE,
    );
  });

  // The public endpoints answer images, pages and redirects; they are listed in the document for reference.
  const params = z.object({ token: z.string().describe('a signed tracking token') });
  const documented: [string, 'get' | 'post', string, string][] = [
    [
      '/t/o/{token}',
      'get',
      'Open pixel: a 1×1 GIF; records an open (flagged when a prefetch, proxy or scanner)',
      'image/gif',
    ],
    [
      '/t/c/{token}',
      'get',
      'Click: 302 to the URL the token signs, and records the click; 404 for any other token',
      'text/html',
    ],
    ['/t/u/{token}', 'get', 'Unsubscribe confirmation page (does nothing by itself)', 'text/html'],
    [
      '/t/u/{token}',
      'post',
      'One-click unsubscribe (RFC 8058): do-not-contact and every live enrollment of the address ends',
      'text/html',
    ],
  ];
  for (const [path, method, summary, type] of documented)
    router.openAPIRegistry.registerPath({
      method,
      path,
      summary,
      request: { params },
      responses: {
        200: { description: summary, content: { [type]: { schema: z.string() } } },
        ...errors(429),
      },
    });
  return Object.assign(router, { open });
}
