// @vitest-environment node
/**
 * A deal's link to HubSpot over its life, against the HubSpot sandbox: a move made while HubSpot fails the
 * round is not lost; a deal deleted in HubSpot stays in Threadline, marked removed, and is never created
 * there again; deals made before HubSpot was connected are queued on connect; reconnecting to another portal
 * creates the deals there instead of writing into ids of the old one.
 */
import { describe, expect, it } from 'vitest';
import type { Session } from '../../lib/contract/auth';
import { startHubSpotSandbox, type HubSpotSandbox } from '../../tools/sandbox/hubspot/server';
import { dealWorld, MINUTE } from '../testing/crm-deals';
import { DEAL_ID_PROPERTY } from './deals';
import { dealsPortalChange } from './deals-portal';
import { dealsDb } from './deals-schema';
import { tokenCipher } from './secrets';

const world = dealWorld();
const { w, connectedTeam, push, pulled, worker, editInHubSpot, deleteInHubSpot, hubspotDeal, seedDeal } =
  world;

const link = (dealId: string) =>
  dealsDb(w.server.database.db)
    .selectFrom('crm_deal_links')
    .selectAll()
    .where('deal_id', '=', dealId)
    .executeTakeFirstOrThrow();

const plainDeal = (id: string, at: number) => ({
  name: 'deal.upsert' as const,
  args: {
    id,
    name: `Plain ${id}`,
    pipelineId: 'b2b',
    stageId: 'discovery',
    stageEnteredAt: at,
    contacts: [],
    facts: {},
    createdAt: at,
    updatedAt: at,
  },
});

describe('a move made while HubSpot fails the round', () => {
  it('stays pending (not failed, not delayed) and reaches HubSpot on the next round', async () => {
    const { admin } = await connectedTeam();
    await seedDeal(admin, 'd-fail', 'fay@acme.test');
    await worker().runOnce();
    w.server.advance(MINUTE);
    await push(admin, [{ name: 'deal.upsert', args: { id: 'd-fail', name: 'Acme rollout v2' } }]);
    // HubSpot refuses the round for good (a scope the app lacks); while it answers, the rep moves the deal.
    w.hs.fault({ route: 'POST /crm/v3/objects/deals/batch/upsert', kind: 'status', status: 403 });
    const relay = await world.relayTo(
      () => w.hs.url,
      '/deals/batch/upsert',
      () =>
        push(admin, [
          {
            name: 'deal.upsert',
            args: { id: 'd-fail', stageId: 'qualified', stageEnteredAt: w.server.now() },
          },
        ]),
    );
    try {
      await worker(relay.config).runOnce();
      expect(relay.ran()).toBe(true);
    } finally {
      await relay.close();
    }
    // The failed round was about the older version: the move queued meanwhile waits, due now.
    const waiting = await link('d-fail');
    expect(waiting).toMatchObject({ state: 'pending', attempts: 0, last_error: null });
    expect(Number(waiting.next_at)).toBeLessThanOrEqual(w.server.now());
    await worker().runOnce();
    expect(hubspotDeal('d-fail').properties).toMatchObject({
      dealname: 'Acme rollout v2',
      dealstage: 'qualifiedtobuy',
    });
    expect(await link('d-fail')).toMatchObject({ state: 'synced' });
  });

  it('without a move meanwhile, the failure is recorded as before (failed, with HubSpot’s message)', async () => {
    const { admin } = await connectedTeam();
    await seedDeal(admin, 'd-fail2', 'gus@acme.test');
    w.hs.fault({ route: 'POST /crm/v3/objects/deals/batch/upsert', kind: 'status', status: 403 });
    await worker().runOnce();
    const failed = await link('d-fail2');
    expect(failed).toMatchObject({ state: 'failed', attempts: 1 });
    expect(failed.last_error).toMatch(/^HubSpot: /);
  });
});

