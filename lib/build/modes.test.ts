import { describe, expect, it } from 'vitest';
import { allowsLocalHosts, hostPermissionsFor, optionalHostPermissionsFor } from './modes';

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
});
