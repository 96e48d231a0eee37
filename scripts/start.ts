/**
 * `npm start`: the main job on a fresh machine. Builds the extension, starts the mail sandbox, and says where
 * each one is. (The backend joins here when server/ lands.) Stops everything on Ctrl-C.
 */
import { spawn, spawnSync } from 'node:child_process';
import path from 'node:path';

const build = spawnSync('npx', ['wxt', 'build'], { stdio: 'inherit' });
if (build.status !== 0) {
  console.error('The extension build failed (see above).');
  process.exit(build.status ?? 1);
}
const extension = path.resolve('.output/chrome-mv3');

const sandbox = spawn('npx', ['tsx', 'tools/sandbox/main.ts'], { stdio: ['ignore', 'pipe', 'inherit'] });
let ready = false;
sandbox.stdout.on('data', (chunk: Buffer) => {
  process.stdout.write(chunk);
  if (!ready && chunk.toString().includes('token:')) {
    ready = true;
    setTimeout(summary, 100);
  }
});
sandbox.on('exit', (code) => {
  console.log(`The mail sandbox stopped (${code ?? 'signal'}).`);
  process.exit(code ?? 0);
});

function summary() {
  console.log(`
Threadline is built.
  Extension (unpacked): ${extension}
    Chrome: open chrome://extensions, switch on Developer mode, "Load unpacked", pick that folder.
    Firefox: npm run build:firefox, then about:debugging -> "Load Temporary Add-on" -> .output/firefox-mv2/manifest.json
  Mail sandbox: see above (a local Gmail API and Microsoft Graph with demo mailboxes).
  Preview a sequence's real send times: npm run -s simulate -- examples/two-week.json
Ctrl-C stops everything.`);
}

for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => sandbox.kill(signal));
