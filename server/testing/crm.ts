import { randomBytes } from 'node:crypto';
import {
  startHubSpotSandbox,
  type HubSpotSandbox,
  type HubSpotSandboxOptions,
} from '../../tools/sandbox/hubspot/server';
import type { CrmConfig } from '../crm/config';

/** Where the tests' backend says HubSpot sends the admin back after consent. */
export const TEST_CRM_CALLBACK = 'http://threadline.test/crm/hubspot/callback';

/**
 * The HubSpot sandbox with an OAuth app registered, and the CRM config of a backend that talks to it (a fresh
 * token key, no waiting between retries): the CRM routes as a configured server has them.
 */
export async function crmSandboxForTests(
  opts: HubSpotSandboxOptions = {},
): Promise<{ hs: HubSpotSandbox; config: CrmConfig }> {
  const hs = await startHubSpotSandbox(opts);
  const app = hs.registerApp({ redirectUris: [TEST_CRM_CALLBACK] });
  const config: CrmConfig = {
    tokenKey: randomBytes(32),
    hubspot: {
      apiBase: hs.url,
      authorizeUrl: `${hs.url}/oauth/authorize`,
      clientId: app.clientId,
      clientSecret: app.clientSecret,
    },
    sleep: async () => {},
  };
  return { hs, config };
}