describe('a deal deleted in HubSpot', () => {
  async function removedDeal(admin: Session, dealId: string) {
    const deal = (await pulled(admin, 'deal')).get(dealId) as { crm?: Record<string, unknown> };
    return deal.crm;
  }

  it('is found by the schedule, kept in Threadline marked removed with the date, and never created again', async () => {
    const { admin, token } = await connectedTeam();
    await seedDeal(admin, 'd-gone', 'hal@acme.test');
    await worker().runOnce();
    const hubspotId = hubspotDeal('d-gone').id;
    w.server.advance(MINUTE);
    await deleteInHubSpot(token, hubspotId);
    const deletedAt = w.server.now();
    w.server.advance(2 * MINUTE);
    await worker().runOnce();
    expect(await removedDeal(admin, 'd-gone')).toEqual({
      provider: 'hubspot',
      id: hubspotId,
      removedAt: expect.any(Number),
    });
    expect((await removedDeal(admin, 'd-gone'))!.removedAt).toBeGreaterThanOrEqual(deletedAt);
    expect(await link('d-gone')).toMatchObject({ state: 'removed', hubspot_id: hubspotId });
    // The rep keeps working the deal: nothing is written to HubSpot again.
    await push(admin, [
      { name: 'deal.upsert', args: { id: 'd-gone', stageId: 'qualified', stageEnteredAt: w.server.now() } },
    ]);
    w.server.advance(2 * MINUTE);
    await worker().runOnce();
    await worker().runOnce();
    const live = w.hs.records('deals').filter((d) => d.properties[DEAL_ID_PROPERTY] === 'd-gone');
    expect(live.filter((d) => !d.archived)).toEqual([]);
    expect((await pulled(admin, 'deal')).get('d-gone')).toMatchObject({ stageId: 'qualified' });
  });

  it('is found by a push round (not written) and by the thread panel refresh', async () => {
    const { admin, token } = await connectedTeam();
    await seedDeal(admin, 'd-gone2', 'ivy@acme.test');
    await seedDeal(admin, 'd-gone3', 'jo@acme.test');
    await worker().runOnce();
    const [second, third] = [hubspotDeal('d-gone2').id, hubspotDeal('d-gone3').id];
    await deleteInHubSpot(token, second);
    await deleteInHubSpot(token, third);
    // A change queued before any poll: the round finds HubSpot has no deal by its id and writes none.
    await push(admin, [{ name: 'deal.upsert', args: { id: 'd-gone2', name: 'Renamed' } }]);
    await worker().deals.runTeam(admin.user.teamId, { poll: 'never' });
    expect(w.hs.records('deals').filter((d) => d.properties.dealname === 'Renamed')).toEqual([]);
    expect(await link('d-gone2')).toMatchObject({ state: 'removed' });
    expect((await removedDeal(admin, 'd-gone2'))?.removedAt).toEqual(expect.any(Number));
    // The thread panel asks about the other: HubSpot answers 404, the deal is no longer linked.
    const res = await w.server.call<{ linked: boolean; moved: boolean }>('POST', '/crm/deals/refresh', {
      token: admin.accessToken,
      body: { dealId: 'd-gone3' },
    });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ linked: false, moved: false });
    expect(await link('d-gone3')).toMatchObject({ state: 'removed', hubspot_id: third });
    expect((await removedDeal(admin, 'd-gone3'))?.removedAt).toEqual(expect.any(Number));
  });
});

describe('a linked deal the read by Threadline id misses', () => {
  it('is not removed when its threadline_deal_id was edited in HubSpot: the id is put back and the change written', async () => {
    const { admin, token } = await connectedTeam({});
    await push(admin, [plainDeal('d-relabel', w.server.now())]);
    await worker().runOnce();
    const hubspotId = hubspotDeal('d-relabel').id;
    w.server.advance(MINUTE);
    await editInHubSpot(token, hubspotId, { [DEAL_ID_PROPERTY]: 'typed over in HubSpot' });
    w.server.advance(MINUTE);
    await push(admin, [{ name: 'deal.upsert', args: { id: 'd-relabel', name: 'Renamed in Threadline' } }]);
    await worker().deals.runTeam(admin.user.teamId, { poll: 'never' });
    expect(await link('d-relabel')).toMatchObject({ state: 'synced', hubspot_id: hubspotId });
    expect(hubspotDeal('d-relabel')).toMatchObject({
      id: hubspotId,
      properties: { dealname: 'Renamed in Threadline' },
    });
    expect((await pulled(admin, 'deal')).get('d-relabel')!.crm).toEqual({
      provider: 'hubspot',
      id: hubspotId,
    });
  });

  it('is not removed when HubSpot fails the reads without saying the deal is gone', async () => {
    const { admin } = await connectedTeam({});
    await push(admin, [plainDeal('d-unsure', w.server.now())]);
    await worker().runOnce();
    const hubspotId = hubspotDeal('d-unsure').id;
    await push(admin, [{ name: 'deal.upsert', args: { id: 'd-unsure', name: 'Renamed meanwhile' } }]);
    // Both reads answer 207 with nothing read and an error that is not "not found".
    w.hs.fault({
      route: 'POST /crm/v3/objects/deals/batch/read',
      kind: 'status',
      status: 207,
      times: 2,
      body: {
        status: 'COMPLETE',
        results: [],
        numErrors: 1,
        errors: [{ status: 'error', category: 'INTERNAL_ERROR', message: 'try again', context: {} }],
      },
    });
    await worker().deals.runTeam(admin.user.teamId, { poll: 'never' });
    expect(await link('d-unsure')).toMatchObject({ state: 'pending', hubspot_id: hubspotId });
    expect((await pulled(admin, 'deal')).get('d-unsure')!.crm).toEqual({
      provider: 'hubspot',
      id: hubspotId,
    });
    w.server.advance(5 * MINUTE);
    await worker().deals.runTeam(admin.user.teamId, { poll: 'never' });
    expect(await link('d-unsure')).toMatchObject({ state: 'synced', hubspot_id: hubspotId });
    expect(hubspotDeal('d-unsure').properties.dealname).toBe('Renamed meanwhile');
  });
});

