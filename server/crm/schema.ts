/** The CRM bridge's tables (migration 0006_crm), added to the app's Kysely schema with `withTables`. */
import type { Generated, Kysely } from 'kysely';
import type { Db } from '../db/database';

type Int8 = number;

/** A team's CRM connection: one per team. Tokens are AES-256-GCM ciphertexts (secrets.ts), never plain. */
export interface CrmConnectionTable {
  team_id: string;
  provider: 'hubspot';
  kind: 'oauth' | 'private_app';
  portal_id: string;
  hub_domain: string | null;
  access_token: string;
  refresh_token: string | null;
  /** Epoch ms the access token expires (OAuth); null for a private-app token. */
  expires_at: Int8 | null;
  scopes: string;
  /** Per activity object: 'unique' or 'search' (provider.prepare). */
  dedupe: unknown;
  /** CrmSettings as JSON. */
  settings: unknown;
  connected_by: string;
  connected_at: Int8;
  last_sync_at: Int8 | null;
  last_error: string | null;
  /** The UTC day the counts below are for (YYYY-MM-DD). */
  daily_day: string;
  daily_used: Generated<Int8>;
  daily_limit: Int8 | null;
  daily_remaining: Int8 | null;
  /** Nothing is sent before this (the daily limit was reached). */
  blocked_until: Int8 | null;
}

/** An OAuth authorize request in flight: its `state` (hashed), for whom, until when. */
export interface CrmOAuthStateTable {
  state_hash: string;
  team_id: string;
  user_id: string;
  expires_at: Int8;
}

/** A member's CRM owner (HubSpot owner id), matched by email, editable by an admin. */
export interface CrmOwnerMapTable {
  team_id: string;
  user_id: string;
  owner_id: string | null;
  /** Set by an admin: kept when owners are matched again. */
  edited: boolean;
}

/** One activity to log, keyed by its deterministic id; written in the transaction of the sync push. */
export interface CrmOutboxTable {
  team_id: string;
  id: string;
  kind: string;
  /** The member whose touch it is (their CRM owner). */
  user_id: string;
  /** The Threadline contact (deal links are looked up by it). */
  contact_id: string | null;
  payload: unknown;
  state: 'pending' | 'logged' | 'skipped' | 'failed';
  attempts: Generated<number>;
  last_error: string | null;
  crm_id: string | null;
  created_at: Int8;
  updated_at: Int8;
  /** Not before this (a retry's backoff). */
  next_at: Int8;
  /** The order the touches were queued in. */
  seq: Generated<Int8>;
}

export type CrmSchema = {
  crm_connections: CrmConnectionTable;
  crm_oauth_states: CrmOAuthStateTable;
  crm_owner_map: CrmOwnerMapTable;
  crm_outbox: CrmOutboxTable;
};

export type CrmDb = Db extends Kysely<infer S> ? Kysely<S & CrmSchema> : never;

export const crmDb = (db: Db): CrmDb => db.withTables<CrmSchema>();

/** The team's HubSpot owner ids by Threadline user (Settings → CRM's owner mapping). */
export async function ownerIdsByUser(db: Db, teamId: string): Promise<Map<string, string | null>> {
  const rows = await crmDb(db)
    .selectFrom('crm_owner_map')
    .select(['user_id', 'owner_id'])
    .where('team_id', '=', teamId)
    .execute();
  return new Map(rows.map((o) => [o.user_id, o.owner_id]));
}
