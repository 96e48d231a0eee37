/**
 * `npm start`: the main job on a fresh machine. Builds the extension, starts the backend (embedded
 * PostgreSQL) and the mail sandbox, and says where each one is. Ctrl-C (or SIGTERM to npm) stops everything.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import path from 'node:path';

const build = spawnSync('npx', ['wxt', 'build'], { stdio: 'inherit' });
if (build.status !== 0) {
  console.error('The extension build failed (see above).');
  process.exit(build.status ?? 1);
}
const extension = path.resolve('.output/chrome-mv3');

const children: ChildProcess[] = [];
let ready = 0;
let stopping = false;

/** Starts a long-running part, echoing its output, and counts it ready when `readyText` appears. */
function start(name: string, args: string[], readyText: RegExp, env: NodeJS.ProcessEnv = process.env) {
  // Its own process group, so stopping it also stops the node process npx starts.
  const child = spawn('npx', ['tsx', ...args], { stdio: ['ignore', 'pipe', 'pipe'], detached: true, env });
  children.push(child);
  let seen = false;
  const echo = (stream: NodeJS.WriteStream) => (chunk: Buffer) => {
    stream.write(chunk);
    if (!seen && readyText.test(chunk.toString())) {
      seen = true;
      if (++ready === 2) setTimeout(summary, 100);
    }
  };
  child.stdout?.on('data', echo(process.stdout));
  child.stderr?.on('data', echo(process.stderr));
  child.on('exit', (code) => {
    if (stopping) return;
    console.error(`The ${name} stopped (${code ?? 'signal'}); stopping everything.`);
    stopAll(code ?? 1);
  });
}

function stopAll(code: number) {
  stopping = true;
  for (const c of children) {
    try {
      if (c.pid) process.kill(-c.pid, 'SIGTERM');
    } catch {
      // already gone
    }
  }
  setTimeout(() => process.exit(code), 500);
}

start('mail sandbox', ['tools/sandbox/main.ts'], /token:/);
// The demo signs in to the backend through the mail sandbox, a real OpenID issuer (signed ID tokens).
start('backend', ['server/main.ts'], /listening|8787/i, {
  ...process.env,
  // The demo: anyone signing in through the mail sandbox starts a team (a deployment takes invites only).
  SIGNUP: process.env.SIGNUP ?? 'open',
  OIDC_ISSUERS:
    process.env.OIDC_ISSUERS ??
    JSON.stringify([{ issuer: 'http://127.0.0.1:8025', audiences: ['threadline-demo'] }]),
});

function summary() {
  console.log(`
Threadline is running.
  Backend:       http://localhost:8787  (embedded PostgreSQL in .data/pglite; API: /openapi.json, /health)
  Mail sandbox:  http://127.0.0.1:8025  (a local Gmail API and Microsoft Graph with demo mailboxes, above)
  Extension:     ${extension}
    Chrome: chrome://extensions -> Developer mode -> "Load unpacked" -> that folder. Then open its options
    page: Settings -> Mailboxes -> "Demo: connect a mailbox of the mail sandbox", then Settings ->
    Team & sync -> "Demo: sign in with a mailbox of the mail sandbox" to sync and see the team's analytics.
  Preview a sequence's real send times: npm run -s simulate -- examples/two-week.json
Ctrl-C stops everything.`);
}

// Ctrl-C, a closed terminal, or SIGTERM to `npm start` (its script is `exec tsx ...`, so the signal reaches
// tsx, which passes it on here, rather than stopping at a shell that would not).
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.on(signal, () => stopAll(0));
