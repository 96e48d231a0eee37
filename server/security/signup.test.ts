// @vitest-environment node
import { describe, expect, it } from 'vitest';
import { maySignUp } from '../auth/routes';
import type { VerifiedIdentity } from '../auth/oidc';
import { loadEnv, type SignupPolicy } from '../env';

const secrets = {
  NODE_ENV: 'production',
  SESSION_SECRET: 's'.repeat(32),
  TRACKING_SECRET: 't'.repeat(32),
  PUBLIC_URL: 'https://threadline.acme.test',
};

describe('sign-up settings', () => {
  it('default to invite in production and open elsewhere, and read the lists', () => {
    expect(loadEnv(secrets).SIGNUP).toBe('invite');
    expect(loadEnv({}).SIGNUP).toBe('open');
    const env = loadEnv({
      ...secrets,
      SIGNUP: 'domains',
      ADMIN_EMAILS: ' Boss@Acme.test , ops@acme.test',
      ALLOWED_EMAIL_DOMAINS: 'acme.test,acme.example',
      ALLOWED_MICROSOFT_TIDS: '72F988BF-86F1-41AF-91AB-2D7CD011DB47',
    });
    expect(env).toMatchObject({
      SIGNUP: 'domains',
      ADMIN_EMAILS: ['boss@acme.test', 'ops@acme.test'],
      ALLOWED_EMAIL_DOMAINS: ['acme.test', 'acme.example'],
      ALLOWED_GOOGLE_HD: [],
      ALLOWED_MICROSOFT_TIDS: ['72f988bf-86f1-41af-91ab-2d7cd011db47'],
      TRACKING_LINK_TTL_DAYS: 365,
    });
  });

  it('stop the server with a message naming each bad variable', () => {
    expect(() =>
      loadEnv({
        ...secrets,
        SIGNUP: 'everyone',
        ADMIN_EMAILS: 'boss',
        ALLOWED_EMAIL_DOMAINS: 'https://acme.test',
        ALLOWED_MICROSOFT_TIDS: 'contoso',
        TRACKING_LINK_TTL_DAYS: '0',
      }),
    ).toThrow(
      /SIGNUP:[^\n]*\n.*ADMIN_EMAILS\.0: must be email addresses[^\n]*\n.*ALLOWED_EMAIL_DOMAINS\.0: must be domain names[^\n]*\n.*ALLOWED_MICROSOFT_TIDS\.0: must be tenant ids[^\n]*\n.*TRACKING_LINK_TTL_DAYS/,
    );
    expect(() => loadEnv({ ...secrets, SIGNUP: 'domains' })).toThrow(
      /SIGNUP: domains needs ALLOWED_EMAIL_DOMAINS, ALLOWED_GOOGLE_HD or ALLOWED_MICROSOFT_TIDS/,
    );
  });
});

describe('who may start a team', () => {
  const policy = (mode: SignupPolicy['mode']): SignupPolicy => ({
    mode,
    adminEmails: ['boss@acme.test'],
    emailDomains: ['acme.test'],
    googleHd: ['acme.example'],
    microsoftTids: ['72f988bf-86f1-41af-91ab-2d7cd011db47'],
  });
  const who = (email: string, extra: Partial<VerifiedIdentity> = {}): VerifiedIdentity => ({
    issuer: 'https://accounts.google.com',
    subject: '1',
    email,
    emailVerified: true,
    nonce: 'n',
    ...extra,
  });

  it('by invite: only a verified admin address', () => {
    expect(maySignUp(policy('invite'), who('boss@acme.test'))).toBe(true);
    expect(maySignUp(policy('invite'), who('boss@acme.test', { emailVerified: false }))).toBe(false);
    expect(maySignUp(policy('invite'), who('rep@acme.test'))).toBe(false);
  });

  it('by domains: verified addresses of the domains, Workspace domains, Microsoft tenants', () => {
    const p = policy('domains');
    expect(maySignUp(p, who('rep@acme.test'))).toBe(true);
    expect(maySignUp(p, who('rep@acme.test', { emailVerified: false }))).toBe(false);
    expect(maySignUp(p, who('rep@sub.acme.test'))).toBe(false);
    expect(maySignUp(p, who('rep@acme.test.evil.test'))).toBe(false);
    expect(maySignUp(p, who('rep@other.test', { hd: 'acme.example' }))).toBe(true);
    expect(maySignUp(p, who('rep@other.test', { tenant: '72F988BF-86F1-41AF-91AB-2D7CD011DB47' }))).toBe(
      true,
    );
    expect(maySignUp(p, who('rep@other.test', { tenant: 'another' }))).toBe(false);
  });

  it('open: anyone', () => {
    expect(maySignUp(policy('open'), who('anyone@anywhere.test', { emailVerified: false }))).toBe(true);
  });
});