describe('connecting', () => {
  it('queues the deals Threadline already had, and on a reconnect those still unlinked', async () => {
    const { admin } = await w.server.newTeam();
    const at = w.server.now();
    await push(admin, [plainDeal('d-before1', at), plainDeal('d-before2', at)]);
    // Not connected: nothing waits for HubSpot.
    const none = await dealsDb(w.server.database.db)
      .selectFrom('crm_deal_links')
      .select('deal_id')
      .where('team_id', '=', admin.user.teamId)
      .execute();
    expect(none).toEqual([]);
    w.hs.addOwner({ email: admin.user.email });
    const token = w.hs.privateAppToken();
    const connected = await w.server.call('POST', '/crm/hubspot/private-app', {
      token: admin.accessToken,
      body: { token },
    });
    expect(connected.status).toBe(200);
    await worker().runOnce();
    expect(hubspotDeal('d-before1').properties.dealname).toBe('Plain d-before1');
    expect(hubspotDeal('d-before2').properties.dealname).toBe('Plain d-before2');
    // Disconnected, a deal is made; connected again, it is queued too and the linked ones stay as they are.
    await w.server.call('DELETE', '/crm/connection', { token: admin.accessToken });
    await push(admin, [plainDeal('d-between', w.server.now())]);
    w.server.advance(MINUTE);
    await w.server.call('POST', '/crm/hubspot/private-app', { token: admin.accessToken, body: { token } });
    await worker().runOnce();
    expect(hubspotDeal('d-between').properties.dealname).toBe('Plain d-between');
    expect(hubspotDeal('d-before1').id).toBe((await link('d-before1')).hubspot_id);
  });

  it('to another HubSpot portal: drops the old links, creates every deal in the new portal, and says so', async () => {
    const { admin } = await connectedTeam({});
    const at = w.server.now();
    await push(admin, [plainDeal('d-moved1', at), plainDeal('d-moved2', at)]);
    await worker().runOnce();
    const oldId = hubspotDeal('d-moved1').id;
    const other = await startHubSpotSandbox({ now: w.server.now, portalId: 99_000_001 });
    try {
      // The admin connects the other portal: its token sealed and the owners matched as connecting does.
      const owner = other.addOwner({ email: admin.user.email });
      const teamId = admin.user.teamId;
      const sealed = tokenCipher(w.config.tokenKey!).seal(other.privateAppToken(), teamId);
      const db = dealsDb(w.server.database.db);
      await db
        .updateTable('crm_connections')
        .set({ portal_id: String(other.portalId), access_token: sealed, connected_at: w.server.now() })
        .where('team_id', '=', teamId)
        .execute();
      await db
        .updateTable('crm_owner_map')
        .set({ owner_id: owner.id })
        .where('team_id', '=', teamId)
        .execute();
      expect(await dealsPortalChange(w.server.database.db, teamId, String(other.portalId))).toEqual({
        previousPortalId: String(w.hs.portalId),
        at: null,
        requeued: null,
      });
      const there = { ...w.config, hubspot: { ...w.config.hubspot, apiBase: other.url } };
      await worker(there).runOnce();
      await worker(there).runOnce();
      const created = hubspotDeal('d-moved1', other);
      expect(hubspotDeal('d-moved2', other).properties.dealname).toBe('Plain d-moved2');
      expect(await link('d-moved1')).toMatchObject({ state: 'synced', hubspot_id: created.id });
      expect((await pulled(admin, 'deal')).get('d-moved1')).toMatchObject({
        crm: { provider: 'hubspot', id: created.id },
      });
      // The old portal is not written again.
      expect(hubspotDeal('d-moved1').id).toBe(oldId);
      expect(await dealsPortalChange(w.server.database.db, teamId, String(other.portalId))).toEqual({
        previousPortalId: String(w.hs.portalId),
        at: expect.any(Number),
        requeued: 2,
      });
      // Settings → CRM's answer says so.
      const status = await w.server.call<{ dealsPortalChange?: unknown }>('GET', '/crm/connection', {
        token: admin.accessToken,
      });
      expect(status.body.dealsPortalChange).toEqual({
        previousPortalId: String(w.hs.portalId),
        at: expect.any(Number),
        requeued: 2,
      });
    } finally {
      await other.stop();
    }
  });
});

