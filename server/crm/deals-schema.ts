/** The deal bridge's tables (migration 0007_crm_deals), added to the CRM schema with `withTables`. */
import type { Generated } from 'kysely';
import type { Db } from '../db/database';
import type { CrmSchema } from './schema';

type Int8 = number;

/** A Threadline deal and its HubSpot deal. One row per deal of a connected team, written by the sync push. */
export interface CrmDealLinkTable {
  team_id: string;
  deal_id: string;
  /** HubSpot's id, once the deal was written (or found by its threadline_deal_id). */
  hubspot_id: string | null;
  /** pending: Threadline's state waits to be written; synced: written; failed: given up (shown to the admin). */
  state: 'pending' | 'synced' | 'failed';
  attempts: Generated<number>;
  last_error: string | null;
  next_at: Int8;
  /** The HubSpot stage id last written by Threadline or read from HubSpot: a different one is a HubSpot move. */
  hs_stage: string | null;
  /** HubSpot's hs_lastmodifieddate when it was last read. */
  hs_modified_at: Int8 | null;
  /** Property → the value Threadline last wrote (a HubSpot value equal to it is not a HubSpot edit). */
  written: Generated<unknown>;
  /** The HubSpot contact and company ids already associated (`contacts:<id>`, `companies:<id>`). */
  associated: Generated<unknown>;
  updated_at: Int8;
  /** Moved by each change queued (migration 0008): a round marks the link synced only at the version it read. */
  version: Generated<Int8>;
}

export interface CrmDealCursorTable {
  team_id: string;
  /** hs_lastmodifieddate (epoch ms) read up to. */
  polled_to: Int8;
  /** When the last poll ran. */
  polled_at: Int8;
}

export type CrmDealSchema = CrmSchema & {
  crm_deal_links: CrmDealLinkTable;
  crm_deal_cursor: CrmDealCursorTable;
};

export const dealsDb = (db: Db) => db.withTables<CrmDealSchema>();
export type DealsDb = ReturnType<typeof dealsDb>;
