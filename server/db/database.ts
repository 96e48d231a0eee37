import { mkdirSync } from 'node:fs';
import { Kysely, Migrator, PostgresDialect, type Migration } from 'kysely';
import pg from 'pg';
import { migrations } from './migrations';
import { startPGliteThread, type PGliteLike } from './pglite-thread';
import type { Schema } from './schema';

export type Db = Kysely<Schema>;

export interface Database {
  db: Db;
  /** Which engine answered: for logs and the bench report. */
  engine: 'postgres' | 'pglite';
  close(): Promise<void>;
  /** The embedded database's files as a tarball (tests start later instances from it); undefined on a server. */
  dump?(): Promise<Blob>;
  /**
   * A server only: a few more connections of their own, for the statements of one analytics answer to run
   * side by side in the snapshot of the request's transaction (waiting on `db`'s pool could deadlock).
   */
  readers?: Db;
}

// int8 (20) as a JavaScript number: our counters and epoch milliseconds stay far below 2^53.
const types = {
  getTypeParser: ((oid: number, format?: string) =>
    oid === 20
      ? (v: string) => Number(v)
      : pg.types.getTypeParser(oid, format as 'text')) as typeof pg.types.getTypeParser,
};

export interface DatabaseOptions {
  /** A PostgreSQL server; without it, embedded PGlite in `dataDir`. */
  url?: string;
  dataDir?: string;
  /** Server only: tables live in this schema (created if missing), so tests share one server without colliding. */
  schema?: string;
  poolSize?: number;
  /** The migrations to bring it to (all of them unless a test wants an older version). */
  migrations?: Record<string, Migration>;
  /** Embedded only: start from these files (a `dump()`) instead of an empty database. */
  loadDataDir?: Blob;
  /**
   * Embedded only: run PGlite in a worker thread (pglite-thread.ts), so that its queries do not hold up this
   * thread's event loop (the server's HTTP answers). The server does; tests need not.
   */
  thread?: boolean;
}

/** Opens the database and brings it to the latest migration. */
export async function openDatabase(options: DatabaseOptions): Promise<Database> {
  let pool: pg.Pool;
  let engine: Database['engine'];
  let closeEngine = async () => {};
  let dump: Database['dump'];
  let readers: Db | undefined;
  if (options.url) {
    engine = 'postgres';
    const config = {
      connectionString: options.url,
      types,
      ...(options.schema ? { options: `-c search_path=${quoteIdent(options.schema)}` } : {}),
    };
    pool = new pg.Pool({ ...config, max: options.poolSize ?? 10 });
    readers = new Kysely<Schema>({
      dialect: new PostgresDialect({ pool: new pg.Pool({ ...config, max: 3 }) }),
    });
    if (options.schema) {
      const client = await pool.connect();
      try {
        await client.query(`create schema if not exists ${quoteIdent(options.schema)}`);
      } finally {
        client.release();
      }
    }
  } else {
    engine = 'pglite';
    // Loaded only when needed: the embedded engine costs memory the server-backed setup never pays.
    const { PGlite } = await import('@electric-sql/pglite');
    type PGlite = InstanceType<typeof PGlite>;
    const { createPgConfig } = await import('@electric-sql/pglite/node-postgres');
    // A fresh machine has no data folder yet (nor its parent, e.g. .data/): create it.
    if (options.dataDir && !options.dataDir.includes('://')) mkdirSync(options.dataDir, { recursive: true });
    const start = {
      dataDir: options.dataDir ?? 'memory://',
      ...(options.loadDataDir ? { loadDataDir: options.loadDataDir } : {}),
    };
    let lite: PGlite | PGliteLike;
    if (options.thread) {
      const thread = await startPGliteThread(start);
      lite = thread.pglite;
      dump = thread.dump;
      closeEngine = thread.close;
    } else {
      const local = await PGlite.create(start);
      lite = local;
      dump = () => local.dumpDataDir('none');
      closeEngine = () => local.close();
    }
    // The adapter needs only `waitReady` and `execProtocolStream`, which the thread's stand-in has.
    const config = createPgConfig(lite as PGlite);
    // One connection (PGlite is single-session); never closed while idle, as it cannot reconnect.
    pool = new pg.Pool({
      ...config,
      connection: config.connection,
      max: 1,
      idleTimeoutMillis: 0,
      types,
    } as pg.PoolConfig);
  }
  const db = new Kysely<Schema>({ dialect: new PostgresDialect({ pool }) });
  const { error, results } = await new Migrator({
    db,
    provider: { getMigrations: async () => options.migrations ?? migrations },
    // Kysely looks for its migration tables in every schema unless told which: another schema's (a test
    // file's or the benchmark's on the same server) would make this one skip creating its own.
    ...(options.schema ? { migrationTableSchema: options.schema } : {}),
  }).migrateToLatest();
  if (error) {
    const failed = results?.find((r) => r.status === 'Error')?.migrationName;
    await db.destroy();
    await readers?.destroy();
    await closeEngine();
    throw new Error(`Migration ${failed ?? '(unknown)'} failed: ${String(error)}`);
  }
  return {
    db,
    engine,
    ...(dump ? { dump } : {}),
    ...(readers ? { readers } : {}),
    async close() {
      await db.destroy();
      await readers?.destroy();
      await closeEngine();
    },
  };
}

function quoteIdent(name: string): string {
  if (!/^[a-z_][a-z0-9_]*$/.test(name)) throw new Error(`Bad schema name ${name}`);
  return `"${name}"`;
}
