import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
import pg from 'pg';

/**
 * What node-postgres' PGlite adapter (`@electric-sql/pglite/node-postgres`, createPgConfig) uses of a PGlite
 * instance: it waits for `waitReady` and sends every wire-protocol message through `execProtocolStream`.
 */
export interface PGliteLike {
  waitReady: Promise<void>;
  execProtocolStream(message: Uint8Array, options?: { throwOnError?: boolean }): Promise<unknown[]>;
}

export interface PGliteThread {
  pglite: PGliteLike;
  /** The data folder as a tarball, like PGlite's `dumpDataDir('none')`. */
  dump(): Promise<Blob>;
  close(): Promise<void>;
}

/**
 * The worker's code (plain CommonJS, so it runs the same under tsx, vitest and a bundler): one PGlite instance
 * answering the messages of the thread that started it, one at a time, in order. A database error is sent as
 * its fields (a structured clone would keep only its message) and made a DatabaseError again on arrival.
 */
const WORKER = `
const { parentPort, workerData } = require('node:worker_threads');
const { PGlite } = require(workerData.module);
if (workerData.nice) {
  // Linux: this thread's own id, whose priority can be lowered alone (elsewhere: left as it is).
  try {
    const tid = Number(require('node:fs').readlinkSync('/proc/thread-self').split('/').pop());
    require('node:os').setPriority(tid, workerData.nice);
  } catch {}
}
const plain = (m) => m instanceof Error
  ? { ...m, __databaseError: true, message: m.message, name: m.name }
  : m;
let lite;
// The answers to the messages sent without waiting (parse, bind, describe, execute, close), until the next.
const held = [];
let failed;
let turn = Promise.resolve();
async function answer({ id, op, data }) {
  try {
    if (op === 'exec') {
      const out = await lite.execProtocolStream(data, { throwOnError: false });
      for (const m of out) held.push(plain(m));
      if (id === undefined) return;
      parentPort.postMessage({ id, ok: true, result: held.splice(0) });
    } else if (op === 'dump') {
      const buffer = await (await lite.dumpDataDir('none')).arrayBuffer();
      parentPort.postMessage({ id, ok: true, result: buffer }, [buffer]);
    } else if (op === 'close') {
      await lite.close();
      parentPort.postMessage({ id, ok: true });
      parentPort.close();
    }
  } catch (error) {
    held.length = 0;
    failed = String((error && error.stack) || error);
  }
  if (failed !== undefined && id !== undefined) {
    parentPort.postMessage({ id, ok: false, error: failed });
    failed = undefined;
  }
}
PGlite.create({
  dataDir: workerData.dataDir,
  ...(workerData.loadDataDir ? { loadDataDir: new Blob([workerData.loadDataDir]) } : {}),
}).then(
  (created) => {
    lite = created;
    parentPort.on('message', (m) => { turn = turn.then(() => answer(m)); });
    parentPort.postMessage({ ready: true });
  },
  (error) => parentPort.postMessage({ ready: false, error: String((error && error.stack) || error) }),
);
`;

interface Reply {
  id: number;
  ok: boolean;
  result?: unknown;
  error?: string;
}

const revived = (m: unknown) => {
  if (!m || typeof m !== 'object' || !('__databaseError' in m)) return m;
  const { __databaseError, message, name, length, ...fields } = m as Record<string, unknown>;
  void __databaseError;
  return Object.assign(
    new pg.DatabaseError(String(message), Number(length), name as 'error'),
    fields,
  ) as unknown;
};

/**
 * The database thread's niceness (Linux, 0-19): none by default. A lowered priority (10 was tried) let the
 * HTTP answers go first while the pixel's opens were written, but every query waited behind the rest of a busy
 * machine too, and the analytics answer took twice as long at load 15-19 (11-13 x calib against 6-7 x at
 * 0; niceness cannot be raised back without privileges). The pixel's writes are paced by the hit batcher
 * instead (server/tracking/batcher.ts: a bounded share of the time while the pixel is busy).
 */
export const THREAD_NICE = 0;

/**
 * PGlite in a worker thread: its queries (WebAssembly, synchronous once started) run there, so this thread's
 * event loop keeps answering HTTP meanwhile. Every query is a round trip between the threads (tens of
 * microseconds), the price of not stalling the server while a batch of writes runs.
 */
export async function startPGliteThread(options: {
  dataDir: string;
  loadDataDir?: Blob;
  /** The thread's CPU priority (Linux niceness, 0-19); THREAD_NICE unless said. */
  nice?: number;
}): Promise<PGliteThread> {
  const loadDataDir = options.loadDataDir ? await options.loadDataDir.arrayBuffer() : undefined;
  const worker = new Worker(WORKER, {
    eval: true,
    workerData: {
      module: createRequire(import.meta.url).resolve('@electric-sql/pglite'),
      dataDir: options.dataDir,
      nice: options.nice ?? THREAD_NICE,
      ...(loadDataDir ? { loadDataDir } : {}),
    },
    ...(loadDataDir ? { transferList: [loadDataDir] } : {}),
  });
  const pending = new Map<number, { resolve(v: unknown): void; reject(e: Error): void }>();
  let next = 0;
  let failure: Error | undefined;
  const fail = (error: Error) => {
    failure ??= error;
    for (const p of pending.values()) p.reject(error);
    pending.clear();
  };
  const waitReady = new Promise<void>((resolve, reject) => {
    worker.on('message', (m: { ready?: boolean; error?: string } & Partial<Reply>) => {
      if (m.ready !== undefined) {
        if (m.ready) resolve();
        else reject(new Error(`PGlite failed to start in its thread: ${m.error}`));
        return;
      }
      const p = pending.get(m.id!);
      if (!p) return;
      pending.delete(m.id!);
      if (m.ok) p.resolve(m.result);
      else p.reject(new Error(m.error));
    });
    worker.on('error', (error) => {
      reject(error);
      fail(error);
    });
    worker.on('exit', (code) => {
      const error = new Error(`the PGlite thread exited (code ${code})`);
      reject(error);
      fail(error);
    });
  });
  const ask = (op: string, data?: Uint8Array) =>
    new Promise<unknown>((resolve, reject) => {
      if (failure) return reject(failure);
      const id = next++;
      pending.set(id, { resolve, reject });
      worker.postMessage({ id, op, data });
    });
  /**
   * The extended protocol's parse, bind, describe, execute and close are sent without waiting: PostgreSQL
   * answers them only at the following sync or flush anyway, so their answers come with that one's (one
   * round trip between the threads per query, not five).
   */
  const DEFERRED = new Set([...'PBDEC'].map((c) => c.charCodeAt(0)));
  await waitReady;
  return {
    pglite: {
      waitReady,
      execProtocolStream: async (message) => {
        if (failure) throw failure;
        if (DEFERRED.has(message[0]!)) {
          worker.postMessage({ op: 'exec', data: message });
          return [];
        }
        return ((await ask('exec', message)) as unknown[]).map(revived);
      },
    },
    dump: async () => new Blob([(await ask('dump')) as ArrayBuffer]),
    async close() {
      if (failure) return;
      await ask('close');
      await worker.terminate();
    },
  };
}
