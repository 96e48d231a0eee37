import { z } from 'zod';

/** One OpenID Connect issuer we accept ID tokens from. `{tenantid}` in `issuer` matches any Microsoft tenant. */
export const IssuerConfig = z
  .object({
    issuer: z.url(),
    /** The OAuth client ids of our extension at this issuer (the ID token's audience). */
    audiences: z.array(z.string().min(1)).min(1),
    /** Where the discovery document lives when it is not `${issuer}/.well-known/openid-configuration`. */
    discoveryUrl: z.url().optional(),
  })
  .strict();
export type IssuerConfig = z.infer<typeof IssuerConfig>;

const Secret = z.string().min(32, { message: 'must be at least 32 characters' });

/** A comma-separated list, trimmed and lower-cased, each item checked by `item`. */
const list = (item: z.ZodType<string, string>) =>
  z
    .string()
    .default('')
    .transform((text) =>
      text
        .split(',')
        .map((s) => s.trim().toLowerCase())
        .filter(Boolean),
    )
    .pipe(z.array(item));

const EnvSchema = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  PORT: z.coerce.number().int().min(0).max(65_535).default(8787),
  HOST: z.string().default('0.0.0.0'),
  DATA_DIR: z.string().min(1).default('.data/pglite'),
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, { message: 'must be a postgres:// URL' })
    .optional(),
  PUBLIC_URL: z.url().optional(),
  SESSION_SECRET: Secret.optional(),
  TRACKING_SECRET: Secret.optional(),
  /** JSON array of IssuerConfig. */
  OIDC_ISSUERS: z
    .string()
    .default('[]')
    .transform((text, ctx) => {
      try {
        return JSON.parse(text) as unknown;
      } catch {
        ctx.addIssue({ code: 'custom', message: 'is not JSON (expected [{"issuer": …, "audiences": […]}])' });
        return z.NEVER;
      }
    })
    .pipe(z.array(IssuerConfig)),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  /** Requests per minute from one address to /auth/* (nonce, sign-in, refresh); 0 turns the limit off. */
  RATE_LIMIT_AUTH_PER_MINUTE: z.coerce.number().int().min(0).default(60),
  /** Requests per minute for one tracking link (an email's pixel, a tracked URL, an unsubscribe link). */
  RATE_LIMIT_TRACKING_PER_TOKEN_PER_MINUTE: z.coerce.number().int().min(0).default(60),
  /** Requests per minute from one address to /t/* (image proxies fetch for many readers: keep it high). */
  RATE_LIMIT_TRACKING_PER_IP_PER_MINUTE: z.coerce.number().int().min(0).default(6000),
  /** How many proxies in front of the server append to X-Forwarded-For (0: use the socket's address). */
  TRUST_PROXY_HOPS: z.coerce.number().int().min(0).max(10).default(0),
  /**
   * Who may start a team without an invite (server/README.md, "Sign-up"): `invite` (only ADMIN_EMAILS; the
   * default in production), `domains` (also verified addresses of ALLOWED_EMAIL_DOMAINS, Google accounts of
   * ALLOWED_GOOGLE_HD, Microsoft accounts of ALLOWED_MICROSOFT_TIDS) or `open` (anyone: the demo, tests).
   */
  SIGNUP: z.enum(['invite', 'domains', 'open']).optional(),
  ADMIN_EMAILS: list(z.email({ message: 'must be email addresses, comma-separated' })),
  ALLOWED_EMAIL_DOMAINS: list(
    z.string().regex(/^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/, {
      message: 'must be domain names (acme.com), comma-separated',
    }),
  ),
  /** Google Workspace domains (the ID token's `hd` claim). */
  ALLOWED_GOOGLE_HD: list(
    z.string().regex(/^([a-z0-9-]+\.)+[a-z]{2,63}$/, { message: 'must be domain names, comma-separated' }),
  ),
  /** Microsoft tenant ids (the ID token's `tid` claim). */
  ALLOWED_MICROSOFT_TIDS: list(z.uuid({ message: 'must be tenant ids (GUIDs), comma-separated' })),
  /** How long open-pixel and click links count (unsubscribe links work forever). */
  TRACKING_LINK_TTL_DAYS: z.coerce.number().positive().max(3650).default(365),
  /** The key CRM tokens are encrypted with (AES-256-GCM): 32 bytes, base64 or hex. Without it no CRM connects. */
  CRM_TOKEN_KEY: z.string().optional(),
  /** HubSpot's API (the HubSpot sandbox in tests and the demo) and its OAuth app (README, "Connecting HubSpot"). */
  HUBSPOT_API_BASE: z.url().default('https://api.hubapi.com'),
  HUBSPOT_AUTHORIZE_URL: z.url().default('https://app.hubspot.com/oauth/authorize'),
  HUBSPOT_CLIENT_ID: z.string().optional(),
  HUBSPOT_CLIENT_SECRET: z.string().optional(),
  /** Seconds between the CRM outbox worker's rounds; fractions allowed (the process kill test uses 0.1). */
  CRM_SYNC_INTERVAL_S: z.coerce
    .number()
    .min(0.05, { message: 'must be at least 0.05 (seconds)' })
    .max(3600, { message: 'must be at most 3600 (seconds)' })
    .default(15),
  /** Largest accepted request body. */
  BODY_LIMIT_BYTES: z.coerce
    .number()
    .int()
    .min(1024)
    .default(5 * 1024 * 1024),
});

