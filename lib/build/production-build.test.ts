// @vitest-environment node
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

/**
 * The production build as `npm run build` makes it (WXT's own build, mode production), into a folder of its own
 * so it never races the end-to-end build in .output/. The Google client secret is set in the environment the way
 * a careless release would set it.
 */
const CANARY = '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p';
let out: string;
let manifest: {
  host_permissions: string[];
  optional_host_permissions?: string[];
  content_scripts?: { matches: string[] }[];
  web_accessible_resources?: { matches: string[] }[];
};

const filesUnder = (dir: string): string[] =>
  fs
    .readdirSync(dir, { withFileTypes: true })
    .flatMap((e) => (e.isDirectory() ? filesUnder(path.join(dir, e.name)) : [path.join(dir, e.name)]));

beforeAll(() => {
  out = fs.mkdtempSync(path.join(os.tmpdir(), 'threadline-production-'));
  const run = spawnSync(
    process.execPath,
    [
      path.resolve('node_modules/tsx/dist/cli.mjs'),
      '--eval',
      `import('wxt').then(({ build }) => build({ mode: 'production', outDir: ${JSON.stringify(out)} }))`,
    ],
    { env: { ...process.env, WXT_GOOGLE_CLIENT_SECRET: CANARY }, encoding: 'utf8' },
  );
  if (run.status !== 0) throw new Error(`the production build failed:\n${run.stdout}\n${run.stderr}`);
  manifest = JSON.parse(fs.readFileSync(path.join(out, 'chrome-mv3', 'manifest.json'), 'utf8'));
}, 180_000);
afterAll(() => fs.rmSync(out, { recursive: true, force: true }));

describe('the production build', () => {
  it('asks for no local host and no http backend', () => {
    const all = [...manifest.host_permissions, ...(manifest.optional_host_permissions ?? [])];
    expect(all.filter((p) => p.startsWith('http:'))).toEqual([]);
    expect(all.some((p) => p.includes('127.0.0.1') || p.includes('localhost'))).toBe(false);
    // It still reaches what a rep needs.
    expect(manifest.host_permissions).toContain('https://gmail.googleapis.com/*');
    expect(manifest.optional_host_permissions).toEqual(['https://*/*']);
  });

  it('runs its content scripts on the real mail hosts only, never the demo inbox', () => {
    const matches = [
      ...(manifest.content_scripts ?? []).flatMap((c) => c.matches),
      ...(manifest.web_accessible_resources ?? []).flatMap((w) => w.matches),
    ];
    expect(matches.length).toBeGreaterThan(0);
    expect(matches.filter((m) => !m.startsWith('https://'))).toEqual([]);
  });

  it('never carries the Google client secret, even when the build environment has one', () => {
    const files = filesUnder(path.join(out, 'chrome-mv3'));
    expect(files.some((f) => f.endsWith('background.js'))).toBe(true);
    expect(files.filter((f) => fs.readFileSync(f).includes(CANARY))).toEqual([]);
  });
});
