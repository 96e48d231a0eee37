import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium, type BrowserContext, type Worker } from 'playwright-core';

export const EXTENSION_DIR = path.resolve('.output/chrome-mv3-test');

export function chromiumPath(): string {
  const candidates = [process.env.CHROMIUM_PATH, '/usr/bin/chromium', '/usr/bin/chromium-browser'].filter(
    Boolean,
  ) as string[];
  const found = candidates.find((p) => fs.existsSync(p));
  if (!found)
    throw new Error('No Chromium found: install it with `apt-get install -y chromium` or set CHROMIUM_PATH');
  return found;
}

export interface ExtensionBrowser {
  context: BrowserContext;
  worker: Worker;
  extensionId: string;
  /** Stops the service worker as Chrome does when it is idle (or crashes), starts it again, returns the new one. */
  restartWorker(): Promise<Worker>;
  close(): Promise<void>;
}

/**
 * Debian's Chromium with a build of the extension loaded (the launch flags below are the ones that work on a closed network): the test build unless told
 * (the UI bench loads the production one).
 */
export async function launchWithExtension(extensionDir = EXTENSION_DIR): Promise<ExtensionBrowser> {
  if (!fs.existsSync(path.join(extensionDir, 'manifest.json'))) {
    throw new Error(
      `No build at ${extensionDir}: run \`wxt build --mode test\` first (npm run test:e2e does)`,
    );
  }
  const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'threadline-e2e-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: chromiumPath(),
    headless: false, // --headless=new is passed below: the old headless mode cannot load extensions
    ignoreDefaultArgs: ['--disable-extensions'],
    args: [
      '--headless=new',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
      '--disable-quic',
      `--disable-extensions-except=${extensionDir}`,
      `--load-extension=${extensionDir}`,
    ],
  });
  const first = async () =>
    context.serviceWorkers()[0] ?? (await context.waitForEvent('serviceworker', { timeout: 20_000 }));
  const worker = await first();
  return {
    context,
    worker,
    extensionId: new URL(worker.url()).host,
    restartWorker: async () => {
      const id = new URL(worker.url()).host;
      const page = await context.newPage();
      const cdp = await context.newCDPSession(page);
      await cdp.send('ServiceWorker.enable');
      await cdp.send('ServiceWorker.stopAllWorkers');
      await cdp.send('ServiceWorker.startWorker', { scopeURL: `chrome-extension://${id}/` });
      // Playwright does not always announce the restarted worker; find the live one.
      for (let i = 0; i < 100; i++) {
        for (const w of context.serviceWorkers()) {
          if (await w.evaluate(() => true).catch(() => false)) {
            await page.close();
            return w;
          }
        }
        await new Promise((r) => setTimeout(r, 100));
      }
      throw new Error('The service worker did not start again');
    },
    close: async () => {
      await context.close();
      fs.rmSync(profile, { recursive: true, force: true });
    },
  };
}
