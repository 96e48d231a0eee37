// @vitest-environment node
import { randomUUID } from 'node:crypto';
import { generateKeyPair, SignJWT } from 'jose';
import type { KyselyPlugin, RootOperationNode } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Member, Session } from '../../lib/contract/auth';
import { createTestServer, type TestServer } from '../testing/harness';

/** Makes the next insert into `failInsertInto` fail, as a database failure would (its transaction rolls back). */
let failInsertInto: string | undefined;
const failing = new Set<unknown>();
const failures: KyselyPlugin = {
  transformQuery({ node, queryId }) {
    if (failInsertInto && insertsInto(node) === failInsertInto) {
      failing.add(queryId);
      failInsertInto = undefined;
    }
    return node;
  },
  async transformResult({ queryId, result }) {
    if (failing.delete(queryId)) throw new Error('database failure');
    return result;
  },
};
function insertsInto(node: RootOperationNode): string | undefined {
  return node.kind === 'InsertQueryNode' ? node.into?.table.identifier.name : undefined;
}

let t: TestServer;
beforeAll(async () => {
  t = await createTestServer({ plugins: [failures] });
}, 60_000);
afterAll(() => t?.close());

async function nonce(): Promise<string> {
  return (await t.call<{ nonce: string }>('POST', '/auth/nonce')).body.nonce;
}

async function signInWith(idToken: string, n: string) {
  return t.call<{ error: { code: string; message: string } }>('POST', '/auth/signin', {
    body: { idToken, nonce: n },
  });
}

describe('sign-in with an OpenID Connect ID token', () => {
  it('starts a team with the newcomer as its admin', async () => {
    const session = await t.signIn({ email: 'Ada@Example.com' });
    expect(session.user).toMatchObject({ email: 'ada@example.com', role: 'admin' });
    const me = await t.call<Member>('GET', '/me', { token: session.accessToken });
    expect(me).toEqual({ status: 200, body: session.user });
  });

  it('signs the same account into the same member again', async () => {
    const sub = randomUUID();
    const first = await t.signIn({ sub });
    const second = await t.signIn({ sub });
    expect(second.user).toEqual(first.user);
  });

  it('accepts each nonce once', async () => {
    const n = await nonce();
    const idToken = await t.issuer.idToken({ sub: randomUUID(), email: 'a@example.com', nonce: n });
    expect((await signInWith(idToken, n)).status).toBe(200);
    const replay = await signInWith(idToken, n);
    expect(replay.status).toBe(401);
    expect(replay.body.error.code).toBe('invalid_nonce');
  });

  it('refuses a token minted for another sign-in (its nonce differs)', async () => {
    const idToken = await t.issuer.idToken({
      sub: randomUUID(),
      email: 'a@example.com',
      nonce: await nonce(),
    });
    const res = await signInWith(idToken, await nonce());
    expect(res.status).toBe(401);
    expect(res.body.error.message).toMatch(/nonce/);
  });

  it('refuses ID tokens that are forged, expired, for another app or from an unknown issuer', async () => {
    const { privateKey: otherKey } = await generateKeyPair('RS256');
    const claims = async () => ({ sub: randomUUID(), email: 'eve@example.com', nonce: await nonce() });
    const cases: [string, (c: Awaited<ReturnType<typeof claims>>) => Promise<string>][] = [
      ['signed with another key', (c) => t.issuer.idToken(c, { key: otherKey })],
      ['expired', (c) => t.issuer.idToken(c, { expiresIn: '-10m' })],
      ['for another audience', (c) => new SignJWT(c).setProtectedHeader({ alg: 'RS256' }).sign(otherKey)],
      [
        'alg none',
        async (c) =>
          `${b64({ alg: 'none', typ: 'JWT' })}.${b64({ ...c, iss: t.issuer.issuer, aud: t.issuer.audience, exp: 9e9, iat: 1 })}.`,
      ],
      [
        'altered after signing',
        async (c) => {
          const [h, , s] = (await t.issuer.idToken(c)).split('.');
          return `${h}.${b64({ ...c, email: 'ceo@example.com', iss: t.issuer.issuer, aud: t.issuer.audience, exp: 9e9 })}.${s}`;
        },
      ],
      [
        'from an issuer not configured',
        async (c) =>
          new SignJWT(c)
            .setProtectedHeader({ alg: 'RS256' })
            .setIssuer('https://evil.example')
            .setExpirationTime('5m')
            .sign(otherKey),
      ],
    ];
    for (const [name, make] of cases) {
      const c = await claims();
      const res = await signInWith(await make(c), c.nonce);
      expect(res.status, name).toBe(401);
      expect(Object.keys(res.body), name).toEqual(['error']);
    }
  });
});

