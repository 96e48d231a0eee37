import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import JSZip from 'jszip';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { iconPaths } from '../../lib/platform/action-icon';
import { launchWithExtension, type ExtensionBrowser } from './support/browser';

/**
 * The store packages as `npm run zip` makes them (WXT's zip, mode production, for Chrome and for Firefox), into
 * a folder of their own so they never race the test build in .output/: what is in them, the Chrome package
 * loaded in Chromium from its unzipped files, and the Firefox package through Mozilla's linter (web-ext lint).
 */
const { version } = JSON.parse(fs.readFileSync('package.json', 'utf8')) as { version: string };
let out: string;
let browser: ExtensionBrowser | undefined;

interface Manifest {
  version: string;
  icons?: Record<string, string>;
  permissions?: string[];
  host_permissions?: string[];
  optional_host_permissions?: string[];
  optional_permissions?: string[];
  content_scripts?: { matches: string[] }[];
}

/** A Node script's exit code and output, without blocking the test's event loop (so two can run at once). */
function node(args: string[]): Promise<{ status: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, args, { maxBuffer: 64 * 1024 * 1024 }, (error, stdout, stderr) =>
      resolve({ status: error ? Number(error.code ?? 1) : 0, stdout, stderr }),
    );
  });
}

/** `wxt zip` through WXT's API, which takes an output folder (its command line does not). */
async function zip(browserName: 'chrome' | 'firefox'): Promise<void> {
  const run = await node([
    path.resolve('node_modules/tsx/dist/cli.mjs'),
    '--eval',
    `import('wxt').then(({ zip }) => zip({ mode: 'production', browser: '${browserName}', outDir: ${JSON.stringify(out)} }))`,
  ]);
  if (run.status !== 0) throw new Error(`wxt zip -b ${browserName} failed:\n${run.stdout}\n${run.stderr}`);
}

const packageOf = (browserName: string) => path.join(out, `threadline-${version}-${browserName}.zip`);
const openZip = async (file: string) => JSZip.loadAsync(fs.readFileSync(file));
const manifestOf = async (file: string) =>
  JSON.parse(await (await openZip(file)).file('manifest.json')!.async('string')) as Manifest;

/** Writes the package's files into a new folder, as a store or a rep unpacking it would have them. */
async function unzip(file: string): Promise<string> {
  const dir = fs.mkdtempSync(path.join(out, 'unzipped-'));
  const archive = await openZip(file);
  for (const entry of Object.values(archive.files)) {
    const target = path.join(dir, entry.name);
    if (!target.startsWith(dir + path.sep)) throw new Error(`${entry.name} would land outside the folder`);
    if (entry.dir) fs.mkdirSync(target, { recursive: true });
    else {
      fs.mkdirSync(path.dirname(target), { recursive: true });
      fs.writeFileSync(target, await entry.async('nodebuffer'));
    }
  }
  return dir;
}

/** The permissions justified in the README's "Packaging for the stores" table (first column, in backticks). */
function justifiedInReadme(): string[] {
  const readme = fs.readFileSync('README.md', 'utf8');
  const start = readme.indexOf('## Packaging for the stores');
  expect(start, 'README has a "Packaging for the stores" section').toBeGreaterThanOrEqual(0);
  const end = readme.indexOf('\n## ', start + 1);
  const section = readme.slice(start, end < 0 ? undefined : end);
  return section
    .split('\n')
    .filter((line) => line.startsWith('| `'))
    .map((line) => line.slice(3, line.indexOf('`', 3)));
}

/** Mozilla's linter on the unzipped Firefox package; started as soon as it exists, it runs beside the rest. */
let lint: Promise<{ status: number; stdout: string; stderr: string }>;

beforeAll(async () => {
  out = fs.mkdtempSync(path.join(os.tmpdir(), 'threadline-zip-'));
  await zip('firefox');
  const firefox = await unzip(packageOf('firefox'));
  lint = node([
    path.resolve('node_modules/web-ext/bin/web-ext.js'),
    'lint',
    '--source-dir',
    firefox,
    '--output',
    'json',
  ]);
  await zip('chrome');
}, 300_000);
afterAll(async () => {
  await browser?.close();
  fs.rmSync(out, { recursive: true, force: true });
});

