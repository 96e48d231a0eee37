import { z } from 'zod';
import { Invite, Member, MemberList, NonceResponse, Session, type Role } from '../contract/auth';
import { backendCall, BackendError } from './backend-call';
import { checkBackendUrl } from './backend-url';

export { BackendError };

/** Who vouches for the rep when signing in to the backend: Google, Microsoft, or the mail sandbox (demo). */
export const IdentityProvider = z.enum(['google', 'microsoft', 'sandbox']);
export type IdentityProvider = z.infer<typeof IdentityProvider>;

const Stored = z
  .object({
    url: z.url(),
    /** One per browser profile: the server applies each of its mutation ids once. */
    clientId: z.string().min(1),
    provider: IdentityProvider.optional(),
    session: Session.optional(),
    /**
     * When the backend refused the session (refresh token expired or revoked, member removed): the rep did
     * not sign out, so sends stay on hold until they sign in again or sign out on purpose.
     */
    lapsedAt: z.number().int().optional(),
  })
  .strict();
type Stored = z.infer<typeof Stored>;

const KEY = 'backend';

export interface BackendStorage {
  get(key: string): Promise<Record<string, unknown>>;
  set(items: Record<string, unknown>): Promise<void>;
  remove(key: string): Promise<void>;
}

export interface BackendSessionDeps {
  storage: BackendStorage;
  fetch: typeof fetch;
  /** An ID token from the identity provider carrying `nonce` (lib/mail/oauth openIdToken). */
  idToken(provider: IdentityProvider, nonce: string, hint: SignInHint): Promise<string>;
  newClientId(): string;
  /** Plain http backends: the demo and the tests on this computer only, never a production build. */
  allowHttp?: boolean;
  /** Sign-out tells the backend, but never waits on it longer than this (default 5 s). */
  signOutTimeoutMs?: number;
}

/** Which account to sign in with: a mailbox hint, and for the demo the mail sandbox's address. */
export interface SignInHint {
  loginHint?: string;
  sandboxUrl?: string;
}

/**
 * The extension's connection to a Threadline backend: its address, the session (the backend's own short-lived
 * token and refresh token — never a Google or Microsoft token, which stay with the mailboxes), and the
 * calls around it. Kept in the credential store (out of content scripts' reach) so a restarted worker carries on.
 */
export function createBackendSession(deps: BackendSessionDeps) {
  let refreshing: Promise<Session> | undefined;

  async function load(): Promise<Stored | undefined> {
    const parsed = Stored.safeParse((await deps.storage.get(KEY))[KEY]);
    return parsed.success ? parsed.data : undefined;
  }
  const save = (value: Stored) => deps.storage.set({ [KEY]: value });

  const call = <T>(
    url: string,
    method: string,
    path: string,
    schema: z.ZodType<T>,
    options: { body?: unknown; token?: string } = {},
  ) => backendCall(deps.fetch, url, method, path, schema, options);

  async function requireSession(): Promise<Stored & { session: Session }> {
    const stored = await load();
    if (!stored?.session) throw new BackendError('Not signed in to a backend');
    return stored as Stored & { session: Session };
  }

  /** A valid access token, refreshed a minute before it expires (one refresh at a time). */
  async function token(now: number): Promise<string> {
    const stored = await requireSession();
    if (stored.session.accessExpiresAt - 60_000 > now) return stored.session.accessToken;
    refreshing ??= (async () => {
      try {
        const session = await call(stored.url, 'POST', '/auth/refresh', Session, {
          body: { refreshToken: stored.session.refreshToken },
        });
        await save({ ...stored, session });
        return session;
      } catch (error) {
        // A refused refresh token (expired, used, member removed) means signing in again.
        if (error instanceof BackendError && (error.status === 401 || error.status === 403))
          await save({
            url: stored.url,
            clientId: stored.clientId,
            ...(stored.provider ? { provider: stored.provider } : {}),
            lapsedAt: now,
          });
        throw error;
      } finally {
        refreshing = undefined;
      }
    })();
    return (await refreshing).accessToken;
  }

  return {
    load,
    token,
    /** Sets the backend's address (signing out of the previous one). */
    async configure(url: string): Promise<Stored> {
      let checked: string;
      try {
        checked = checkBackendUrl(url, deps.allowHttp ?? false);
      } catch (error) {
        throw new BackendError((error as Error).message);
      }
      const previous = await load();
      const next: Stored = {
        url: checked,
        clientId: previous?.clientId ?? deps.newClientId(),
      };
      await save(next);
      return next;
    },
    async signIn(
      provider: IdentityProvider,
      options: SignInHint & { invite?: string } = {},
    ): Promise<Member> {
      const stored = await load();
      if (!stored) throw new BackendError('Set the backend’s address first');
      const { nonce } = await call(stored.url, 'POST', '/auth/nonce', NonceResponse);
      const idToken = await deps.idToken(provider, nonce, options);
      const session = await call(stored.url, 'POST', '/auth/signin', Session, {
        body: { idToken, nonce, ...(options.invite ? { invite: options.invite } : {}) },
      });
      await save({ url: stored.url, clientId: stored.clientId, provider, session });
      return session.user;
    },
    /**
     * Signs out here whatever the backend answers; first asks it to revoke the session's whole refresh-token
     * family (POST /auth/sign-out), so a copy of the tokens taken from this device stops working too.
     */
    async signOut(now: number = Date.now()): Promise<void> {
      const stored = await load();
      if (!stored) return;
      if (stored.session) {
        const { session } = stored;
        const revoke = (async () => {
          // An expired access token is renewed first; if even that fails, the backend will not listen anyway.
          const accessToken = await token(now).catch(() => session.accessToken);
          const current = (await load())?.session ?? session;
          await call(stored.url, 'POST', '/auth/sign-out', z.unknown(), {
            body: { refreshToken: current.refreshToken },
            token: accessToken,
          });
        })();
        let timer: ReturnType<typeof setTimeout> | undefined;
        const timeout = new Promise(
          (resolve) => (timer = setTimeout(resolve, deps.signOutTimeoutMs ?? 5000)),
        );
        await Promise.race([revoke.catch(() => undefined), timeout]);
        clearTimeout(timer);
      }
      await save({ url: stored.url, clientId: stored.clientId });
    },
    async members(now: number): Promise<Member[]> {
      const { url } = await requireSession();
      return (await call(url, 'GET', '/team/members', MemberList, { token: await token(now) })).members;
    },
    async invite(role: Role, now: number): Promise<z.infer<typeof Invite>> {
      const { url } = await requireSession();
      return call(url, 'POST', '/team/invites', Invite, { body: { role }, token: await token(now) });
    },
    async setRole(memberId: string, role: Role, now: number): Promise<void> {
      const { url } = await requireSession();
      await call(url, 'PATCH', `/team/members/${encodeURIComponent(memberId)}`, z.unknown(), {
        body: { role },
        token: await token(now),
      });
    },
  };
}
export type BackendSession = ReturnType<typeof createBackendSession>;
