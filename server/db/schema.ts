import type { ColumnType, Generated } from 'kysely';

/** int8 columns come back as numbers (our values stay far below 2^53); see createDatabase's type parser. */
type Int8 = number;

export interface TeamTable {
  id: string;
  name: string;
  /** The team's change counter: every synced write takes the next value (the pull cursor). */
  version: Generated<Int8>;
  created_at: Int8;
}

export interface UserTable {
  id: string;
  team_id: string;
  email: string;
  name: string | null;
  role: 'rep' | 'manager' | 'admin';
  issuer: string;
  subject: string;
  removed: Generated<boolean>;
  created_at: Int8;
  /** The provider vouched for `email` (migration 0004); an unverified one is shown as such and attributes nothing. */
  email_verified: Generated<boolean>;
}

export interface InviteTable {
  token_hash: string;
  team_id: string;
  role: 'rep' | 'manager' | 'admin';
  created_by: string;
  expires_at: Int8;
  /** Only this address (verified) may use it (migration 0004); null: whoever holds the link. */
  email: string | null;
}

export interface NonceTable {
  value: string;
  expires_at: Int8;
}

export interface RefreshTokenTable {
  token_hash: string;
  user_id: string;
  expires_at: Int8;
  revoked: Generated<boolean>;
  /** The session (refresh-token family) it belongs to; null for tokens from before migration 0004. */
  session_id: string | null;
}

/** A sign-in and every refresh of it: one family of refresh tokens, named by its access tokens (`sid`). */
export interface SessionTable {
  id: string;
  user_id: string;
  created_at: Int8;
  revoked_at: Int8 | null;
  /** 'sign_out', 'reuse' (a used refresh token came back: theft), 'removed'. */
  revoked_why: string | null;
}

/** A URL an email was decorated with (POST /tracking/links): the only places its click links redirect to. */
export interface TrackedLinkTable {
  team_id: string;
  enrollment_id: string;
  step: number;
  /** sha256 (base64url) of the URL. */
  url_hash: string;
  created_at: Int8;
}

/** The opaque id an unsubscribe link carries instead of the address. */
export interface UnsubscribeIdTable {
  id: string;
  team_id: string;
  email: string;
  created_at: Int8;
}

/** An admin lifted an unsubscribe or complaint suppression: who, when, why, and what it was. */
export interface SuppressionLiftTable {
  team_id: string;
  email: string;
  reason: string;
  was: string;
  lifted_by: string;
  at: Int8;
}

/** Hits written per tracking link and minute, shared by every server process (the per-link cap). */
export interface LinkHitTable {
  key: string;
  minute: Int8;
  hits: number;
}

export interface EntityTable {
  team_id: string;
  kind: string;
  id: string;
  /** The user whose row it is (the rep who created it). */
  owner_id: string;
  /** Visible to the whole team (team-shared sequences, suppressions). */
  shared: boolean;
  /** It was shared at some point: colleagues who pulled it get a tombstone once it is not. */
  was_shared: Generated<boolean>;
  version: Int8;
  deleted: boolean;
  data: ColumnType<Record<string, unknown> | null, string | null, string | null>;
}

export interface SyncClientTable {
  user_id: string;
  client_id: string;
  last_mutation_id: Int8;
}

export interface LeaseTable {
  user_id: string;
  mailbox: string;
  holder: string;
  fencing_token: Int8;
  expires_at: Int8;
}

/** Analytics (migration 0003; server/analytics/README.md). Counters are int4 sums. */
export interface AnalyticsTeamTable {
  team_id: string;
  /** The derivation the rows were built with; a team below ANALYTICS_VERSION is rebuilt in the background. */
  version: number;
}

export interface AnalyticsEventTable {
  team_id: string;
  id: string;
  /** The enrollment, else `${sequenceId}|${contactId}`, else the event id (lib/analytics's contact). */
  contact: string;
  type: string;
  at: Int8;
  /** The event's stepIndex, -1 without one. */
  step: number;
  /** A sent email's A/B variant, -1 without one. */
  variant: number;
  /** An open's data.machine, a bounce's data.permanent. */
  flag: boolean;
  owner_id: string;
  sequence_id: string | null;
  mailbox: string | null;
  enrollment_id: string | null;
  task_id: string | null;
  due_at: Int8 | null;
}

export interface AnalyticsHitTable {
  team_id: string;
  contact: string;
  step: number;
  /** h: a person's open, m: a machine's open, c: a click. */
  kind: string;
  /** Quarter hours since the epoch. */
  slot: number;
  min_at: Int8;
  max_at: Int8;
}

export interface AnalyticsContactTable {
  team_id: string;
  contact: string;
  owner_id: string;
  sequence_id: string;
  mailbox: string;
  first_at: Int8;
  last_at: Int8;
}

export interface AnalyticsTaskTable {
  team_id: string;
  task_id: string;
  owner_id: string;
  sequence_id: string | null;
  mailbox: string | null;
  enrollment_id: string | null;
  step: number;
  due_at: Int8 | null;
  done_at: Int8 | null;
  skipped: boolean;
  ended_at: Int8 | null;
}

export interface OwnViewTable {
  team_id: string;
  enrollment_id: string;
  user_id: string;
  from_at: Int8;
  until_at: Int8;
}

export interface Schema {
  teams: TeamTable;
  users: UserTable;
  invites: InviteTable;
  nonces: NonceTable;
  refresh_tokens: RefreshTokenTable;
  entities: EntityTable;
  sync_clients: SyncClientTable;
  leases: LeaseTable;
  analytics_teams: AnalyticsTeamTable;
  analytics_events: AnalyticsEventTable;
  analytics_hits: AnalyticsHitTable;
  analytics_contacts: AnalyticsContactTable;
  analytics_tasks: AnalyticsTaskTable;
  own_views: OwnViewTable;
  sessions: SessionTable;
  tracked_links: TrackedLinkTable;
  unsubscribe_ids: UnsubscribeIdTable;
  suppression_lifts: SuppressionLiftTable;
  link_hits: LinkHitTable;
  server_facts: ServerFactTable;
}

/** Facts about this database: `links_recorded_since` (ms), when click links began to be recorded. */
export interface ServerFactTable {
  name: string;
  value: Int8;
}