describe('the store packages', () => {
  it('are made for Chrome and Firefox (with the sources Mozilla asks for), named with the version', () => {
    for (const name of ['chrome', 'firefox', 'sources'])
      expect(fs.existsSync(packageOf(name)), name).toBe(true);
  });

  it.each(['chrome', 'firefox'])(
    'carry the version from package.json, the icons, the privacy page and the changelog (%s)',
    async (name) => {
      const archive = await openZip(packageOf(name));
      const manifest = await manifestOf(packageOf(name));
      expect(manifest.version).toBe(version);
      expect(Object.keys(manifest.icons ?? {})).toEqual(['16', '32', '48', '128']);
      for (const icon of Object.values(manifest.icons ?? {})) expect(archive.file(icon), icon).not.toBeNull();
      expect(await archive.file('privacy.html')?.async('string')).toContain('Threadline and your data');
      expect(await archive.file('CHANGELOG.md')?.async('string')).toContain(`## ${version}`);
    },
  );

  it('ask only for permissions the README justifies, and the README justifies only those', async () => {
    const manifest = await manifestOf(packageOf('chrome'));
    const asked = [
      ...(manifest.permissions ?? []),
      ...(manifest.host_permissions ?? []),
      ...(manifest.optional_host_permissions ?? []),
    ];
    const mailPages = (manifest.content_scripts ?? []).flatMap((c) => c.matches);
    const justified = justifiedInReadme();
    expect(asked.filter((p) => !justified.includes(p))).toEqual([]);
    expect(justified.filter((p) => !asked.includes(p) && !mailPages.includes(p))).toEqual([]);
    expect(asked.filter((p) => p.startsWith('http:') || /localhost|127\.0\.0\.1/.test(p))).toEqual([]);
  });

  it('load in Chromium from the unzipped Chrome package, whose options page links to the privacy page', async () => {
    browser = await launchWithExtension(await unzip(packageOf('chrome')));
    const page = await browser.context.newPage();
    await page.goto(`chrome-extension://${browser.extensionId}/options.html#/settings`);
    await page.getByRole('heading', { name: 'Your data' }).waitFor();
    const [privacy] = await Promise.all([
      browser.context.waitForEvent('page'),
      page.getByRole('link', { name: /Privacy: what Threadline stores/ }).click(),
    ]);
    await privacy.getByRole('heading', { name: 'Threadline and your data' }).waitFor();
    expect(privacy.url()).toBe(`chrome-extension://${browser.extensionId}/privacy.html`);
  }, 120_000);

  it('let the toolbar icon turn to its on-hold variant and back (the icons setIcon names are in the package)', async () => {
    const worker = browser!.worker;
    const setIcon = (path: Record<string, string>) =>
      worker.evaluate(
        (p) =>
          (
            globalThis as unknown as { chrome: { action: { setIcon(d: object): Promise<void> } } }
          ).chrome.action
            .setIcon({ path: p })
            .then(
              () => 'set',
              (e: Error) => e.message,
            ),
        path,
      );
    // Chrome refuses an icon it cannot load from the package...
    expect(await setIcon({ 16: '/icon/missing-16.png' })).not.toBe('set');
    // ...and takes both of ours.
    for (const state of ['on_hold', 'normal'] as const)
      expect(await setIcon(iconPaths(state)), state).toBe('set');
  });

  it("passes Mozilla's linter with no errors (Firefox package)", async () => {
    const result = await lint;
    const report = JSON.parse(result.stdout) as {
      errors: { code: string; file?: string; message: string }[];
      summary: { errors: number; warnings: number };
    };
    expect(report.errors.map((e) => `${e.code} ${e.file ?? ''}: ${e.message}`)).toEqual([]);
    expect(result.status, result.stderr).toBe(0);
  }, 300_000);
});
