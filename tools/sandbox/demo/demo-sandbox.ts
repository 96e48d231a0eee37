/**
 * The mail sandbox as `npm start` runs it for the demo: the demo mailboxes, the demo inbox at /demo/, and the
 * seeded threads. The end-to-end tour starts it the same way (on another port).
 */
import { startSandbox, type Sandbox } from '../server';
import { DEMO_MAILBOX } from './people';
import { seedDemoMailbox } from './seed';

export interface DemoSandbox {
  sandbox: Sandbox;
  /** The demo inbox's address. */
  inboxUrl: string;
}

export async function startDemoSandbox(
  opts: { port?: number; host?: string; seed?: boolean } = {},
): Promise<DemoSandbox> {
  // The seed dates its threads in the past days by moving this clock; afterwards it is the real one.
  let offset = 0;
  const sandbox = await startSandbox({
    port: opts.port ?? 8025,
    host: opts.host ?? '127.0.0.1',
    now: () => Date.now() + offset,
    demoMailbox: DEMO_MAILBOX,
  });
  sandbox.addMailbox('rep@example.com', 'gmail');
  sandbox.addMailbox(DEMO_MAILBOX, 'graph');
  if (opts.seed !== false) {
    try {
      await seedDemoMailbox(sandbox, (at) => (offset = at - Date.now()));
    } finally {
      offset = 0;
    }
  }
  return { sandbox, inboxUrl: `${sandbox.url}/demo/` };
}
