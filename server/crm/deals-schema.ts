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
  /**
   * pending: Threadline's state waits to be written; synced: written; failed: given up (shown to the admin);
   * removed: HubSpot no longer has the deal (deleted or archived there): never written again (migration 0009).
   */
  state: 'pending' | 'synced' | 'failed' | 'removed';
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
  /** When the deal was found gone from HubSpot (state removed). */
  removed_at: Int8 | null;
}

export interface CrmDealCursorTable {
  team_id: string;
  /** hs_lastmodifieddate (epoch ms) read up to. */
  polled_to: Int8;
  /** When the last poll ran. */
  polled_at: Int8;
  /** The portal and connect time the links were settled for (deals-portal.ts); null before migration 0009. */
  portal_id: string | null;
  connected_at: Int8 | null;
  /** The last change of portal: the one the old links pointed into, when, and how many deals were queued. */
  previous_portal_id: string | null;
  portal_changed_at: Int8 | null;
  requeued: number | null;
  /** The rolling check for deals gone from HubSpot (deals-removed.ts): the last deal id checked. */
  swept_to: string | null;
}

export type CrmDealSchema = CrmSchema & {
  crm_deal_links: CrmDealLinkTable;
  crm_deal_cursor: CrmDealCursorTable;
};

export const dealsDb = (db: Db) => db.withTables<CrmDealSchema>();
export type DealsDb = ReturnType<typeof dealsDb>;
