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
  /**
   * Analytics (server/analytics/README.md): the events as typed facts, opens and clicks folded per quarter
   * hour, one row per contact and per task, and rollups per day (funnels, A/B) and per quarter hour (the
   * daily series) that the writes keep current. Plus the rep's own views, which make opens not count.
   */
  '0003_analytics': {
    async up(db: Kysely<unknown>) {
      const counters = [
        'enrolled',
        'contacted',
        'reached',
        'sent',
        'delivered',
        'bounced',
        'bounced_hard',
        'bounced_soft',
        'opened_human',
        'opened_all',
        'clicked',
        'replied',
        'out_of_office',
        'meetings',
        'unsubscribed',
        'n_bounce',
        'n_open',
        'n_open_all',
        'n_click',
        'n_reply',
        'n_ooo',
        'n_meet',
        'n_unsub',
      ];
      const daily = [
        'enrolled',
        'sent',
        'bounced',
        'opened_human',
        'clicked',
        'replied',
        'meetings',
        'unsubscribed',
      ];
      await db.schema
        .createTable('analytics_teams')
        .addColumn('team_id', 'text', (c) => c.primaryKey().references('teams.id'))
        .addColumn('version', 'integer', (c) => c.notNull())
        .execute();
      await db.schema
        .createTable('analytics_events')
        .addColumn('team_id', 'text', (c) => c.notNull())
        .addColumn('id', 'text', (c) => c.notNull())
        .addColumn('contact', 'text', (c) => c.notNull())
        .addColumn('type', 'text', (c) => c.notNull())
        .addColumn('at', 'int8', (c) => c.notNull())
        .addColumn('step', 'integer', (c) => c.notNull())
        .addColumn('variant', 'integer', (c) => c.notNull())
        .addColumn('flag', 'boolean', (c) => c.notNull())
        .addColumn('owner_id', 'text', (c) => c.notNull())
        .addColumn('sequence_id', 'text')
        .addColumn('mailbox', 'text')
        .addColumn('enrollment_id', 'text')
        .addColumn('task_id', 'text')
        .addColumn('due_at', 'int8')
        .addPrimaryKeyConstraint('analytics_events_pk', ['team_id', 'id'])
        .execute();
      await db.schema
        .createIndex('analytics_events_contact')
        .on('analytics_events')
        .columns(['team_id', 'contact', 'at'])
        .execute();
      await sql`create index analytics_events_task on analytics_events (team_id, task_id) where task_id is not null`.execute(
        db,
      );
      await sql`create index analytics_events_ended on analytics_events (team_id, enrollment_id) where type = 'unenrolled'`.execute(
        db,
      );
      await db.schema
        .createTable('analytics_hits')
        .addColumn('team_id', 'text', (c) => c.notNull())
        .addColumn('contact', 'text', (c) => c.notNull())
        .addColumn('step', 'integer', (c) => c.notNull())
        .addColumn('kind', 'text', (c) => c.notNull())
        .addColumn('slot', 'integer', (c) => c.notNull())
        .addColumn('min_at', 'int8', (c) => c.notNull())
        .addColumn('max_at', 'int8', (c) => c.notNull())
        .addPrimaryKeyConstraint('analytics_hits_pk', ['team_id', 'contact', 'step', 'kind', 'slot'])
        .execute();
      await db.schema
        .createTable('analytics_contacts')
        .addColumn('team_id', 'text', (c) => c.notNull())
        .addColumn('contact', 'text', (c) => c.notNull())
        .addColumn('owner_id', 'text', (c) => c.notNull())
        .addColumn('sequence_id', 'text', (c) => c.notNull())
        .addColumn('mailbox', 'text', (c) => c.notNull())
        .addColumn('first_at', 'int8', (c) => c.notNull())
        .addColumn('last_at', 'int8', (c) => c.notNull())
        .addPrimaryKeyConstraint('analytics_contacts_pk', ['team_id', 'contact'])
        .execute();
      for (const column of ['first_at', 'last_at', 'owner_id', 'sequence_id'])
        await db.schema
          .createIndex(`analytics_contacts_${column}`)
          .on('analytics_contacts')
          .columns(['team_id', column])
          .execute();
      await db.schema
        .createTable('analytics_tasks')
        .addColumn('team_id', 'text', (c) => c.notNull())
        .addColumn('task_id', 'text', (c) => c.notNull())
        .addColumn('owner_id', 'text', (c) => c.notNull())
        .addColumn('sequence_id', 'text')
        .addColumn('mailbox', 'text')
        .addColumn('enrollment_id', 'text')
        .addColumn('step', 'integer', (c) => c.notNull())
        .addColumn('due_at', 'int8')
        .addColumn('done_at', 'int8')
        .addColumn('skipped', 'boolean', (c) => c.notNull())
        .addColumn('ended_at', 'int8')
        .addPrimaryKeyConstraint('analytics_tasks_pk', ['team_id', 'task_id'])
        .execute();
      await db.schema
        .createIndex('analytics_tasks_due')
        .on('analytics_tasks')
        .columns(['team_id', 'due_at'])
        .execute();
      await sql`create index analytics_tasks_enrollment on analytics_tasks (team_id, enrollment_id)`.execute(
        db,
      );

      let funnel = db.schema
        .createTable('analytics_funnel')
        .addColumn('team_id', 'text', (c) => c.notNull())
        .addColumn('sequence_id', 'text', (c) => c.notNull())
        .addColumn('mailbox', 'text', (c) => c.notNull())
        .addColumn('level', 'integer', (c) => c.notNull())
        .addColumn('day', 'integer', (c) => c.notNull());
      for (const name of counters) funnel = funnel.addColumn(name, 'integer', (c) => c.notNull());
      await funnel
        .addPrimaryKeyConstraint('analytics_funnel_pk', ['team_id', 'sequence_id', 'mailbox', 'level', 'day'])
        .execute();
      await db.schema
        .createTable('analytics_ab')
        .addColumn('team_id', 'text', (c) => c.notNull())
        .addColumn('sequence_id', 'text', (c) => c.notNull())
        .addColumn('step', 'integer', (c) => c.notNull())
        .addColumn('variant', 'integer', (c) => c.notNull())
        .addColumn('day', 'integer', (c) => c.notNull())
        .addColumn('reached', 'integer', (c) => c.notNull())
        .addColumn('replied', 'integer', (c) => c.notNull())
        .addPrimaryKeyConstraint('analytics_ab_pk', ['team_id', 'sequence_id', 'step', 'variant', 'day'])
        .execute();
      let days = db.schema
        .createTable('analytics_daily')
        .addColumn('team_id', 'text', (c) => c.notNull())
        .addColumn('level', 'integer', (c) => c.notNull())
        .addColumn('slot', 'integer', (c) => c.notNull());
      for (const name of daily) days = days.addColumn(name, 'integer', (c) => c.notNull());
      await days.addPrimaryKeyConstraint('analytics_daily_pk', ['team_id', 'level', 'slot']).execute();

      await db.schema
        .createTable('own_views')
        .addColumn('team_id', 'text', (c) => c.notNull())
        .addColumn('enrollment_id', 'text', (c) => c.notNull())
        .addColumn('user_id', 'text', (c) => c.notNull())
        .addColumn('from_at', 'int8', (c) => c.notNull())
        .addColumn('until_at', 'int8', (c) => c.notNull())
        .addPrimaryKeyConstraint('own_views_pk', ['team_id', 'enrollment_id', 'user_id', 'from_at'])
        .execute();
      // The extension reports views by thread too (POST /tracking/views).
      await sql`create index entities_enrollment_thread on entities (team_id, (data->>'threadId')) where kind = 'enrollment'`.execute(
        db,
      );
      await db.schema
        .createIndex('own_views_user')
        .on('own_views')
        .columns(['user_id', 'until_at'])
        .execute();
    },
  },
  /**
   * Security review (issue 13): server-side sessions (a refresh-token family: a reused token or a sign-out
   * revokes it, access tokens name it), whether a member's email claim was verified, the links each email
   * was decorated with (a click redirects only there), opaque unsubscribe ids, the lifts of suppressions
   * (who, when, why) and per-link counters shared by every server process.
   */
  '0004_security': {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable('sessions')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('user_id', 'text', (c) => c.notNull().references('users.id'))
        .addColumn('created_at', 'int8', (c) => c.notNull())
        .addColumn('revoked_at', 'int8')
        .addColumn('revoked_why', 'text')
        .execute();
      await db.schema.createIndex('sessions_user').on('sessions').column('user_id').execute();
      await db.schema.alterTable('refresh_tokens').addColumn('session_id', 'text').execute();
      await db.schema
        .createIndex('refresh_tokens_session')
        .on('refresh_tokens')
        .column('session_id')
        .execute();
      // Members from before this migration keep counting as verified (their sign-in was accepted then).
      await db.schema
        .alterTable('users')
        .addColumn('email_verified', 'boolean', (c) => c.notNull().defaultTo(true))
        .execute();
      // An invite for one address: only that address, verified, may use it.
      await db.schema.alterTable('invites').addColumn('email', 'text').execute();
      await db.schema
        .createTable('tracked_links')
        .addColumn('team_id', 'text', (c) => c.notNull())
        .addColumn('enrollment_id', 'text', (c) => c.notNull())
        .addColumn('step', 'integer', (c) => c.notNull())
        .addColumn('url_hash', 'text', (c) => c.notNull())
        .addColumn('created_at', 'int8', (c) => c.notNull())
        .addPrimaryKeyConstraint('tracked_links_pk', ['team_id', 'enrollment_id', 'step', 'url_hash'])
        .execute();
      await db.schema
        .createTable('unsubscribe_ids')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('team_id', 'text', (c) => c.notNull())
        .addColumn('email', 'text', (c) => c.notNull())
        .addColumn('created_at', 'int8', (c) => c.notNull())
        .addUniqueConstraint('unsubscribe_ids_address', ['team_id', 'email'])
        .execute();
      await db.schema
        .createTable('suppression_lifts')
        .addColumn('team_id', 'text', (c) => c.notNull())
        .addColumn('email', 'text', (c) => c.notNull())
        .addColumn('reason', 'text', (c) => c.notNull())
        .addColumn('was', 'text', (c) => c.notNull())
        .addColumn('lifted_by', 'text', (c) => c.notNull())
        .addColumn('at', 'int8', (c) => c.notNull())
        .execute();
      await db.schema
        .createIndex('suppression_lifts_address')
        .on('suppression_lifts')
        .columns(['team_id', 'email'])
        .execute();
      await db.schema
        .createTable('link_hits')
        .addColumn('key', 'text', (c) => c.notNull())
        .addColumn('minute', 'int8', (c) => c.notNull())
        .addColumn('hits', 'integer', (c) => c.notNull())
        .addPrimaryKeyConstraint('link_hits_pk', ['key', 'minute'])
        .execute();
      // Click links made before this migration have no recorded link set: they keep redirecting.
      await db.schema
        .createTable('server_facts')
        .addColumn('name', 'text', (c) => c.primaryKey())
        .addColumn('value', 'int8', (c) => c.notNull())
        .execute();
      await sql`insert into server_facts (name, value) values ('links_recorded_since', (extract(epoch from now()) * 1000)::int8)`.execute(
        db,
      );
    },
  },
  /**
   * The behavior layer (issue 17): deals, their history, their flags and the team's playbooks are synced rows
   * (entities of kind deal, deal_event, deal_flag, playbook). Process analytics (server/process) reads a
   * team's deals, then their history and flags by deal: these indexes serve those reads.
   */
  '0005_deals': {
    async up(db: Kysely<unknown>) {
      await sql`create index entities_deal_owner on entities (team_id, owner_id) where kind = 'deal'`.execute(
        db,
      );
      await sql`create index entities_deal_rows on entities (team_id, kind, (data->>'dealId')) where kind in ('deal_event', 'deal_flag')`.execute(
        db,
      );
    },
  },
  /**
   * The CRM bridge (server/crm): a team's connection (tokens encrypted), OAuth states in flight, members'
   * CRM owners, and the outbox of activities to log, keyed by their deterministic ids.
   */
  '0006_crm': {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable('crm_connections')
        .addColumn('team_id', 'text', (c) => c.primaryKey().references('teams.id'))
        .addColumn('provider', 'text', (c) => c.notNull())
        .addColumn('kind', 'text', (c) => c.notNull().check(sql`kind in ('oauth', 'private_app')`))
        .addColumn('portal_id', 'text', (c) => c.notNull())
        .addColumn('hub_domain', 'text')
        .addColumn('access_token', 'text', (c) => c.notNull())
        .addColumn('refresh_token', 'text')
        .addColumn('expires_at', 'int8')
        .addColumn('scopes', 'text', (c) => c.notNull())
        .addColumn('dedupe', 'jsonb')
        .addColumn('settings', 'jsonb', (c) => c.notNull())
        .addColumn('connected_by', 'text', (c) => c.notNull())
        .addColumn('connected_at', 'int8', (c) => c.notNull())
        .addColumn('last_sync_at', 'int8')
        .addColumn('last_error', 'text')
        .addColumn('daily_day', 'text', (c) => c.notNull())
        .addColumn('daily_used', 'int8', (c) => c.notNull().defaultTo(0))
        .addColumn('daily_limit', 'int8')
        .addColumn('daily_remaining', 'int8')
        .addColumn('blocked_until', 'int8')
        .execute();
      await db.schema
        .createTable('crm_oauth_states')
        .addColumn('state_hash', 'text', (c) => c.primaryKey())
        .addColumn('team_id', 'text', (c) => c.notNull())
        .addColumn('user_id', 'text', (c) => c.notNull())
        .addColumn('expires_at', 'int8', (c) => c.notNull())
        .execute();
      await db.schema
        .createTable('crm_owner_map')
        .addColumn('team_id', 'text', (c) => c.notNull())
        .addColumn('user_id', 'text', (c) => c.notNull())
        .addColumn('owner_id', 'text')
        .addColumn('edited', 'boolean', (c) => c.notNull().defaultTo(false))
        .addPrimaryKeyConstraint('crm_owner_map_pk', ['team_id', 'user_id'])
        .execute();
      await db.schema
        .createTable('crm_outbox')
        .addColumn('team_id', 'text', (c) => c.notNull())
        .addColumn('id', 'text', (c) => c.notNull())
        .addColumn('kind', 'text', (c) => c.notNull())
        .addColumn('user_id', 'text', (c) => c.notNull())
        .addColumn('contact_id', 'text')
        .addColumn('payload', 'jsonb', (c) => c.notNull())
        .addColumn('state', 'text', (c) => c.notNull())
        .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('last_error', 'text')
        .addColumn('crm_id', 'text')
        .addColumn('created_at', 'int8', (c) => c.notNull())
        .addColumn('updated_at', 'int8', (c) => c.notNull())
        .addColumn('next_at', 'int8', (c) => c.notNull())
        // The order the touches happened in (the order their mutations were applied): logged in that order.
        .addColumn('seq', 'bigserial', (c) => c.notNull())
        .addPrimaryKeyConstraint('crm_outbox_pk', ['team_id', 'id'])
        .execute();
      await sql`create index crm_outbox_waiting on crm_outbox (team_id, next_at) where state = 'pending'`.execute(
        db,
      );
    },
  },
  '0007_crm_deals': {
    async up(db: Kysely<unknown>) {
      // Each Threadline deal's HubSpot deal (server/crm/deals-sync.ts): what waits to be written, the HubSpot
      // stage last written or read, and the field values Threadline last wrote (so it can tell HubSpot edits).
      await db.schema
        .createTable('crm_deal_links')
        .addColumn('team_id', 'text', (c) => c.notNull())
        .addColumn('deal_id', 'text', (c) => c.notNull())
        .addColumn('hubspot_id', 'text')
        .addColumn('state', 'text', (c) => c.notNull())
        .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('last_error', 'text')
        .addColumn('next_at', 'int8', (c) => c.notNull())
        .addColumn('hs_stage', 'text')
        .addColumn('hs_modified_at', 'int8')
        .addColumn('written', 'jsonb', (c) => c.notNull().defaultTo(sql`'{}'::jsonb`))
        .addColumn('associated', 'jsonb', (c) => c.notNull().defaultTo(sql`'[]'::jsonb`))
        .addColumn('updated_at', 'int8', (c) => c.notNull())
        .addPrimaryKeyConstraint('crm_deal_links_pk', ['team_id', 'deal_id'])
        .execute();
      await sql`create index crm_deal_links_waiting on crm_deal_links (team_id, next_at) where state = 'pending'`.execute(
        db,
      );
      await sql`create index crm_deal_links_hubspot on crm_deal_links (team_id, hubspot_id)`.execute(db);
      // How far each team's HubSpot deals were read (hs_lastmodifieddate), and when.
      await db.schema
        .createTable('crm_deal_cursor')
        .addColumn('team_id', 'text', (c) => c.primaryKey())
        .addColumn('polled_to', 'int8', (c) => c.notNull())
        .addColumn('polled_at', 'int8', (c) => c.notNull())
        .execute();
    },
  },
  '0008_crm_deal_link_version': {
    async up(db: Kysely<unknown>) {
      // A counter moved by each change queued for a deal: the sync's guard (updated_at could repeat in a ms).
      await db.schema
        .alterTable('crm_deal_links')
        .addColumn('version', 'int8', (c) => c.notNull().defaultTo(0))
        .execute();
    },
  },
  '0009_crm_deal_portal': {
    async up(db: Kysely<unknown>) {
      // When HubSpot no longer had a linked deal (deleted or archived there): the link is kept, never re-created.
      await db.schema.alterTable('crm_deal_links').addColumn('removed_at', 'int8').execute();
      // The connection the team's deal links were settled for (server/crm/deals-portal.ts): a new connect queues
      // the unlinked deals; another portal drops the old links, remembered here for Settings → CRM.
      await db.schema
        .alterTable('crm_deal_cursor')
        .addColumn('portal_id', 'text')
        .addColumn('connected_at', 'int8')
        .addColumn('previous_portal_id', 'text')
        .addColumn('portal_changed_at', 'int8')
        .addColumn('requeued', 'integer')
        // The rolling check for deals gone from HubSpot: the last deal id checked.
        .addColumn('swept_to', 'text')
        .execute();
    },
  },
};
