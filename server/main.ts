import { randomBytes } from 'node:crypto';
import { createAnalyticsBuilder } from './analytics/builder';
import { createApp } from './app';
import type { CrmConfig } from './crm/config';
import { parseTokenKey } from './crm/secrets';
import { createCrmWorker } from './crm/worker';
import { openDatabase } from './db/database';
import { EnvError, loadEnv, type Env } from './env';
import { createLogger } from './log';
import { serveApp } from './serve';

// `npm run server`: wiring only (STYLE.md, principle 1).
let env: Env;
try {
  env = loadEnv(process.env);
} catch (error) {
  if (!(error instanceof EnvError)) throw error;
  console.error(error.message);
  process.exit(1);
}
const log = createLogger(env.LOG_LEVEL);

function secret(name: 'SESSION_SECRET' | 'TRACKING_SECRET'): Uint8Array {
  const value = env[name];
  if (value) return new TextEncoder().encode(value);
  log.warn(
    `${name} is not set: using a random one, so its tokens end with this process and are not shared with others`,
  );
  return randomBytes(32);
}

let crmTokenKey: Uint8Array | undefined;
try {
  crmTokenKey = env.CRM_TOKEN_KEY ? parseTokenKey(env.CRM_TOKEN_KEY) : undefined;
} catch (error) {
  console.error(`Invalid environment:\n  CRM_TOKEN_KEY: ${(error as Error).message}`);
  process.exit(1);
}
const crmConfig: CrmConfig = {
  ...(crmTokenKey ? { tokenKey: crmTokenKey } : {}),
  hubspot: {
    apiBase: env.HUBSPOT_API_BASE,
    authorizeUrl: env.HUBSPOT_AUTHORIZE_URL,
    ...(env.HUBSPOT_CLIENT_ID ? { clientId: env.HUBSPOT_CLIENT_ID } : {}),
    ...(env.HUBSPOT_CLIENT_SECRET ? { clientSecret: env.HUBSPOT_CLIENT_SECRET } : {}),
  },
};

// Embedded, the database runs in a worker thread: its queries do not hold up the HTTP answers (the pixel's).
const database = await openDatabase({ url: env.DATABASE_URL, dataDir: env.DATA_DIR, thread: true });
const app = createApp({
  db: database.db,
  ...(database.readers ? { readers: database.readers } : {}),
  log,
  publicUrl: env.PUBLIC_URL,
  sessionSecret: secret('SESSION_SECRET'),
  trackingSecret: secret('TRACKING_SECRET'),
  issuers: env.OIDC_ISSUERS,
  bodyLimitBytes: env.BODY_LIMIT_BYTES,
  now: Date.now,
  signup: {
    mode: env.SIGNUP,
    adminEmails: env.ADMIN_EMAILS,
    emailDomains: env.ALLOWED_EMAIL_DOMAINS,
    googleHd: env.ALLOWED_GOOGLE_HD,
    microsoftTids: env.ALLOWED_MICROSOFT_TIDS,
  },
  trackingLinkTtlMs: env.TRACKING_LINK_TTL_DAYS * 86_400_000,
  crm: crmConfig,
  rateLimits: {
    authPerMinute: env.RATE_LIMIT_AUTH_PER_MINUTE,
    trackingPerTokenPerMinute: env.RATE_LIMIT_TRACKING_PER_TOKEN_PER_MINUTE,
    trackingPerIpPerMinute: env.RATE_LIMIT_TRACKING_PER_IP_PER_MINUTE,
    trustProxyHops: env.TRUST_PROXY_HOPS,
  },
});
const server = await serveApp(app, { port: env.PORT, hostname: env.HOST });
log.info(
  {
    url: server.url,
    database: database.engine,
    ...(database.engine === 'pglite' ? { dataDir: env.DATA_DIR } : {}),
  },
  `Threadline backend listening on ${server.url}`,
);
log.info(
  { signup: env.SIGNUP, adminEmails: env.ADMIN_EMAILS.length },
  env.SIGNUP === 'open'
    ? 'sign-up is open: anyone with an accepted ID token can start a team (SIGNUP=open)'
    : `sign-up: ${env.SIGNUP} (server/README.md, "Sign-up")`,
);
// Teams below ANALYTICS_VERSION are built after the server is up, never inside a request (503 meanwhile).
const builder = createAnalyticsBuilder(database.db, log, {
  cancelsStatements: database.engine === 'postgres',
});
builder.start();
// The CRM outbox: activities queued by sync pushes go to HubSpot every CRM_SYNC_INTERVAL_S seconds.
const crmWorker = createCrmWorker({ db: database.db, log, now: Date.now, config: crmConfig });
crmWorker.start(env.CRM_SYNC_INTERVAL_S * 1000);

let stopping = false;
async function shutdown(signal: string) {
  if (stopping) return;
  stopping = true;
  log.info({ signal }, 'shutting down: finishing in-flight requests');
  const force = setTimeout(() => {
    log.error('in-flight requests did not finish within 20 s; exiting');
    process.exit(1);
  }, 20_000);
  force.unref();
  await Promise.all([server.stop(), builder.stop(), crmWorker.stop()]);
  await app.drain();
  await database.close();
  log.info('stopped');
  process.exit(0);
}
process.on('SIGTERM', () => void shutdown('SIGTERM'));
process.on('SIGINT', () => void shutdown('SIGINT'));
