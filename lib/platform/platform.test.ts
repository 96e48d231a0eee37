import { beforeEach, describe, expect, it } from 'vitest';
import { fakeBrowser } from 'wxt/testing';
import { browserPermissions } from './permissions';
import { browserRuntime } from './runtime';
import { browserStorage } from './storage';
import { browserSidePanel } from './side-panel';
import {
  createFakePermissions,
  createFakeRuntime,
  createFakeStorageArea,
  createFakeTabs,
  matchesPattern,
} from './testing';

// Under WxtVitest, `browser` (the implementations' default) is WXT's fakeBrowser.
beforeEach(() => fakeBrowser.reset());

describe('the browser implementations', () => {
  it('keep, read back and forget storage items, telling listeners what changed', async () => {
    const { local, session } = browserStorage();
    const seen: unknown[] = [];
    local.onChanged.addListener((changes) => seen.push(changes));
    await local.set({ a: 1, b: { c: 'x' } });
    expect(await local.get(null)).toEqual({ a: 1, b: { c: 'x' } });
    await local.remove('a');
    expect(await local.get(['a', 'b'])).toEqual({ b: { c: 'x' } });
    expect(await session.get('b')).toEqual({});
    expect(seen[0]).toMatchObject({ a: { newValue: 1 }, b: { newValue: { c: 'x' } } });
  });

  it('address the extension’s pages and deliver messages to the runtime’s listeners', async () => {
    const runtime = browserRuntime();
    expect(runtime.getURL('/options.html')).toBe(fakeBrowser.runtime.getURL('/options.html'));
    expect(runtime.id).toBe(fakeBrowser.runtime.id);
    runtime.onMessage.addListener((m) => Promise.resolve({ echo: m }));
    expect(await fakeBrowser.runtime.sendMessage('hi')).toEqual({ echo: 'hi' });
  });

  it('open the side panel from the toolbar where the browser has one, and say so where it has not', async () => {
    const calls: unknown[] = [];
    const chrome = browserSidePanel({ setPanelBehavior: async (b) => void calls.push(b) });
    expect(await chrome.openOnActionClick()).toBe(true);
    expect(calls).toEqual([{ openPanelOnActionClick: true }]);
    expect(await browserSidePanel(undefined).openOnActionClick()).toBe(false);
  });

  it('ask for a backend’s origin as a host permission pattern, and pass on the rep’s answer', async () => {
    const asked: unknown[] = [];
    let answer = true;
    const permissions = browserPermissions({ request: async (p) => (asked.push(p), answer) });
    expect(await permissions.requestOrigin('https://backend.example')).toBe(true);
    answer = false;
    expect(await permissions.requestOrigin('http://localhost:8787')).toBe(false);
    expect(asked).toEqual([
      { origins: ['https://backend.example/*'] },
      { origins: ['http://localhost:8787/*'] },
    ]);
  });
});

describe('the fakes', () => {
  it('grant the origins the rep allows and keep them, refusing the others and malformed ones', async () => {
    const permissions = createFakePermissions((origin) => origin.startsWith('https://'));
    expect(await permissions.requestOrigin('https://backend.example')).toBe(true);
    expect(await permissions.requestOrigin('http://backend.example')).toBe(false);
    await expect(permissions.requestOrigin('not an origin')).rejects.toThrow();
    expect([...permissions.granted]).toEqual(['https://backend.example']);
    expect(permissions.asked).toEqual(['https://backend.example', 'http://backend.example']);
  });

  it('match addresses as the browser’s match patterns do', () => {
    expect(matchesPattern('https://mail.google.com/mail/u/0/#inbox', 'https://mail.google.com/*')).toBe(true);
    expect(matchesPattern('https://outlook.office.com/mail/', 'https://*.office.com/*')).toBe(true);
    expect(matchesPattern('https://office.com/mail/', 'https://*.office.com/*')).toBe(true);
    expect(matchesPattern('https://evil-office.com/mail/', 'https://*.office.com/*')).toBe(false);
    expect(matchesPattern('http://mail.google.com/', 'https://mail.google.com/*')).toBe(false);
    expect(matchesPattern('http://localhost:5173/inbox', 'http://localhost/*')).toBe(true);
    expect(() => matchesPattern('https://a.example/', 'mail.google.com')).toThrow('Invalid match pattern');
  });

  it('copy what is stored and what is sent, as the browser does between contexts', async () => {
    const area = createFakeStorageArea();
    const value = { n: 1 };
    await area.set({ k: value });
    value.n = 2;
    expect(await area.get('k')).toEqual({ k: { n: 1 } });
    const tabs = createFakeTabs([{ id: 1, url: 'https://mail.google.com/' }]);
    await expect(tabs.sendMessage(2, 'x')).rejects.toThrow('No tab with id: 2.');
    const runtime = createFakeRuntime();
    await expect(runtime.from('https://a.example/').sendMessage('x')).rejects.toThrow(
      'Receiving end does not exist',
    );
  });
});
