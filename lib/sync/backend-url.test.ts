import { describe, expect, it } from 'vitest';
import { checkBackendUrl } from './backend-url';

describe('the backend address', () => {
  it('is taken over https, without its trailing slash', () => {
    expect(checkBackendUrl(' https://threadline.acme.test/ ', false)).toBe('https://threadline.acme.test');
  });

  it('is refused over plain http in a production build, with the reason', () => {
    expect(() => checkBackendUrl('http://threadline.acme.test', false)).toThrow(
      '"http://threadline.acme.test" is not an https address: Threadline reaches its backend over https only',
    );
    expect(() => checkBackendUrl('http://localhost:8787', false)).toThrow(/not an https address/);
  });

  it('may be a local http backend in the demo and the tests', () => {
    expect(checkBackendUrl('http://localhost:8787/', true)).toBe('http://localhost:8787');
  });

  it('names what is wrong with anything else', () => {
    expect(() => checkBackendUrl('ftp://example.com', true)).toThrow(
      '"ftp://example.com" is not an http(s) address',
    );
    expect(() => checkBackendUrl('threadline', true)).toThrow('"threadline" is not an address');
    expect(() => checkBackendUrl('https://me:pw@threadline.acme.test', false)).toThrow(
      /user name or password/,
    );
  });
});
