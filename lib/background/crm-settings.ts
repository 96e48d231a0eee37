import { z } from 'zod';
import type { Tabs } from '../platform/tabs';
import {
  CrmFailureView,
  CrmOwnersView,
  CrmPipelineView,
  CrmSettingsView,
  CrmStatusView,
} from '../protocol/crm-settings';
import type { Handlers } from '../protocol/endpoints';
import { backendCall, BackendError } from '../sync/backend-call';
import type { BackendSession } from '../sync/backend-session';

export interface CrmSettingsDeps {
  session: Pick<BackendSession, 'load' | 'token'>;
  tabs: Pick<Tabs, 'create'>;
  fetch: typeof fetch;
  now(): number;
}

/**
 * Settings → CRM: the team's HubSpot connection on the backend (server/crm/routes.ts), reached with the rep's
 * backend session. Connecting with OAuth opens HubSpot's consent page in a tab; the backend's callback
 * finishes it. The server's answers are checked against lib/protocol/crm-settings.ts; its refusals come back
 * with its own words (a missing CRM_TOKEN_KEY, a role that may not, HubSpot's message).
 */
export function crmSettingsHandlers({ session, tabs, fetch, now }: CrmSettingsDeps): Handlers {
  async function call<T>(method: string, path: string, schema: z.ZodType<T>, body?: unknown): Promise<T> {
    const stored = await session.load();
    if (!stored?.session)
      throw new BackendError('Not signed in to a backend: sign in under Settings → Team & sync');
    return backendCall(fetch, stored.url, method, path, schema, {
      ...(body !== undefined ? { body } : {}),
      token: () => session.token(now()),
    });
  }

  return {
    'crmSettings.overview': async () => {
      const stored = await session.load();
      if (!stored?.session)
        return { session: 'none' as const, ...(stored?.url ? { backendUrl: stored.url } : {}) };
      const status = await call('GET', '/crm/connection', CrmStatusView);
      const { user } = stored.session;
      return {
        session: 'signedIn' as const,
        backendUrl: stored.url,
        role: user.role,
        email: user.email,
        status,
      };
    },
    'crmSettings.authorize': async () => {
      const { url } = await call('POST', '/crm/hubspot/authorize', z.object({ url: z.url() }));
      const protocol = new URL(url).protocol;
      if (protocol !== 'https:' && protocol !== 'http:')
        throw new Error(`The backend gave an address that is not a web page: ${protocol}`);
      await tabs.create({ url });
      return { url };
    },
    'crmSettings.privateApp': ({ token }) =>
      call('POST', '/crm/hubspot/private-app', CrmStatusView, { token }),
    'crmSettings.disconnect': () => call('DELETE', '/crm/connection', z.object({ revoked: z.boolean() })),
    'crmSettings.save': (changes) => call('PATCH', '/crm/settings', CrmSettingsView, changes),
    'crmSettings.owners': () => call('GET', '/crm/owners', CrmOwnersView),
    'crmSettings.setOwner': ({ userId, ownerId }) =>
      call(
        'PUT',
        `/crm/owners/${encodeURIComponent(userId)}`,
        z.object({ userId: z.string(), ownerId: z.string().nullable() }),
        { ownerId },
      ),
    'crmSettings.pipelines': () =>
      call('GET', '/crm/pipelines', z.object({ pipelines: z.array(CrmPipelineView) })),
    'crmSettings.failures': () =>
      call('GET', '/crm/failures', z.object({ failures: z.array(CrmFailureView) })),
    'crmSettings.retry': ({ ids }) =>
      call(
        'POST',
        '/crm/failures/retry',
        z.object({ retried: z.number(), blockedUntil: z.number().nullable().optional() }),
        ids ? { ids } : {},
      ),
  };
}
