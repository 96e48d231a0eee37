// @vitest-environment node
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { findBrowser, hasDisplay } from './demo-browser';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tl-demo-browser-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('npm start opens a browser only where one can be shown', () => {
  it('sees a screen on Linux through $DISPLAY, $WAYLAND_DISPLAY or a Wayland socket, and none otherwise', () => {
    expect(hasDisplay({ DISPLAY: ':0' }, 'linux')).toBe(true);
    expect(hasDisplay({ WAYLAND_DISPLAY: 'wayland-0' }, 'linux')).toBe(true);
    expect(hasDisplay({}, 'linux')).toBe(false);
    expect(hasDisplay({ XDG_RUNTIME_DIR: dir }, 'linux')).toBe(false);
    fs.writeFileSync(path.join(dir, 'wayland-1'), '');
    expect(hasDisplay({ XDG_RUNTIME_DIR: dir }, 'linux')).toBe(true);
    expect(hasDisplay({}, 'darwin')).toBe(true);
  });

  it('takes CHROMIUM_PATH first, and nothing that does not exist', () => {
    const browser = path.join(dir, 'my-chromium');
    fs.writeFileSync(browser, '');
    expect(findBrowser({ CHROMIUM_PATH: browser }, 'linux')).toBe(browser);
    expect(findBrowser({ CHROMIUM_PATH: path.join(dir, 'missing') }, 'sunos')).toBeUndefined();
  });
});
