/**
 * `npm start`: the first run on a fresh machine. Starts the mail sandbox with the demo inbox (a seeded Outlook-
 * like mailbox) and the HubSpot sandbox with the demo portal (the same people as contacts, with companies, deals
 * and owners), builds the extension's demo build, starts the backend (embedded PostgreSQL), and, when a
 * Chromium or Chrome and a screen are there, opens the demo inbox in it with the extension loaded and set up.
 * Otherwise it prints the exact steps. Ctrl-C (or SIGTERM to npm) stops everything.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import type { BrowserContext } from 'playwright-core';
import { startDemoSandbox, type DemoSandbox } from '../tools/sandbox/demo/demo-sandbox';
import { DEMO_MAILBOX } from '../tools/sandbox/demo/people';
import { findBrowser, hasDisplay, openDemoBrowser } from './demo-browser';
import { DEMO_HUBSPOT_PORT, startDemoCrm, type DemoCrm } from './demo-crm';
import { DEMO_SEQUENCE } from './demo-setup';

/** The demo build matches the demo inbox at this origin (lib/hosts/mail-hosts.ts): the port is not free to choose. */
const SANDBOX_PORT = 8025;
const BACKEND = 'http://localhost:8787';
const EXTENSION = path.resolve('.output/chrome-mv3-demo');
const PROFILE = path.resolve('.data/chromium-demo');

let sandbox: DemoSandbox | undefined;
let crm: DemoCrm | undefined;
let backend: ChildProcess | undefined;
let browser: BrowserContext | undefined;
let stopping = false;

async function stopAll(code: number): Promise<never> {
  stopping = true;
  // The backend runs in its own process group, so stopping it also stops the node process npx starts.
  try {
    if (backend?.pid) process.kill(-backend.pid, 'SIGTERM');
  } catch {
    // already gone
  }
  await Promise.allSettled([browser?.close(), sandbox?.sandbox.stop(), crm?.hubspot.stop()]);
  setTimeout(() => process.exit(code), 300);
  return new Promise(() => undefined);
}
// Ctrl-C, a closed terminal, or SIGTERM to `npm start` (its script is `exec tsx ...`, so the signal reaches
// tsx, which passes it on here, rather than stopping at a shell that would not).
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.on(signal, () => void stopAll(0));

// 1. The mail sandbox first: its demo inbox is what a new user opens.
try {
  sandbox = await startDemoSandbox({ port: SANDBOX_PORT });
} catch (e) {
  const busy = (e as NodeJS.ErrnoException).code === 'EADDRINUSE';
  console.error(
    busy
      ? `Port ${SANDBOX_PORT} is in use: another \`npm start\` or \`npm run sandbox\` is running. Stop it and try again.`
      : `The mail sandbox did not start: ${String(e)}`,
  );
  process.exit(1);
}
const inboxUrl = sandbox.inboxUrl;
console.log(
  `\nDemo inbox: ${inboxUrl}  (the mail sandbox's mailbox ${DEMO_MAILBOX}, seeded with a few threads)\n`,
);

// 1b. The HubSpot sandbox with the demo portal, unless HUBSPOT_API_BASE points the backend at a HubSpot already.
if (process.env.HUBSPOT_API_BASE) {
  console.log(
    `HubSpot: the backend uses ${process.env.HUBSPOT_API_BASE} (HUBSPOT_API_BASE); no demo portal.`,
  );
} else {
  try {
    crm = await startDemoCrm({ backendUrl: BACKEND, dataDir: path.resolve('.data') });
    console.log(`HubSpot sandbox: ${crm.hubspot.url}  (the demo portal ${crm.hubspot.portalId})`);
  } catch (e) {
    const busy = (e as NodeJS.ErrnoException).code === 'EADDRINUSE';
    console.warn(
      busy
        ? `Port ${DEMO_HUBSPOT_PORT} is in use (another \`npm run sandbox:hubspot\`?): the demo runs without its HubSpot portal.`
        : `The HubSpot sandbox did not start (${String(e)}): the demo runs without its HubSpot portal.`,
    );
  }
}

// 2. The extension's demo build (.output/chrome-mv3-demo): the demo inbox is one of its mail hosts.
const build = spawnSync('npx', ['wxt', 'build', '--mode', 'demo'], { stdio: 'inherit' });
if (build.status !== 0) {
  console.error('The extension build failed (see above).');
  await stopAll(build.status ?? 1);
}