describe('ID tokens with claims the server cannot use', () => {
  type Refusal = { error: { code: string; message: string } };

  it('are refused with 401 naming the claim, and their nonce is used up', async () => {
    const cases: [string, Record<string, unknown>, RegExp][] = [
      ['an email that is not an address', { email: 'not-an-email' }, /claim email: is not an email/],
      ['a numeric nonce', { nonce: 12345 }, /claim nonce: .*expected string/],
      ['email_verified neither true nor false', { email_verified: 'yes' }, /claim email_verified:/],
      ['email_verified false', { email_verified: 'false' }, /not verified/],
    ];
    for (const [name, claims, message] of cases) {
      const n = await nonce();
      const idToken = await t.issuer.idToken({
        sub: randomUUID(),
        email: 'rep@example.com',
        nonce: n,
        ...claims,
      } as { sub: string; nonce: string });
      const res = await signInWith(idToken, n);
      expect(res.status, name).toBe(401);
      expect(res.body.error.code, name).toBe('invalid_id_token');
      expect(res.body.error.message, name).toMatch(message);
      expect(res.body.error.message, name).toMatch(/nonce is used up, ask \/auth\/nonce for a new one/);
      const again = await t.call<Refusal>('POST', '/auth/signin', { body: { idToken, nonce: n } });
      expect(again.body.error.code, name).toBe('invalid_nonce');
    }
  });

  it('accept email_verified sent as the string "true"', async () => {
    const n = await nonce();
    const idToken = await t.issuer.idToken({
      sub: randomUUID(),
      email: 'Rep@Example.com',
      nonce: n,
      email_verified: 'true',
    });
    const res = await t.call<Session>('POST', '/auth/signin', { body: { idToken, nonce: n } });
    expect(res.status).toBe(200);
    expect(res.body.user.email).toBe('rep@example.com');
  });
});

describe('a sign-in that fails', () => {
  it('with an unknown invite answers 403, and its nonce is used up', async () => {
    const n = await nonce();
    const idToken = await t.issuer.idToken({ sub: randomUUID(), email: 'a@example.com', nonce: n });
    const res = await t.call<{ error: { code: string } }>('POST', '/auth/signin', {
      body: { idToken, nonce: n, invite: 'made-up' },
    });
    expect(res).toMatchObject({ status: 403, body: { error: { code: 'invalid_invite' } } });
    expect((await signInWith(idToken, n)).body.error.code).toBe('invalid_nonce');
  });

  it('on a database failure answers 500, writes nothing, and the same sign-in works on retry', async () => {
    for (const table of ['users', 'refresh_tokens']) {
      const n = await nonce();
      const sub = randomUUID();
      const idToken = await t.issuer.idToken({ sub, email: 'a@example.com', nonce: n });
      failInsertInto = table;
      const failed = await signInWith(idToken, n);
      expect(failed.status, table).toBe(500);
      expect(failed.body.error.message, table).toMatch(/nothing was written/);
      const retried = await t.call<Session>('POST', '/auth/signin', { body: { idToken, nonce: n } });
      expect(retried.status, table).toBe(200);
    }
  });
});

