// @vitest-environment node
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createOAuthClient, type StoredTokens } from '../../lib/mail/oauth';
import { createGmailProvider } from '../../lib/mail/gmail/provider';
import { startSandbox, type Sandbox } from './server';

let sandbox: Sandbox;
beforeAll(async () => {
  sandbox = await startSandbox({ port: 0 });
  sandbox.addMailbox('rep@demo.example', 'gmail');
});
afterAll(() => sandbox.stop());

/** What identity.launchWebAuthFlow does: follow the authorize URL to the redirect and hand it back. */
const launch = async (url: string) =>
  (await fetch(url, { redirect: 'manual' })).headers.get('location') ?? undefined;

function client(loginHint: string, tokens = new Map<string, StoredTokens>()) {
  return createOAuthClient({
    config: {
      provider: 'google',
      clientId: 'threadline-demo',
      redirectUri: 'https://abcdefghijklmnop.chromiumapp.org/',
      loginHint,
      endpoints: { authorize: `${sandbox.url}/oauth/authorize`, token: `${sandbox.url}/oauth/token` },
    },
    fetch,
    launchWebAuthFlow: launch,
    store: {
      get: async (k) => tokens.get(k),
      set: async (k, v) => void tokens.set(k, v),
      delete: async (k) => void tokens.delete(k),
    },
    storeKey: `google:${loginHint}`,
    clock: () => Date.now(),
  });
}

describe('the sandbox as an OAuth server', () => {
  it('connects a sandbox mailbox with the real PKCE flow, and the token works on its Gmail API', async () => {
    const oauth = client('rep@demo.example');
    expect(await oauth.signIn()).toBe('rep@demo.example');
    const gmail = createGmailProvider({
      mailbox: 'rep@demo.example',
      baseUrl: sandbox.gmailBase,
      getAccessToken: () => oauth.getAccessToken(),
      fetch,
      clock: Date.now,
    });
    expect((await gmail.changesSince(undefined)).resynced).toBe(false);
  });

  it('refuses an unknown mailbox and a wrong PKCE verifier', async () => {
    await expect(client('nobody@demo.example').signIn()).rejects.toThrow(/refused: access_denied/);
    const auth = new URL(`${sandbox.url}/oauth/authorize`);
    for (const [k, v] of Object.entries({
      response_type: 'code',
      client_id: 'c',
      redirect_uri: 'https://x.chromiumapp.org/',
      code_challenge: 'abc',
      code_challenge_method: 'S256',
      login_hint: 'rep@demo.example',
      state: 's',
    }))
      auth.searchParams.set(k, v);
    const code = new URL((await launch(auth.toString()))!).searchParams.get('code')!;
    const answer = await fetch(`${sandbox.url}/oauth/token`, {
      method: 'POST',
      body: new URLSearchParams({
        grant_type: 'authorization_code',
        code,
        code_verifier: 'wrong',
        client_id: 'c',
        redirect_uri: 'https://x.chromiumapp.org/',
      }),
    });
    expect(answer.status).toBe(400);
    expect(await answer.json()).toMatchObject({ error: 'invalid_grant' });
  });
});
