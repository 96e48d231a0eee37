import { sql, type Kysely, type Migration } from 'kysely';

/**
 * Versioned migrations, applied in name order by Kysely's Migrator (which takes a lock, so several
 * processes starting together migrate once). Never edit a released migration: add the next one.
 */
export const migrations: Record<string, Migration> = {
  '0001_initial': {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable('teams')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('version', 'int8', (c) => c.notNull().defaultTo(0))
        .addColumn('created_at', 'int8', (c) => c.notNull())
        .execute();
      await db.schema
        .createTable('users')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('team_id', 'text', (c) => c.notNull().references('teams.id'))
        .addColumn('email', 'text', (c) => c.notNull())
        .addColumn('name', 'text')
        .addColumn('role', 'text', (c) => c.notNull().check(sql`role in ('rep', 'manager', 'admin')`))
        .addColumn('issuer', 'text', (c) => c.notNull())
        .addColumn('subject', 'text', (c) => c.notNull())
        .addColumn('removed', 'boolean', (c) => c.notNull().defaultTo(false))
        .addColumn('created_at', 'int8', (c) => c.notNull())
        .addUniqueConstraint('users_identity', ['issuer', 'subject'])
        .execute();
      await db.schema.createIndex('users_team').on('users').column('team_id').execute();
      await db.schema
        .createTable('invites')
        .addColumn('token_hash', 'text', (c) => c.primaryKey())
        .addColumn('team_id', 'text', (c) => c.notNull().references('teams.id'))
        .addColumn('role', 'text', (c) => c.notNull())
        .addColumn('created_by', 'text', (c) => c.notNull())
        .addColumn('expires_at', 'int8', (c) => c.notNull())
        .execute();
      await db.schema
        .createTable('nonces')
        .addColumn('value', 'text', (c) => c.primaryKey())
        .addColumn('expires_at', 'int8', (c) => c.notNull())
        .execute();
      await db.schema
        .createTable('refresh_tokens')
        .addColumn('token_hash', 'text', (c) => c.primaryKey())
        .addColumn('user_id', 'text', (c) => c.notNull().references('users.id'))
        .addColumn('expires_at', 'int8', (c) => c.notNull())
        .addColumn('revoked', 'boolean', (c) => c.notNull().defaultTo(false))
        .execute();
      await db.schema
        .createTable('entities')
        .addColumn('team_id', 'text', (c) => c.notNull().references('teams.id'))
        .addColumn('kind', 'text', (c) => c.notNull())
        .addColumn('id', 'text', (c) => c.notNull())
        .addColumn('owner_id', 'text', (c) => c.notNull())
        .addColumn('shared', 'boolean', (c) => c.notNull())
        .addColumn('version', 'int8', (c) => c.notNull())
        .addColumn('deleted', 'boolean', (c) => c.notNull())
        .addColumn('data', 'jsonb')
        .addPrimaryKeyConstraint('entities_pk', ['team_id', 'kind', 'id'])
        .execute();
      await db.schema
        .createIndex('entities_changes')
        .on('entities')
        .columns(['team_id', 'version'])
        .execute();
      await db.schema
        .createTable('sync_clients')
        .addColumn('user_id', 'text', (c) => c.notNull().references('users.id'))
        .addColumn('client_id', 'text', (c) => c.notNull())
        .addColumn('last_mutation_id', 'int8', (c) => c.notNull())
        .addPrimaryKeyConstraint('sync_clients_pk', ['user_id', 'client_id'])
        .execute();
      await db.schema
        .createTable('leases')
        .addColumn('user_id', 'text', (c) => c.notNull().references('users.id'))
        .addColumn('mailbox', 'text', (c) => c.notNull())
        .addColumn('holder', 'text', (c) => c.notNull())
        .addColumn('fencing_token', 'int8', (c) => c.notNull())
        .addColumn('expires_at', 'int8', (c) => c.notNull())
        .addPrimaryKeyConstraint('leases_pk', ['user_id', 'mailbox'])
        .execute();
    },
  },
  // A row that was ever shared with the team: when it stops being shared, colleagues get its tombstone.
  '0002_entities_was_shared': {
    async up(db: Kysely<unknown>) {
      await db.schema
        .alterTable('entities')
        .addColumn('was_shared', 'boolean', (c) => c.notNull().defaultTo(false))
        .execute();
      await sql`update entities set was_shared = shared`.execute(db);
    },
  },
};