// 3. The backend, on the embedded database.
await new Promise<void>((resolve) => {
  backend = spawn('npx', ['tsx', 'server/main.ts'], {
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
    env: {
      ...process.env,
      // Anyone may start a team in the demo; the mail sandbox is a real OpenID issuer to sign in with.
      SIGNUP: process.env.SIGNUP ?? 'open',
      // The CRM bridge talks to the demo portal (CRM_TOKEN_KEY: yours, or the demo's kept in .data).
      ...crm?.env,
      OIDC_ISSUERS:
        process.env.OIDC_ISSUERS ??
        JSON.stringify([{ issuer: `http://127.0.0.1:${SANDBOX_PORT}`, audiences: ['threadline-demo'] }]),
    },
  });
  let ready = false;
  const echo = (stream: NodeJS.WriteStream) => (chunk: Buffer) => {
    stream.write(chunk);
    if (!ready && /listening|8787/i.test(chunk.toString())) {
      ready = true;
      resolve();
    }
  };
  backend.stdout?.on('data', echo(process.stdout));
  backend.stderr?.on('data', echo(process.stderr));
  backend.on('exit', (code) => {
    if (stopping) return;
    console.error(`The backend stopped (${code ?? 'signal'}); stopping everything.`);
    void stopAll(code ?? 1);
  });
});

const manualSteps = `  1. In Chrome or Chromium: chrome://extensions -> Developer mode -> "Load unpacked" -> ${EXTENSION}
  2. Its options page (Details -> Extension options) -> Settings -> Mailboxes -> "Demo: connect a mailbox of
     the mail sandbox": Sandbox URL ${sandbox.sandbox.url}, Mailbox ${DEMO_MAILBOX}, Kind "Microsoft Graph",
     then "Connect sandbox mailbox".
  3. Sequences -> "Create your first sequence": a name, a subject and a body; under the sending settings set
     the send window from 00:00 to 23:59 and untick "Send on weekdays only" (so it sends now, at any hour); save.
  4. Open ${inboxUrl} and take the tour below.${
    crm
      ? `
  5. HubSpot: Settings -> Team & sync -> Backend address ${BACKEND}, "Demo: sign in with a mailbox of
     the mail sandbox"; then Settings -> CRM -> "Connect with HubSpot", or "Private-app token":
     ${crm.privateAppToken}`
      : ''
  }`;
const tour = `The tour (five minutes): open "Analytics pilot for Acme"; in the Threadline panel beside it, Enroll Ada
  Lovelace, "Edit for this enrollment", change the first email, enroll. The email appears in the thread within
  seconds. Then, on the demo page, "Simulate a reply" from Ada: within a minute (Threadline looks for answers
  once a minute) the panel shows her sequence stopped because she replied.`;

function summary(opened: string) {
  console.log(`
Threadline is running.
  Demo inbox:    ${inboxUrl}
  Backend:       ${BACKEND}  (embedded PostgreSQL in .data/pglite; API: /openapi.json, /health)
  Mail sandbox:  ${sandbox!.sandbox.url}  (a local Gmail API and Microsoft Graph; control API under /__sandbox/)
${crm ? `  HubSpot:       ${crm.hubspot.url}  (the sandbox's demo portal: the demo inbox's people, companies and deals)\n` : ''}  Extension:     ${EXTENSION}  (the demo build)
${opened}
${tour}
  Optional: Settings -> Team & sync -> "Demo: sign in with a mailbox of the mail sandbox" syncs with the backend.
Ctrl-C stops everything.`);
}

// 4. The browser, when there is one and a screen to show it on.
const executablePath = findBrowser();
if (!executablePath || !hasDisplay()) {
  summary(
    `${executablePath ? 'No display ($DISPLAY or a Wayland socket) to open a browser on' : 'No Chromium or Chrome found (set CHROMIUM_PATH to one)'}, so these steps are yours:\n${manualSteps}`,
  );
} else {
  console.log(`Opening ${executablePath} with the extension (profile in ${PROFILE})…`);
  try {
    const opened = await openDemoBrowser({
      executablePath,
      extensionDir: EXTENSION,
      profileDir: PROFILE,
      sandboxUrl: sandbox.sandbox.url,
      mailbox: DEMO_MAILBOX,
      inboxUrl,
      ...(crm ? { crm: { backendUrl: BACKEND, privateAppToken: crm.privateAppToken } } : {}),
    });
    browser = opened.context;
    browser.on('close', () => {
      if (!stopping)
        console.log('The browser was closed; the backend and the sandbox keep running. Ctrl-C stops them.');
    });
    summary(
      `  The browser shows the demo inbox, with the extension loaded and set up:\n${opened.done.map((d) => `    ${d}`).join('\n')}\n  Nothing else to set up: the sequence to enroll into is "${DEMO_SEQUENCE}".`,
    );
  } catch (e) {
    summary(
      `  The browser could not be set up by itself (${String(e).split('\n')[0]}). What remains:\n${manualSteps}`,
    );
  }
}
