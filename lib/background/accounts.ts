import { z } from 'zod';
import { createGmailProvider } from '../mail/gmail/provider';
import { createGraphProvider } from '../mail/graph/provider';
import {
  createOAuthClient,
  type LaunchWebAuthFlow,
  type OAuthClient,
  type StoredTokens,
  type TokenStore,
} from '../mail/oauth';
import type { MailProvider } from '../mail/provider';
import type { AccountView } from '../protocol/messages';

/** The credential store (credential-store.ts): this device only, out of content scripts' reach; tokens live nowhere else. */
export interface LocalStorage {
  get(key: string): Promise<Record<string, unknown>>;
  set(items: Record<string, unknown>): Promise<void>;
  remove(key: string): Promise<void>;
}

/** OAuth app registrations, from the build's configuration (README, "Connecting Gmail and Outlook"). */
export interface OAuthApps {
  googleClientId?: string;
  googleClientSecret?: string;
  microsoftClientId?: string;
  microsoftTenant?: string;
}

const AccountRecord = z.object({
  provider: z.enum(['gmail', 'graph']),
  mailbox: z.string(),
  connectedAt: z.number(),
  sandboxUrl: z.string().optional(),
});
type AccountRecord = z.infer<typeof AccountRecord>;
const ACCOUNTS_KEY = 'accounts';
const SANDBOX_CLIENT_ID = 'threadline-demo';

/** Documented sending limits: Workspace 2,000 a day (consumer Gmail about 500); Exchange Online 10,000 recipients a day. */
const dailyLimitOf = (a: AccountRecord) =>
  a.provider === 'graph' ? 10_000 : a.mailbox.endsWith('@gmail.com') ? 500 : 2_000;

export interface AccountServiceDeps {
  storage: LocalStorage;
  launchWebAuthFlow: LaunchWebAuthFlow;
  redirectUri: string;
  fetch: typeof fetch;
  clock: () => number;
  apps: OAuthApps;
}

/**
 * The rep's connected mailboxes: connecting runs the OAuth code flow with PKCE, the tokens stay in local
 * storage, and `mailFor` hands the runner and the watcher a provider for each connected mailbox.
 */
