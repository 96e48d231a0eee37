/**
 * Connecting and disconnecting a team's HubSpot: the tokens stored sealed, the id property created and the
 * members matched to HubSpot owners by email on connect; revoked where HubSpot allows and deleted on
 * disconnect. Either way the team's kept CRM reads are forgotten (team-reads.ts).
 */
import { loadConnection, openSession, revokeConnection, utcDay, type CrmSession } from './connection';
import { connectionOr404, type CrmContext } from './context';
import { CrmSettings } from './settings';

export interface NewConnection {
  kind: 'oauth' | 'private_app';
  portalId: string;
  hubDomain: string | null;
  access: string;
  refresh?: string;
  expiresAt?: number;
  scopes: string[];
}

/** Stores the connection, creates the id property and matches owners by email. */
export async function connectTeam(
  ctx: CrmContext,
  teamId: string,
  userId: string,
  fields: NewConnection,
): Promise<void> {
  const { db, deps, config } = ctx;
  const seal = ctx.cipher();
  const now = deps.now();
  const values = {
    team_id: teamId,
    provider: 'hubspot' as const,
    kind: fields.kind,
    portal_id: fields.portalId,
    hub_domain: fields.hubDomain,
    access_token: seal.seal(fields.access, teamId),
    refresh_token: fields.refresh ? seal.seal(fields.refresh, teamId) : null,
    expires_at: fields.expiresAt ?? null,
    scopes: fields.scopes.join(' '),
    dedupe: null,
    settings: JSON.stringify(CrmSettings.parse({})),
    connected_by: userId,
    connected_at: now,
    last_sync_at: null,
    last_error: null,
    daily_day: utcDay(now),
    daily_limit: null,
    daily_remaining: null,
    blocked_until: null,
  };
  await db
    .insertInto('crm_connections')
    .values(values)
    .onConflict((oc) =>
      oc.column('team_id').doUpdateSet({
        kind: values.kind,
        portal_id: values.portal_id,
        hub_domain: values.hub_domain,
        access_token: values.access_token,
        refresh_token: values.refresh_token,
        expires_at: values.expires_at,
        scopes: values.scopes,
        connected_by: userId,
        connected_at: now,
        last_error: null,
        blocked_until: null,
      }),
    )
    .execute();
  // Nothing read over an earlier connection is served over this one.
  ctx.reads.forget(teamId);
  const row = (await loadConnection(db, teamId))!;
  const session = openSession(db, config, deps.log, row, deps.now);
  try {
    const dedupe = await session.provider.prepare();
    await db
      .updateTable('crm_connections')
      .set({ dedupe: JSON.stringify(dedupe) })
      .where('team_id', '=', teamId)
      .execute();
    await matchOwners(ctx, teamId, session);
  } catch (error) {
    await db
      .updateTable('crm_connections')
      .set({ last_error: `Setting up HubSpot failed: ${(error as Error).message}`.slice(0, 2000) })
      .where('team_id', '=', teamId)
      .execute();
  } finally {
    await session.record();
  }
}

/** Maps each member to the HubSpot owner with their email, except mappings an admin edited. */
async function matchOwners({ db }: CrmContext, teamId: string, session: CrmSession) {
  const owners = await session.provider.owners();
  const byEmail = new Map(owners.map((o) => [o.email.toLowerCase(), o.id]));
  const members = await db
    .selectFrom('users')
    .select(['id', 'email'])
    .where('team_id', '=', teamId)
    .where('removed', '=', false)
    .execute();
  for (const m of members) {
    const ownerId = byEmail.get(m.email.toLowerCase()) ?? null;
    await db
      .insertInto('crm_owner_map')
      .values({ team_id: teamId, user_id: m.id, owner_id: ownerId, edited: false })
      .onConflict((oc) =>
        oc
          .columns(['team_id', 'user_id'])
          .doUpdateSet({ owner_id: ownerId })
          .where('crm_owner_map.edited', '=', false),
      )
      .execute();
  }
  return owners;
}

/** Revokes the team's tokens where HubSpot allows, deletes the connection and its owner mapping. */
export async function disconnectTeam(ctx: CrmContext, teamId: string): Promise<{ revoked: boolean }> {
  const { db, config, deps } = ctx;
  const row = await connectionOr404(db, teamId);
  const revoked = await revokeConnection(config, row, deps.log);
  await db.deleteFrom('crm_connections').where('team_id', '=', teamId).execute();
  await db.deleteFrom('crm_owner_map').where('team_id', '=', teamId).execute();
  ctx.reads.forget(teamId);
  return { revoked };
}
