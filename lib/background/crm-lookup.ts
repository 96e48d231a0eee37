import { z } from 'zod';
import { CrmLookupPerson } from '../contract/crm-lookup';
import type { CrmLookupAnswer } from '../protocol/crm-lookup';
import type { Handlers } from '../protocol/endpoints';
import { backendCall, BackendError } from '../sync/backend-call';
import type { BackendSession } from '../sync/backend-session';

export interface CrmLookupDeps {
  session: Pick<BackendSession, 'load' | 'token'>;
  fetch: typeof fetch;
  now(): number;
}

/** The backend's answer to POST /crm/lookup, as far as the panel reads it (display fields only). */
const BackendAnswer = z.object({ people: z.array(CrmLookupPerson) });

/**
 * The thread panel's CRM read: the backend's POST /crm/lookup with the rep's backend session. The session and
 * the team's CRM tokens never reach the mail page; the answer carries display fields of the addresses asked
 * about only. No backend, not signed in or no CRM connected are quiet answers; anything else one message.
 */
export function crmLookupHandlers({ session, fetch, now }: CrmLookupDeps): Handlers {
  return {
    'crmLookup.people': async ({ emails }): Promise<CrmLookupAnswer> => {
      const stored = await session.load();
      if (!stored?.session) return { state: 'no_backend' };
      try {
        const res = await backendCall(fetch, stored.url, 'POST', '/crm/lookup', BackendAnswer, {
          body: { emails },
          token: () => session.token(now()),
        });
        const asked = new Set(emails);
        return { state: 'found', people: res.people.filter((p) => asked.has(p.email)) };
      } catch (error) {
        if (error instanceof BackendError && error.status === 404) return { state: 'not_connected' };
        if (error instanceof BackendError && error.status === 401) return { state: 'no_backend' };
        return { state: 'error', message: error instanceof Error ? error.message : String(error) };
      }
    },
  };
}