/** The admin connects another portal: its token sealed and the owners matched as connecting does. */
async function reconnectTo(teamId: string, other: HubSpotSandbox, email: string) {
  const owner = other.addOwner({ email });
  const sealed = tokenCipher(w.config.tokenKey!).seal(other.privateAppToken(), teamId);
  const db = dealsDb(w.server.database.db);
  w.server.advance(1000);
  await db
    .updateTable('crm_connections')
    .set({ portal_id: String(other.portalId), access_token: sealed, connected_at: w.server.now() })
    .where('team_id', '=', teamId)
    .execute();
  await db.updateTable('crm_owner_map').set({ owner_id: owner.id }).where('team_id', '=', teamId).execute();
}

describe('reconnecting while a deal round runs', () => {
  it('records none of the old portal’s answers onto the links queued for the new portal', async () => {
    const { admin } = await connectedTeam({});
    const teamId = admin.user.teamId;
    await push(admin, [plainDeal('d-mid', w.server.now())]);
    const other = await startHubSpotSandbox({ now: w.server.now, portalId: 99_000_002 });
    try {
      // While the round's write is on its way to the old portal, the admin connects the other one and the
      // thread panel's refresh settles the links for it.
      const relay = await world.relayTo(
        () => w.hs.url,
        '/deals/batch/upsert',
        async () => {
          await reconnectTo(teamId, other, admin.user.email);
          const res = await w.server.call('POST', '/crm/deals/refresh', {
            token: admin.accessToken,
            body: { dealId: 'd-mid' },
          });
          expect(res.status).toBe(200);
        },
      );
      try {
        await worker(relay.config).deals.runTeam(teamId, { poll: 'never' });
        expect(relay.ran()).toBe(true);
      } finally {
        await relay.close();
      }
      expect(await link('d-mid')).toMatchObject({ state: 'pending', hubspot_id: null });
      expect((await pulled(admin, 'deal')).get('d-mid')!.crm).toBeUndefined();
      const there = { ...w.config, hubspot: { ...w.config.hubspot, apiBase: other.url } };
      await worker(there).deals.runTeam(teamId, { poll: 'never' });
      const created = hubspotDeal('d-mid', other);
      expect(await link('d-mid')).toMatchObject({ state: 'synced', hubspot_id: created.id });
      expect((await pulled(admin, 'deal')).get('d-mid')).toMatchObject({
        crm: { provider: 'hubspot', id: created.id },
      });
    } finally {
      await other.stop();
    }
  });
});