export type Env = z.infer<typeof EnvSchema> & { PUBLIC_URL: string; SIGNUP: SignupMode };
export type SignupMode = 'invite' | 'domains' | 'open';

/** Who may start a team without an invite (the env's SIGNUP and its lists). */
export interface SignupPolicy {
  mode: SignupMode;
  adminEmails: string[];
  emailDomains: string[];
  googleHd: string[];
  microsoftTids: string[];
}

export class EnvError extends Error {
  override name = 'EnvError';
}

/** Reads the settings, or throws an EnvError naming every bad variable. */
export function loadEnv(source: Record<string, string | undefined>): Env {
  // An empty variable (`DATABASE_URL=` in a .env file) means "not set".
  const result = EnvSchema.safeParse(Object.fromEntries(Object.entries(source).filter(([, v]) => v !== '')));
  if (!result.success) {
    const lines = result.error.issues.map((i) => `${i.path.map(String).join('.')}: ${i.message}`);
    throw new EnvError(`Invalid environment:\n  ${lines.join('\n  ')}`);
  }
  const env = result.data;
  if (env.NODE_ENV === 'production') {
    const missing = (['SESSION_SECRET', 'TRACKING_SECRET', 'PUBLIC_URL'] as const).filter((k) => !env[k]);
    if (missing.length)
      throw new EnvError(
        `Invalid environment:\n  ${missing.map((k) => `${k}: required in production`).join('\n  ')}`,
      );
  }
  const signup = env.SIGNUP ?? (env.NODE_ENV === 'production' ? 'invite' : 'open');
  const problems: string[] = [];
  if (
    signup === 'domains' &&
    !env.ALLOWED_EMAIL_DOMAINS.length &&
    !env.ALLOWED_GOOGLE_HD.length &&
    !env.ALLOWED_MICROSOFT_TIDS.length
  )
    problems.push(
      'SIGNUP: domains needs ALLOWED_EMAIL_DOMAINS, ALLOWED_GOOGLE_HD or ALLOWED_MICROSOFT_TIDS (comma-separated)',
    );
  if (problems.length) throw new EnvError(`Invalid environment:\n  ${problems.join('\n  ')}`);
  return { ...env, SIGNUP: signup, PUBLIC_URL: env.PUBLIC_URL ?? `http://localhost:${env.PORT}` };
}