export function createAccountService(deps: AccountServiceDeps) {
  const providers = new Map<string, MailProvider>();
  let records: AccountRecord[] | undefined;

  const tokenStore: TokenStore = {
    get: async (key) =>
      (await deps.storage.get(`tokens:${key}`))[`tokens:${key}`] as StoredTokens | undefined,
    set: (key, tokens) => deps.storage.set({ [`tokens:${key}`]: tokens }),
    delete: (key) => deps.storage.remove(`tokens:${key}`),
  };

  async function load(): Promise<AccountRecord[]> {
    if (!records) {
      const raw = (await deps.storage.get(ACCOUNTS_KEY))[ACCOUNTS_KEY];
      const parsed = z.array(AccountRecord).safeParse(raw ?? []);
      records = parsed.success ? parsed.data : [];
    }
    return records;
  }
  async function save(next: AccountRecord[]) {
    records = next;
    await deps.storage.set({ [ACCOUNTS_KEY]: next });
  }

  function oauthFor(
    provider: 'gmail' | 'graph',
    mailbox: string | undefined,
    sandboxUrl: string | undefined,
    interactiveFallback: boolean,
  ): OAuthClient {
    const google = provider === 'gmail';
    const clientId = sandboxUrl
      ? SANDBOX_CLIENT_ID
      : google
        ? deps.apps.googleClientId
        : deps.apps.microsoftClientId;
    if (!clientId) {
      throw new Error(
        `No ${google ? 'Google' : 'Microsoft'} OAuth client id is configured: set ${google ? 'WXT_GOOGLE_CLIENT_ID' : 'WXT_MICROSOFT_CLIENT_ID'} when building (see the README)`,
      );
    }
    return createOAuthClient({
      config: {
        provider: google ? 'google' : 'microsoft',
        clientId,
        ...(google && deps.apps.googleClientSecret && !sandboxUrl
          ? { clientSecret: deps.apps.googleClientSecret }
          : {}),
        ...(!google && deps.apps.microsoftTenant ? { tenant: deps.apps.microsoftTenant } : {}),
        redirectUri: deps.redirectUri,
        ...(mailbox ? { loginHint: mailbox } : {}),
        ...(sandboxUrl
          ? { endpoints: { authorize: `${sandboxUrl}/oauth/authorize`, token: `${sandboxUrl}/oauth/token` } }
          : {}),
      },
      fetch: deps.fetch,
      launchWebAuthFlow: deps.launchWebAuthFlow,
      store: tokenStore,
      storeKey: `${provider}:${mailbox ?? 'pending'}`,
      clock: deps.clock,
      // In the background a dead grant is shown to the rep as "reconnect", never as a surprise sign-in window.
      interactiveFallback,
    });
  }

  function providerOf(a: AccountRecord): MailProvider {
    const oauth = oauthFor(a.provider, a.mailbox, a.sandboxUrl, false);
    const options = {
      mailbox: a.mailbox,
      getAccessToken: () => oauth.getAccessToken(),
      fetch: deps.fetch,
      clock: deps.clock,
    };
    return a.provider === 'gmail'
      ? createGmailProvider({ ...options, ...(a.sandboxUrl ? { baseUrl: `${a.sandboxUrl}/gmail/v1` } : {}) })
      : createGraphProvider({
          ...options,
          ...(a.sandboxUrl ? { baseUrl: `${a.sandboxUrl}/graph/v1.0` } : {}),
        });
  }

  const view = (a: AccountRecord): AccountView => ({ ...a, dailyLimit: dailyLimitOf(a) });

  return {
    /**
     * An OpenID Connect ID token for signing in to the backend: from Google (gmail), Microsoft (graph), or
     * the mail sandbox's issuer in the demo. Nothing is stored; the mailbox tokens are not involved.
     */
    openIdToken(provider: 'gmail' | 'graph', nonce: string, loginHint?: string, sandboxUrl?: string) {
      return oauthFor(provider, loginHint, sandboxUrl, true).openIdToken(nonce);
    },

    async list(): Promise<AccountView[]> {
      return (await load()).map(view);
    },

    async connect(req: {
      provider: 'gmail' | 'graph';
      mailbox?: string;
      sandboxUrl?: string;
    }): Promise<AccountView> {
      const sandboxUrl = req.sandboxUrl?.replace(/\/+$/, '');
      const mailbox = req.mailbox?.toLowerCase();
      const oauth = oauthFor(req.provider, mailbox, sandboxUrl, true);
      const signedIn = (await oauth.signIn())?.toLowerCase() ?? mailbox;
      if (!signedIn) throw new Error('The sign-in did not say which mailbox it was');
      if (!mailbox) {
        // Tokens were stored under a provisional key; keep them under the account's own.
        const pending = await tokenStore.get(`${req.provider}:pending`);
        if (pending) await tokenStore.set(`${req.provider}:${signedIn}`, pending);
        await tokenStore.delete(`${req.provider}:pending`);
      }
      const record: AccountRecord = {
        provider: req.provider,
        mailbox: signedIn,
        connectedAt: deps.clock(),
        ...(sandboxUrl ? { sandboxUrl } : {}),
      };
      await save([...(await load()).filter((a) => a.mailbox !== signedIn), record]);
      providers.delete(signedIn);
      return view(record);
    },

    async disconnect(mailbox: string): Promise<void> {
      const all = await load();
      const gone = all.find((a) => a.mailbox === mailbox.toLowerCase());
      if (!gone) return;
      await tokenStore.delete(`${gone.provider}:${gone.mailbox}`);
      providers.delete(gone.mailbox);
      await save(all.filter((a) => a !== gone));
    },

    /** Synchronous for the runner: answers from what `refresh()` loaded. */
    mailFor(mailbox: string): MailProvider | undefined {
      const a = records?.find((r) => r.mailbox === mailbox.toLowerCase());
      if (!a) return undefined;
      let p = providers.get(a.mailbox);
      if (!p) providers.set(a.mailbox, (p = providerOf(a)));
      return p;
    },

    /** Loads the connected accounts (at worker start, before the first tick). */
    async refresh(): Promise<void> {
      records = undefined;
      await load();
    },
  };
}

export type AccountService = ReturnType<typeof createAccountService>;
