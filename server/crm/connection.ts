/**
 * A team's HubSpot connection: stored sealed, its access token refreshed before it expires (five minutes
 * ahead), a HubSpot client over it with the daily count kept, and revocation on disconnect.
 */
import type { Logger } from '../log';
import type { CrmConfig } from './config';
import { HubSpotClient } from './hubspot/client';
import { HubSpotProvider } from './hubspot/provider';
import { CrmError, type DedupeModes } from './provider';
import type { CrmConnectionTable, CrmDb } from './schema';
import { tokenCipher, type TokenCipher } from './secrets';
import { CrmSettings, DEFAULT_SETTINGS } from './settings';

const REFRESH_AHEAD_MS = 5 * 60_000;

export type ConnectionRow = CrmConnectionTable & { daily_used: number };

export const utcDay = (ms: number) => new Date(ms).toISOString().slice(0, 10);

export function settingsOf(row: { settings: unknown }): CrmSettings {
  const parsed = CrmSettings.safeParse(row.settings ?? {});
  return parsed.success ? parsed.data : DEFAULT_SETTINGS;
}

export async function loadConnection(db: CrmDb, teamId: string): Promise<ConnectionRow | undefined> {
  return (await db
    .selectFrom('crm_connections')
    .selectAll()
    .where('team_id', '=', teamId)
    .executeTakeFirst()) as ConnectionRow | undefined;
}

/** POSTs a form to HubSpot's OAuth endpoints. */
export async function oauthForm(
  config: CrmConfig,
  path: string,
  fields: Record<string, string>,
): Promise<{ status: number; body: Record<string, unknown> }> {
  const res = await fetch(config.hubspot.apiBase.replace(/\/$/, '') + path, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams(fields),
  });
  const text = await res.text();
  let body: Record<string, unknown> = {};
  try {
    body = text ? (JSON.parse(text) as Record<string, unknown>) : {};
  } catch {
    body = { message: text.slice(0, 300) };
  }
  return { status: res.status, body };
}

export interface CrmSession {
  client: HubSpotClient;
  provider: HubSpotProvider;
  /** Writes the day's request count and HubSpot's remaining count. */
  record(): Promise<void>;
}

/** A client and provider over the team's connection. */
export function openSession(
  db: CrmDb,
  config: CrmConfig,
  log: Logger,
  row: ConnectionRow,
  now: () => number,
): CrmSession {
  const cipher = tokenCipher(config.tokenKey);
  let current = row;
  let used = 0;
  let remaining: number | undefined;
  let limit: number | undefined;
  const client = new HubSpotClient({
    baseUrl: config.hubspot.apiBase,
    token: async () => {
      current = await freshToken(db, config, cipher, current, now, log);
      return cipher.open(current.access_token, current.team_id);
    },
    burst: row.kind === 'oauth' ? 110 : 100,
    now,
    ...(config.sleep ? { sleep: config.sleep } : {}),
    onRequest: (info) => {
      used += 1;
      if (info.dailyRemaining !== undefined) remaining = info.dailyRemaining;
      if (info.dailyLimit !== undefined) limit = info.dailyLimit;
    },
  });
  const provider = new HubSpotProvider(client, (row.dedupe as DedupeModes | null) ?? undefined);
  return {
    client,
    provider,
    async record() {
      if (!used) return;
      const day = utcDay(now());
      const n = used;
      used = 0;
      await db
        .updateTable('crm_connections')
        .set((eb) => ({
          daily_used: day === row.daily_day ? eb('daily_used', '+', n) : n,
          daily_day: day,
          ...(remaining !== undefined ? { daily_remaining: remaining } : {}),
          ...(limit !== undefined ? { daily_limit: limit } : {}),
        }))
        .where('team_id', '=', row.team_id)
        .execute();
    },
  };
}

/** The row with an access token good for five more minutes (refreshed and stored when it was not). */
async function freshToken(
  db: CrmDb,
  config: CrmConfig,
  cipher: TokenCipher,
  row: ConnectionRow,
  now: () => number,
  log: Logger,
): Promise<ConnectionRow> {
  if (row.kind !== 'oauth' || row.expires_at === null || row.expires_at - REFRESH_AHEAD_MS > now())
    return row;
  // Another worker may have refreshed it meanwhile.
  const stored = await loadConnection(db, row.team_id);
  if (!stored) throw new CrmError('HubSpot was disconnected', 401, false);
  if (stored.expires_at !== null && stored.expires_at - REFRESH_AHEAD_MS > now()) return stored;
  const { clientId, clientSecret } = config.hubspot;
  if (!clientId || !clientSecret || !stored.refresh_token)
    throw new CrmError(
      'the HubSpot app’s client id and secret are not configured: cannot refresh',
      401,
      false,
    );
  const res = await oauthForm(config, '/oauth/v1/token', {
    grant_type: 'refresh_token',
    client_id: clientId,
    client_secret: clientSecret,
    refresh_token: cipher.open(stored.refresh_token, stored.team_id),
  });
  if (res.status !== 200 || typeof res.body.access_token !== 'string') {
    const message = String(
      res.body.message ?? res.body.error_description ?? `HubSpot answered ${res.status}`,
    );
    log.warn({ team: row.team_id, status: res.status }, 'crm: refreshing the HubSpot token failed');
    throw new CrmError(`Refreshing the HubSpot token failed: ${message}`, res.status, res.status >= 500);
  }
  const expires = now() + Number(res.body.expires_in ?? 1800) * 1000;
  const update = {
    access_token: cipher.seal(res.body.access_token, stored.team_id),
    expires_at: expires,
    ...(typeof res.body.refresh_token === 'string'
      ? { refresh_token: cipher.seal(res.body.refresh_token, stored.team_id) }
      : {}),
  };
  await db.updateTable('crm_connections').set(update).where('team_id', '=', stored.team_id).execute();
  return { ...stored, ...update };
}

/** Revokes what HubSpot lets a client revoke (an OAuth grant's tokens); a private-app token stays valid there. */
export async function revokeConnection(config: CrmConfig, row: ConnectionRow, log: Logger): Promise<boolean> {
  if (row.kind !== 'oauth') return false;
  const { clientId, clientSecret } = config.hubspot;
  if (!clientId || !clientSecret || !config.tokenKey) return false;
  const cipher = tokenCipher(config.tokenKey);
  let ok = true;
  for (const [sealed, hint] of [
    [row.refresh_token, 'refresh_token'],
    [row.access_token, 'access_token'],
  ] as const) {
    if (!sealed) continue;
    try {
      const res = await oauthForm(config, '/oauth/v3/token/revoke', {
        client_id: clientId,
        client_secret: clientSecret,
        token: cipher.open(sealed, row.team_id),
        token_type_hint: hint,
      });
      ok &&= res.status < 300;
    } catch (error) {
      ok = false;
      log.warn({ team: row.team_id, err: (error as Error).message }, 'crm: revoking a HubSpot token failed');
    }
  }
  return ok;
}
