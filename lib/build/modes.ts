/**
 * Build modes (wxt.config.ts; `wxt build --mode <mode>`): what each one may reach. `production` (npm run build,
 * npm run zip) is what reps install: no local hosts, https backends only, no client secret in the bundle.
 * `development`, `test` and `demo` (npm start) run against the mail sandbox and a backend on this machine.
 * Any other mode name counts as production, so a typo never widens what a build may reach.
 */
export const LOCAL_MODES = ['development', 'test', 'demo'] as const;

/** True when a build of this mode may talk to local hosts over http (the mail sandbox, a local backend). */
export const allowsLocalHosts = (mode: string): boolean => (LOCAL_MODES as readonly string[]).includes(mode);

/** The mail sandbox and a local backend: the demo and the tests run them here. */
export const LOCAL_HOST_PERMISSIONS = ['http://127.0.0.1/*', 'http://localhost/*'] as const;

/** Fixed host permissions: the mail APIs, their sign-in, Gmail (InboxSDK's page script), local hosts when allowed. */
export function hostPermissionsFor(mode: string): string[] {
  return [
    'https://gmail.googleapis.com/*',
    'https://graph.microsoft.com/*',
    'https://oauth2.googleapis.com/*',
    'https://login.microsoftonline.com/*',
    // InboxSDK's page-world script is injected into Gmail by the background.
    'https://mail.google.com/*',
    ...(allowsLocalHosts(mode) ? LOCAL_HOST_PERMISSIONS : []),
  ];
}

/** A self-hosted backend's address is the rep's to choose; production asks only for https ones. */
export const optionalHostPermissionsFor = (mode: string): string[] =>
  allowsLocalHosts(mode) ? ['https://*/*', 'http://*/*'] : ['https://*/*'];

/**
 * Build-time variables never compiled into a production bundle. A Google "Web application" client's secret is
 * no secret once shipped inside an extension anyone can unpack (README, "Connecting Gmail and Outlook").
 */
export const DEV_ONLY_ENV = ['WXT_GOOGLE_CLIENT_SECRET'] as const;

/**
 * The one deliberate way to ship a Google client secret in a production build: a publisher who connects Gmail
 * with a *Web application* client (Google's token endpoint asks for its secret even with PKCE) sets this to
 * exactly `public` at build time, saying they know the value will be readable by anyone who unpacks the
 * extension (Google's installed-app guide: such a secret "is obviously not treated as a secret"). Anything else,
 * including a forgotten variable in the build environment, leaves it out.
 */
export const SHIP_GOOGLE_SECRET_ENV = 'THREADLINE_SHIP_GOOGLE_CLIENT_SECRET';

/** Vite `define`s that blank development-only variables out of a bundle of this mode. */
export function blankedEnvFor(mode: string, env: Record<string, string | undefined>): Record<string, string> {
  if (allowsLocalHosts(mode)) return {};
  const shipSecret = env[SHIP_GOOGLE_SECRET_ENV] === 'public';
  return Object.fromEntries(
    DEV_ONLY_ENV.filter((name) => !(shipSecret && name === 'WXT_GOOGLE_CLIENT_SECRET')).map((name) => [
      `import.meta.env.${name}`,
      'undefined',
    ]),
  );
}
