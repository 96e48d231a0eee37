import { spawn, type ChildProcess } from 'node:child_process';
import { createServer, type AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../..', import.meta.url));
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** A port nothing listens on right now, on 127.0.0.1. */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/**
 * The backend as `npm run server` starts it, in a child process, on `env.PORT` (give `DATABASE_URL: ''` for
 * the embedded database whatever the test run has). Its output is kept: for the message if it will not
 * start, and for tests that read its logs.
 */
export function serverProcess(env: Record<string, string>) {
  let child: ChildProcess | undefined;
  let output = '';
  let exit: Promise<number | null> = Promise.resolve(null);
  const base = `http://127.0.0.1:${env.PORT}`;
  return {
    base,
    output: () => output,
    /** Starts it and resolves with the milliseconds until `/health` answered; rejects if it exits first. */
    async start(): Promise<number> {
      const started = performance.now();
      output = '';
      const proc = spawn(process.execPath, ['--import', 'tsx', 'server/main.ts'], {
        cwd: root,
        env: { ...process.env, ...env },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      child = proc;
      exit = new Promise((resolve) => proc.once('exit', (code) => resolve(code)));
      const keep = (chunk: Buffer) => (output = (output + chunk.toString()).slice(-20_000));
      proc.stdout!.on('data', keep);
      proc.stderr!.on('data', keep);
      const exited = exit.then((code) => {
        throw new Error(`the server exited (${code ?? proc.signalCode}) before it answered:\n${output}`);
      });
      exited.catch(() => {});
      for (;;) {
        const up = fetch(`${base}/health`).then(
          (r) => r.ok,
          () => false,
        );
        if (await Promise.race([up, exited])) return performance.now() - started;
        if (performance.now() - started > 180_000) {
          proc.kill('SIGKILL'); // not left running after the test gives up on it
          throw new Error(`the server did not start:\n${output}`);
        }
        await sleep(20);
      }
    },
    /** Sends `signal` (SIGKILL unless told) and resolves with the exit code once the process is gone. */
    async stop(signal: NodeJS.Signals = 'SIGKILL'): Promise<number | null> {
      const proc = child;
      if (proc && proc.exitCode === null && proc.signalCode === null) proc.kill(signal);
      return exit;
    },
    /** The exit code, once the process has exited by itself or after `stop`. */
    exited: () => exit,
  };
}
export type ServerProcess = ReturnType<typeof serverProcess>;
