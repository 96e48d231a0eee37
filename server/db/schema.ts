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
}

export interface InviteTable {
  token_hash: string;
  team_id: string;
  role: 'rep' | 'manager' | 'admin';
  created_by: string;
  expires_at: Int8;
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
}
