/** What the Settings → CRM route modules share: the server's dependencies, the CRM tables and the team's reads. */
import type { OpenAPIHono } from '@hono/zod-openapi';
import type { AppDeps } from '../deps';
import { ApiError, type AppEnv } from '../http';
import { DEFAULT_CRM_CONFIG, type CrmConfig } from './config';
import { loadConnection, type ConnectionRow } from './connection';
import { crmDb, type CrmDb } from './schema';
import { MissingKeyError, tokenCipher, type TokenCipher } from './secrets';
import { createTeamReads, type TeamReads } from './team-reads';

export type CrmRouter = OpenAPIHono<AppEnv>;

export interface CrmContext {
  deps: AppDeps;
  config: CrmConfig;
  db: CrmDb;
  reads: TeamReads;
  /** The token cipher; 503 crm_key_missing without CRM_TOKEN_KEY. */
  cipher(): TokenCipher;
}

export const security = [{ session: [] }];

export function crmContext(
  deps: AppDeps & { crm?: CrmConfig },
  reads: TeamReads = createTeamReads(deps.now),
): CrmContext {
  const config = deps.crm ?? DEFAULT_CRM_CONFIG;
  return {
    deps,
    config,
    db: crmDb(deps.db),
    reads,
    cipher() {
      if (!config.tokenKey) throw new ApiError(503, 'crm_key_missing', new MissingKeyError().message);
      return tokenCipher(config.tokenKey);
    },
  };
}

/** The team's connection, or 404 not_connected. */
export async function connectionOr404(db: CrmDb, teamId: string): Promise<ConnectionRow> {
  const row = await loadConnection(db, teamId);
  if (!row) throw new ApiError(404, 'not_connected', 'no CRM is connected');
  return row;
}
