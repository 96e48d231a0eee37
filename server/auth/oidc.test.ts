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
      nonce: 'n1',
    });
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
