import { z } from 'zod';
import type { ThreadlineDb } from '../db/database';
import type { Handlers } from '../protocol/endpoints';
import type { CrmDealRefreshAnswer } from '../protocol/crm-deals';
import { backendCall, BackendError } from '../sync/backend-call';
import type { BackendSession } from '../sync/backend-session';

/** A deal's HubSpot state is read at most this often from the panel (the server's schedule reads it too). */
export const DEAL_REFRESH_EVERY_MS = 60_000;

export interface CrmDealsDeps {
  db: Pick<ThreadlineDb, 'deals'>;
  session: Pick<BackendSession, 'load' | 'token'>;
  fetch: typeof fetch;
  now(): number;
  /** A sync pull (lib/background/sync-host.ts syncNow): brings the deal HubSpot moved to this device. */
  pull(): Promise<unknown>;
}

/** The backend's answer to POST /crm/deals/refresh (server/crm/deals-routes.ts), as far as it is read. */
const BackendAnswer = z.object({ linked: z.boolean(), moved: z.boolean() });

/**
 * The thread panel's read of its deal's HubSpot stage on opening a thread: the backend's POST
 * /crm/deals/refresh with the rep's session, then a sync pull so a stage moved in HubSpot lands in this
 * device's deals. Only a deal on this device that is the rep's (or any, for a manager or admin, as the server
 * allows) is asked about; each at most once a minute, however often threads are opened.
 */
export function crmDealsHandlers({ db, session, fetch, now, pull }: CrmDealsDeps): Handlers {
  const lastAsked = new Map<string, number>();
  return {
    'crmDeals.refresh': async ({ dealId }): Promise<CrmDealRefreshAnswer> => {
      const stored = await session.load();
      if (!stored?.session) return { state: 'no_backend' };
      const { user } = stored.session;
      const deal = await db.deals.get(dealId);
      const mine = deal && deal.ownerId.toLowerCase() === user.email.toLowerCase();
      if (!deal || (!mine && user.role !== 'manager' && user.role !== 'admin'))
        throw new Error(`crmDeals.refresh: no deal ${dealId} of yours on this device`);
      const at = now();
      const last = lastAsked.get(dealId);
      if (last !== undefined && at - last < DEAL_REFRESH_EVERY_MS) return { state: 'throttled' };
      lastAsked.set(dealId, at);
      try {
        const res = await backendCall(fetch, stored.url, 'POST', '/crm/deals/refresh', BackendAnswer, {
          body: { dealId },
          token: () => session.token(now()),
        });
        // The deal is in HubSpot: pull, so a move (now or by the server's schedule) reaches the panel.
        if (res.linked) await pull();
        return { state: 'read', linked: res.linked, moved: res.moved };
      } catch (error) {
        if (error instanceof BackendError && error.status === 404) return { state: 'not_linked' };
        if (error instanceof BackendError && error.status === 401) return { state: 'no_backend' };
        return { state: 'error', message: error instanceof Error ? error.message : String(error) };
      }
    },
  };
}
