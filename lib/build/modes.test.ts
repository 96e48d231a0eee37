import { describe, expect, it } from 'vitest';
import {
  allowsLocalHosts,
  blankedEnvFor,
  hostPermissionsFor,
  optionalHostPermissionsFor,
  SHIP_GOOGLE_SECRET_ENV,
} from './modes';

describe('build modes', () => {
  it('gives a production build no local host and no http backend', () => {
    expect(hostPermissionsFor('production').filter((p) => p.startsWith('http:'))).toEqual([]);
    expect(optionalHostPermissionsFor('production')).toEqual(['https://*/*']);
  });

  it('lets the demo, the tests and development reach the mail sandbox and a local backend', () => {
    for (const mode of ['demo', 'test', 'development']) {
      expect(hostPermissionsFor(mode)).toEqual(
        expect.arrayContaining(['http://127.0.0.1/*', 'http://localhost/*']),
      );
      expect(optionalHostPermissionsFor(mode)).toContain('http://*/*');
    }
  });

  it('treats a mode it does not know as production', () => {
    expect(allowsLocalHosts('staging')).toBe(false);
    expect(allowsLocalHosts('Demo')).toBe(false);
    expect(hostPermissionsFor('staging')).toEqual(hostPermissionsFor('production'));
  });

  it('blanks the Google client secret out of production unless the publisher ships it as public on purpose', () => {
    const secret = 'import.meta.env.WXT_GOOGLE_CLIENT_SECRET';
    expect(blankedEnvFor('production', { WXT_GOOGLE_CLIENT_SECRET: 's' })).toEqual({ [secret]: 'undefined' });
    // A near miss is not a decision: only the exact word keeps it.
    for (const value of ['1', 'yes', 'true', 'PUBLIC', ''])
      expect(blankedEnvFor('production', { [SHIP_GOOGLE_SECRET_ENV]: value })).toEqual({
        [secret]: 'undefined',
      });
    expect(blankedEnvFor('production', { [SHIP_GOOGLE_SECRET_ENV]: 'public' })).toEqual({});
    expect(blankedEnvFor('staging', {})).toEqual({ [secret]: 'undefined' });
    expect(blankedEnvFor('demo', {})).toEqual({});
  });
});
