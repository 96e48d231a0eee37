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

export interface Schema {
  teams: TeamTable;
  users: UserTable;
  invites: InviteTable;
  nonces: NonceTable;
  refresh_tokens: RefreshTokenTable;
  entities: EntityTable;
  sync_clients: SyncClientTable;
  leases: LeaseTable;
}