describe('a connection whose portal is unknown', () => {
  it('changes nothing: the links, the deals’ HubSpot ids and Settings → CRM stay as they were', async () => {
    const { admin } = await connectedTeam({});
    const teamId = admin.user.teamId;
    await push(admin, [plainDeal('d-unknown', w.server.now())]);
    await worker().runOnce();
    const hubspotId = hubspotDeal('d-unknown').id;
    w.server.advance(MINUTE);
    await dealsDb(w.server.database.db)
      .updateTable('crm_connections')
      .set({ portal_id: '', connected_at: w.server.now() })
      .where('team_id', '=', teamId)
      .execute();
    expect(await worker().deals.teamsDue()).not.toContain(teamId);
    await worker().deals.runTeam(teamId, { poll: 'now' });
    const res = await w.server.call('POST', '/crm/deals/refresh', {
      token: admin.accessToken,
      body: { dealId: 'd-unknown' },
    });
    expect(res.status).toBe(200);
    expect(await link('d-unknown')).toMatchObject({ state: 'synced', hubspot_id: hubspotId });
    expect((await pulled(admin, 'deal')).get('d-unknown')).toMatchObject({
      crm: { provider: 'hubspot', id: hubspotId },
    });
    const status = await w.server.call<{ dealsPortalChange?: unknown }>('GET', '/crm/connection', {
      token: admin.accessToken,
    });
    expect(status.body.dealsPortalChange ?? null).toBeNull();
    expect(w.hs.records('deals').filter((d) => d.properties[DEAL_ID_PROPERTY] === 'd-unknown')).toHaveLength(
      1,
    );
  });
});

describe('stage moved in HubSpot while a deal is removed', () => {
  it('does not bring a removed deal’s old HubSpot stage back', async () => {
    const { admin, token } = await connectedTeam();
    await seedDeal(admin, 'd-gone4', 'kim@acme.test');
    await worker().runOnce();
    const id = hubspotDeal('d-gone4').id;
    await editInHubSpot(token, id, { dealstage: 'contractsent' });
    await deleteInHubSpot(token, id);
    w.server.advance(2 * MINUTE);
    await worker().runOnce();
    expect((await pulled(admin, 'deal')).get('d-gone4')).toMatchObject({ stageId: 'discovery' });
  });
});

describe('deal sync turned off, then on again', () => {
  it('sends the deal changes and the deals made while it was off, and leaves the unchanged deals alone', async () => {
    const { admin } = await connectedTeam({});
    const at = w.server.now();
    await push(admin, [plainDeal('d-off-changed', at), plainDeal('d-off-still', at)]);
    await worker().runOnce();
    const still = await link('d-off-still');
    const deals = (enabled: boolean) =>
      w.server.call('PATCH', '/crm/settings', {
        token: admin.accessToken,
        body: { deals: { enabled, pipelines: {}, facts: {}, threadlineWins: [] } },
      });
    expect((await deals(false)).status).toBe(200);
    w.server.advance(MINUTE);
    await push(admin, [
      { name: 'deal.upsert', args: { id: 'd-off-changed', name: 'Renamed while off' } },
      plainDeal('d-off-new', w.server.now()),
    ]);
    await worker().runOnce();
    // Off: nothing reaches HubSpot.
    expect(hubspotDeal('d-off-changed').properties.dealname).toBe('Plain d-off-changed');
    expect(w.hs.records('deals').filter((d) => d.properties[DEAL_ID_PROPERTY] === 'd-off-new')).toEqual([]);
    expect((await deals(true)).status).toBe(200);
    expect(await link('d-off-still')).toMatchObject({ state: 'synced', version: still.version });
    await worker().runOnce();
    expect(hubspotDeal('d-off-changed').properties.dealname).toBe('Renamed while off');
    expect(hubspotDeal('d-off-new').properties.dealname).toBe('Plain d-off-new');
    expect(await link('d-off-new')).toMatchObject({ state: 'synced' });
    expect(Number((await link('d-off-still')).updated_at)).toBe(Number(still.updated_at));
  });
});

describe('the deal rounds’ teams', () => {
  it('are only the teams with deal work: a connect to settle, deals waiting, or a poll due', async () => {
    const { admin } = await connectedTeam();
    const teamId = admin.user.teamId;
    const sync = () => worker().deals;
    // Just connected: its links are settled by the next round.
    expect(await sync().teamsDue()).toContain(teamId);
    await sync().runTeam(teamId, { poll: 'now' });
    expect(await sync().teamsDue()).not.toContain(teamId);
    // A deal waits: due at once.
    await push(admin, [plainDeal('d-due', w.server.now())]);
    expect(await sync().teamsDue()).toContain(teamId);
    await sync().runTeam(teamId, { poll: 'never' });
    expect(await sync().teamsDue()).not.toContain(teamId);
    // A minute later the poll is due.
    w.server.advance(MINUTE);
    expect(await sync().teamsDue()).toContain(teamId);
  });
});
