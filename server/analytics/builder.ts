import { sql } from 'kysely';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Db } from '../db/database';
import type { Logger } from '../log';
import { ANALYTICS_VERSION, rebuildTeam } from './facts';

export interface AnalyticsBuilderOptions {
  /**
   * A PostgreSQL server: `stop` cancels the statement a build is running, so shutdown does not wait for it.
   * (PGlite runs a statement to its end on this process's thread; the build stops at the next one.)
   */
  cancelsStatements: boolean;
  /** The wait before trying again the teams that failed, or that another process was building. */
  retryMs?: number;
}

/**
 * What one pass did with a team: built it, found it built by now, left it to another process building it,
 * failed (logged, tried again later), or was stopped midway (rolled back).
 */
export type BuildOutcome = 'built' | 'current' | 'busy' | 'failed' | 'interrupted';

export interface AnalyticsBuilder {
  /** Builds the teams below ANALYTICS_VERSION in the background, one at a time, until none is left. */
  start(): void;
  /** One pass over the teams below the version, one at a time. */
  runOnce(): Promise<{ team: string; outcome: BuildOutcome }[]>;
  /** Stops between teams; a build under way rolls back. Resolves once nothing runs. */
  stop(): Promise<void>;
}

/**
 * Builds teams' analytics off the request path (after an upgrade raised ANALYTICS_VERSION, or for teams from
 * before migration 0003): until a team is built, GET /analytics answers 503 and writes skip its rollups. Each
 * team is built in its own transaction holding the lock of its analytics_teams row, taken with SKIP LOCKED:
 * of several server processes starting together, one builds a team and the others pass on to the next.
 */
export function createAnalyticsBuilder(
  db: Db,
  log: Logger,
  options: AnalyticsBuilderOptions,
): AnalyticsBuilder {
  const retryMs = options.retryMs ?? 60_000;
  const stopping = new AbortController();
  const { signal } = stopping;
  /** The server connection of the build under way (to cancel its statement). */
  let backend: number | undefined;
  const running = new Set<Promise<unknown>>();
  let loop: Promise<void> | undefined;

  const track = <T>(work: Promise<T>): Promise<T> => {
    running.add(work);
    void work.finally(() => running.delete(work)).catch(() => undefined);
    return work;
  };

  async function buildTeam(team: string): Promise<BuildOutcome> {
    return db.transaction().execute(async (trx) => {
      const row = await trx
        .selectFrom('analytics_teams')
        .select('version')
        .where('team_id', '=', team)
        .forUpdate()
        .skipLocked()
        .executeTakeFirst();
      if (!row) return 'busy';
      // Never below: a newer server's build is not undone by an older one still running (a rolling upgrade).
      if (row.version >= ANALYTICS_VERSION) return 'current';
      if (options.cancelsStatements)
        backend = (await sql<{ pid: number }>`select pg_backend_pid() as pid`.execute(trx)).rows[0]!.pid;
      try {
        await rebuildTeam(trx, team, signal);
      } finally {
        backend = undefined;
      }
      return 'built';
    });
  }

  async function runOnce(): Promise<{ team: string; outcome: BuildOutcome }[]> {
    // Teams from before migration 0003 have no row yet: one to lock, below the version.
    await sql`
      insert into analytics_teams (team_id, version)
      select id, 0 from teams t where not exists (select 1 from analytics_teams a where a.team_id = t.id)
      on conflict (team_id) do nothing
    `.execute(db);
    const pending = await db
      .selectFrom('analytics_teams')
      .select('team_id')
      .where('version', '<', ANALYTICS_VERSION)
      .orderBy('team_id')
      .execute();
    if (pending.length) log.info({ teams: pending.length }, 'analytics: building teams below the version');
    const done: { team: string; outcome: BuildOutcome }[] = [];
    for (const { team_id: team } of pending) {
      if (signal.aborted) break;
      const started = performance.now();
      const ms = () => Math.round(performance.now() - started);
      let outcome: BuildOutcome;
      try {
        outcome = await buildTeam(team);
        if (outcome === 'built') log.info({ team, ms: ms() }, 'analytics: team built');
        if (outcome === 'busy') log.info({ team }, 'analytics: another process is building the team');
      } catch (error) {
        if (signal.aborted) {
          outcome = 'interrupted';
          log.info({ team, ms: ms() }, 'analytics: build stopped by shutdown and rolled back');
        } else {
          outcome = 'failed';
          log.error({ err: error, team, ms: ms() }, 'analytics: team build failed; trying again later');
        }
      }
      done.push({ team, outcome });
    }
    return done;
  }

  return {
    start() {
      loop ??= track(
        (async () => {
          while (!signal.aborted) {
            let left = true;
            try {
              left = (await runOnce()).some((d) => d.outcome === 'busy' || d.outcome === 'failed');
            } catch (error) {
              if (!signal.aborted)
                log.error({ err: error }, 'analytics: could not look for teams to build; trying again later');
            }
            if (!left) return;
            await sleep(retryMs, undefined, { signal }).catch(() => undefined);
          }
        })(),
      );
    },
    runOnce: () => track(runOnce()),
    async stop() {
      stopping.abort();
      // The build's connection stays out of the pool until its transaction ends, so the cancel reaches the
      // build (or, if it has just finished, its commit: then it rolls back, to be built again at next start).
      if (backend !== undefined)
        await sql`select pg_cancel_backend(${backend})`.execute(db).catch(() => undefined);
      await Promise.allSettled([...running]);
    },
  };
}