describe('sessions', () => {
  it('expire after 15 minutes and are renewed with the refresh token, once', async () => {
    const session = await t.signIn();
    t.advance(16 * 60_000);
    expect((await t.call('GET', '/me', { token: session.accessToken })).status).toBe(401);
    const renewed = await t.call<Session>('POST', '/auth/refresh', {
      body: { refreshToken: session.refreshToken },
    });
    expect(renewed.status).toBe(200);
    expect((await t.call('GET', '/me', { token: renewed.body.accessToken })).status).toBe(200);
    const again = await t.call('POST', '/auth/refresh', { body: { refreshToken: session.refreshToken } });
    expect(again.status).toBe(401);
  });

  it('a refresh whose new session cannot be stored answers 500 and leaves the old refresh token working', async () => {
    const session = await t.signIn();
    failInsertInto = 'refresh_tokens';
    const failed = await t.call<{ error: { message: string } }>('POST', '/auth/refresh', {
      body: { refreshToken: session.refreshToken },
    });
    expect(failed.status).toBe(500);
    expect(failed.body.error.message).toMatch(/nothing was written/);
    const retried = await t.call<Session>('POST', '/auth/refresh', {
      body: { refreshToken: session.refreshToken },
    });
    expect(retried.status).toBe(200);
    expect((await t.call('GET', '/me', { token: retried.body.accessToken })).status).toBe(200);
  });

  it('sign out with no body, even with an expired access token; the refresh token dies with them', async () => {
    const session = await t.signIn();
    t.advance(16 * 60_000);
    const out = await t.call('POST', '/auth/sign-out', { token: session.accessToken });
    expect(out.status).toBe(204);
    expect(
      (await t.call('POST', '/auth/refresh', { body: { refreshToken: session.refreshToken } })).status,
    ).toBe(401);
    // No token at all, or a forged one, is refused.
    expect((await t.call('POST', '/auth/sign-out')).status).toBe(401);
    expect((await t.call('POST', '/auth/sign-out', { token: 'not.a.token' })).status).toBe(401);
  });

  it('sign out by refresh token alone; nobody signs out another member with their own bearer', async () => {
    const mine = await t.signIn();
    const theirs = await t.signIn();
    expect(
      (await t.call('POST', '/auth/sign-out', { body: { refreshToken: mine.refreshToken } })).status,
    ).toBe(204);
    expect((await t.call('GET', '/me', { token: mine.accessToken })).status).toBe(401);
    const other = await t.signIn();
    const tried = await t.call('POST', '/auth/sign-out', {
      token: other.accessToken,
      body: { refreshToken: theirs.refreshToken },
    });
    expect(tried.status).toBe(204); // the caller's own session ends, not theirs
    expect((await t.call('GET', '/me', { token: theirs.accessToken })).status).toBe(200);
    expect((await t.call('GET', '/me', { token: other.accessToken })).status).toBe(401);
  });

  it('end at once for a removed member', async () => {
    const { admin, members } = await t.newTeam('rep');
    const rep = members[0]!;
    const removed = await t.call('DELETE', `/team/members/${rep.user.id}`, { token: admin.accessToken });
    expect(removed.status).toBe(204);
    expect((await t.call('GET', '/me', { token: rep.accessToken })).status).toBe(401);
    expect((await t.call('POST', '/auth/refresh', { body: { refreshToken: rep.refreshToken } })).status).toBe(
      401,
    );
  });
});

describe('teams, invites and roles', () => {
  it('an invite link brings a member in with its role, once', async () => {
    const { admin } = await t.newTeam();
    const invite = await t.call<{ token: string; url: string }>('POST', '/team/invites', {
      token: admin.accessToken,
      body: { role: 'manager' },
    });
    expect(invite.status).toBe(201);
    expect(invite.body.url).toContain(invite.body.token);
    const manager = await t.signIn({ invite: invite.body.token });
    expect(manager.user).toMatchObject({ role: 'manager', teamId: admin.user.teamId });
    await expect(t.signIn({ invite: invite.body.token })).rejects.toThrow(/403/);
  });

  it('an admin changes roles; the change holds on the next request', async () => {
    const { admin, members } = await t.newTeam('rep');
    const rep = members[0]!;
    expect((await t.call('GET', '/team/members', { token: rep.accessToken })).status).toBe(403);
    const promoted = await t.call<Member>('PATCH', `/team/members/${rep.user.id}`, {
      token: admin.accessToken,
      body: { role: 'manager' },
    });
    expect(promoted.body.role).toBe('manager');
    const list = await t.call<{ members: Member[] }>('GET', '/team/members', { token: rep.accessToken });
    expect(list.status).toBe(200);
    expect(list.body.members.map((m) => m.id).sort()).toEqual([admin.user.id, rep.user.id].sort());
  });
});

function b64(value: object): string {
  return Buffer.from(JSON.stringify(value)).toString('base64url');
}
