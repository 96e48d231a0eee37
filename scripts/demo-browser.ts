/**
 * Opening the demo for `npm start`: a Chromium or Chrome with the demo build loaded, in a profile kept under
 * .data/ (as WXT's own runner does), set up in the options page (demo-setup.ts) and showing the demo inbox.
 * Only when there is a browser to run and a screen to show it on.
 */
import fs from 'node:fs';
import path from 'node:path';
import { chromium, type BrowserContext } from 'playwright-core';
import { connectDemoCrm, setUpDemo, type DemoCrmSetup } from './demo-setup';

const CANDIDATES: Record<string, string[]> = {
  linux: [
    '/usr/bin/chromium',
    '/usr/bin/chromium-browser',
    '/snap/bin/chromium',
    '/usr/bin/google-chrome',
    '/usr/bin/google-chrome-stable',
  ],
  darwin: [
    '/Applications/Chromium.app/Contents/MacOS/Chromium',
    '/Applications/Google Chrome.app/Contents/MacOS/Google Chrome',
  ],
  win32: [
    `${process.env.PROGRAMFILES ?? 'C:\\Program Files'}\\Google\\Chrome\\Application\\chrome.exe`,
    `${process.env.LOCALAPPDATA ?? ''}\\Chromium\\Application\\chrome.exe`,
  ],
};

/** CHROMIUM_PATH, else the usual places of Chromium, then Chrome. */
export function findBrowser(env = process.env, platform = process.platform): string | undefined {
  return [env.CHROMIUM_PATH, ...(CANDIDATES[platform] ?? [])].find(
    (p): p is string => !!p && fs.existsSync(p),
  );
}

/** Whether a window can be shown: always on macOS and Windows; on Linux an X display or a Wayland socket. */
export function hasDisplay(env = process.env, platform = process.platform): boolean {
  if (platform === 'darwin' || platform === 'win32') return true;
  if (env.DISPLAY || env.WAYLAND_DISPLAY) return true;
  const runtime = env.XDG_RUNTIME_DIR;
  return !!runtime && fs.existsSync(runtime) && fs.readdirSync(runtime).some((f) => /^wayland-\d+$/.test(f));
}

export interface OpenedDemo {
  context: BrowserContext;
  /** What the setup did, one line each. */
  done: string[];
}

export async function openDemoBrowser(opts: {
  executablePath: string;
  extensionDir: string;
  profileDir: string;
  sandboxUrl: string;
  mailbox: string;
  inboxUrl: string;
  /** Also sign in to the backend and connect the HubSpot sandbox's demo portal (Settings → CRM). */
  crm?: DemoCrmSetup;
}): Promise<OpenedDemo> {
  fs.mkdirSync(opts.profileDir, { recursive: true });
  const context = await chromium.launchPersistentContext(path.resolve(opts.profileDir), {
    executablePath: opts.executablePath,
    headless: false,
    viewport: null,
    // Playwright's defaults would disable extensions and show an "automated test software" bar.
    ignoreDefaultArgs: ['--disable-extensions', '--enable-automation'],
    args: [
      `--disable-extensions-except=${opts.extensionDir}`,
      `--load-extension=${opts.extensionDir}`,
      // Chrome 137+ ignores --load-extension unless told otherwise; Chromium honours it either way.
      '--disable-features=DisableLoadExtensionCommandLineSwitch',
      '--no-first-run',
      '--no-default-browser-check',
    ],
  });
  const worker =
    context.serviceWorkers().find((w) => w.url().startsWith('chrome-extension://')) ??
    (await context.waitForEvent('serviceworker', { timeout: 20_000 }));
  const extensionId = new URL(worker.url()).host;
  const setup = { context, extensionId, sandboxUrl: opts.sandboxUrl, mailbox: opts.mailbox };
  const done = await setUpDemo(setup);
  if (opts.crm) {
    const page = await context.newPage();
    try {
      await connectDemoCrm(setup, page, opts.crm);
      done.push(
        `Signed in to the backend as ${opts.mailbox} and connected the HubSpot sandbox's demo portal (Settings → CRM).`,
      );
    } catch (e) {
      done.push(
        `The HubSpot demo portal is not connected (${String(e).split('\n')[0]}): Settings → CRM does it.`,
      );
    } finally {
      await page.close();
    }
  }
  const inbox = context.pages().find((p) => p.url() === 'about:blank') ?? (await context.newPage());
  await inbox.goto(opts.inboxUrl);
  await inbox.bringToFront();
  return { context, done };
}
