/**
 * The CRM part of `npm start`: the HubSpot sandbox with the demo portal (tools/sandbox/hubspot/demo-portal.ts:
 * the demo inbox's people as contacts, their companies, deals and owners), an OAuth app whose redirect is the
 * backend's callback, a private-app token for the demo's own setup, and the backend's environment pointing at
 * it. The key the backend seals CRM tokens with is kept in .data so a connection outlives a restart.
 */
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { seedDemoPortal, type SeededDemoPortal } from '../tools/sandbox/hubspot/demo-portal';
import { startHubSpotSandbox, type HubSpotSandbox } from '../tools/sandbox/hubspot/server';

export const DEMO_HUBSPOT_PORT = 8026;

export interface DemoCrm {
  hubspot: HubSpotSandbox;
  seeded: SeededDemoPortal;
  /** A private app's token of the demo portal: Settings → CRM → "Connect with a private-app token". */
  privateAppToken: string;
  /** What the backend needs to talk to the sandbox (merged into its environment). */
  env: Record<string, string>;
}

/** CRM_TOKEN_KEY from the environment, else the demo's own, made once and kept in `dataDir`. */
export function demoTokenKey(dataDir: string, env: NodeJS.ProcessEnv = process.env): string {
  if (env.CRM_TOKEN_KEY) return env.CRM_TOKEN_KEY;
  const file = path.join(dataDir, 'crm-token-key');
  try {
    const kept = fs.readFileSync(file, 'utf8').trim();
    if (kept) return kept;
  } catch {
    // not made yet
  }
  const key = randomBytes(32).toString('base64');
  fs.mkdirSync(dataDir, { recursive: true });
  fs.writeFileSync(file, `${key}\n`, { mode: 0o600 });
  return key;
}

export async function startDemoCrm(opts: {
  /** The backend's public address; HubSpot's consent page sends the admin back to its callback. */
  backendUrl: string;
  dataDir: string;
  port?: number;
  env?: NodeJS.ProcessEnv;
}): Promise<DemoCrm> {
  const hubspot = await startHubSpotSandbox({ port: opts.port ?? DEMO_HUBSPOT_PORT, host: '127.0.0.1' });
  const seeded = seedDemoPortal(hubspot);
  const app = hubspot.registerApp({
    redirectUris: [`${opts.backendUrl.replace(/\/$/, '')}/crm/hubspot/callback`],
    clientId: 'threadline-demo-client',
    clientSecret: randomBytes(24).toString('base64url'),
  });
  return {
    hubspot,
    seeded,
    privateAppToken: hubspot.privateAppToken(),
    env: {
      CRM_TOKEN_KEY: demoTokenKey(opts.dataDir, opts.env),
      HUBSPOT_API_BASE: hubspot.url,
      HUBSPOT_AUTHORIZE_URL: `${hubspot.url}/oauth/authorize`,
      HUBSPOT_CLIENT_ID: app.clientId,
      HUBSPOT_CLIENT_SECRET: app.clientSecret,
    },
  };
}
