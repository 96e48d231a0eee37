// @vitest-environment node
import { afterAll, describe, expect, it } from 'vitest';
import { startTestIssuer, type TestIssuer } from '../testing/issuer';
import { createIdTokenVerifier } from './oidc';

const issuers: TestIssuer[] = [];
afterAll(() => Promise.all(issuers.map((i) => i.close())));

async function microsoftLike(announcedIssuer?: string) {
  const issuer = await startTestIssuer('ms-client', {
    multiTenant: true,
    ...(announcedIssuer ? { announcedIssuer } : {}),
  });
  issuers.push(issuer);
  const verify = createIdTokenVerifier([
    { issuer: issuer.issuer, audiences: ['ms-client'], discoveryUrl: issuer.discoveryUrl },
  ]);
  return { issuer, verify };
}

describe('Microsoft accounts of any tenant', () => {
  it('are accepted through the common discovery document, one identity per tenant and subject', async () => {
    const { issuer, verify } = await microsoftLike();
    const token = await issuer.idToken(
      { sub: 'abc', preferred_username: 'Rep@Contoso.com', nonce: 'n1', email_verified: undefined },
      { tenant: '72f988bf-86f1-41af-91ab-2d7cd011db47' },
    );
    expect(await verify(token, 'n1')).toEqual({
      issuer: issuer.issuer,
      subject: '72f988bf-86f1-41af-91ab-2d7cd011db47:abc',
      email: 'rep@contoso.com',
      // A work tenant's UPN is on a domain the tenant verified.
      emailVerified: true,
      tenant: '72f988bf-86f1-41af-91ab-2d7cd011db47',
      nonce: 'n1',
    });
  });

  it('take an email claim as verified only with xms_edov, else the work tenant’s UPN, else mark it unverified', async () => {
    const { issuer, verify } = await microsoftLike();
    const tenant = '72f988bf-86f1-41af-91ab-2d7cd011db47';
    const claims = { sub: 'abc', nonce: 'n1', email_verified: undefined };
    const check = async (extra: Record<string, unknown>, on = tenant) =>
      verify(await issuer.idToken({ ...claims, ...extra }, { tenant: on }), 'n1');
    expect(await check({ email: 'ann@contoso.com', xms_edov: true })).toMatchObject({
      email: 'ann@contoso.com',
      emailVerified: true,
    });
    expect(await check({ email: 'ceo@victim.com', preferred_username: 'mallory@contoso.com' })).toMatchObject(
      { email: 'mallory@contoso.com', emailVerified: true },
    );
    expect(await check({ email: 'ceo@victim.com' })).toMatchObject({
      email: 'ceo@victim.com',
      emailVerified: false,
    });
    // Personal accounts' tenant: the UPN is any address a person typed.
    expect(
      await check({ preferred_username: 'someone@gmail.com' }, '9188040d-6c67-4c5b-b112-36a304b66dad'),
    ).toMatchObject({ email: 'someone@gmail.com', emailVerified: false });
  });

  it('are refused when the tid claim disagrees with the issuer’s tenant', async () => {
    const { issuer, verify } = await microsoftLike();
    const token = await issuer.idToken(
      { sub: 'abc', email: 'rep@contoso.com', nonce: 'n1', tid: 'other-tenant' },
      { tenant: 'contoso' },
    );
    await expect(verify(token, 'n1')).rejects.toThrow(/tenant/);
  });

  it('are refused when the discovery document names another issuer', async () => {
    const { issuer, verify } = await microsoftLike('https://login.evil.example/{tenantid}/v2.0');
    const token = await issuer.idToken(
      { sub: 'abc', email: 'rep@contoso.com', nonce: 'n1' },
      { tenant: 'contoso' },
    );
    await expect(verify(token, 'n1')).rejects.toThrow(/discovery document names issuer/);
  });

  it('are refused without an email address', async () => {
    const { issuer, verify } = await microsoftLike();
    const token = await issuer.idToken({ sub: 'abc', nonce: 'n1' }, { tenant: 'contoso' });
    await expect(verify(token, 'n1')).rejects.toThrow(/no email/);
  });
});

describe('Google-style single issuers', () => {
  it('refuse an address the provider has not verified', async () => {
    const issuer = await startTestIssuer('g-client');
    issuers.push(issuer);
    const verify = createIdTokenVerifier([{ issuer: issuer.issuer, audiences: ['g-client'] }]);
    const token = await issuer.idToken({
      sub: '1',
      email: 'rep@gmail.com',
      email_verified: false,
      nonce: 'n',
    });
    await expect(verify(token, 'n')).rejects.toThrow(/not verified/);
    const ok = await issuer.idToken({ sub: '1', email: 'rep@gmail.com', nonce: 'n' });
    expect((await verify(ok, 'n')).subject).toBe('1');
  });
});
