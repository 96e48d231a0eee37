/** `npm run sandbox:hubspot`: the HubSpot sandbox on PORT (8026) with an OAuth app and a private-app token. */
import { z } from 'zod';
import { startHubSpotSandbox } from './server';

const Env = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(8026),
  HOST: z.string().default('127.0.0.1'),
  /** Where the backend's OAuth callback lives (PUBLIC_URL of `npm run server` + /crm/hubspot/callback). */
  HUBSPOT_REDIRECT_URI: z.url().default('http://localhost:8787/crm/hubspot/callback'),
});
const parsed = Env.safeParse(process.env);
if (!parsed.success) {
  for (const issue of parsed.error.issues)
    console.error(`Invalid environment: ${issue.path.join('.')}: ${issue.message}`);
  process.exit(1);
}
const env = parsed.data;
const sandbox = await startHubSpotSandbox({ port: env.PORT, host: env.HOST });
const app = sandbox.registerApp({
  redirectUris: [env.HUBSPOT_REDIRECT_URI],
  clientId: 'threadline-sandbox-client',
  clientSecret: 'threadline-sandbox-secret',
});
console.log(`HubSpot sandbox listening on ${sandbox.url} (portal ${sandbox.portalId})`);
console.log(
  `  OAuth app: client id ${app.clientId}, secret ${app.clientSecret}, redirect ${env.HUBSPOT_REDIRECT_URI}`,
);
console.log(`  Private-app token: ${sandbox.privateAppToken()}`);

const stop = () => void sandbox.stop().then(() => process.exit(0));
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
