// @vitest-environment node
/**
 * Deals both ways against the HubSpot sandbox: a deal a rep syncs becomes one HubSpot deal (pipeline and
 * stage by id, amount, close date, a mapped fact, the owner) associated with its contact and company; a stage
 * moved in Threadline moves the HubSpot deal; a stage moved in HubSpot reaches the rep's devices (by the
 * schedule and by the thread panel's refresh) with a history row by "hubspot"; an older move never
 * overwrites a newer one, either way; a field edited in HubSpot is kept.
 */
import { describe, expect, it } from 'vitest';
import { dealWorld, MINUTE } from '../testing/crm-deals';
import { DEAL_ID_PROPERTY } from './deals';
import { dealsDb } from './deals-schema';

const { w, connectedTeam, push, pulled, worker, editInHubSpot, hubspotDeal, seedDeal, relayTo } = dealWorld();

describe('deals to HubSpot', () => {
  it('creates one HubSpot deal per Threadline deal, with stage by id, fields, owner and associations, and records its id on the deal', async () => {
    const { admin } = await connectedTeam();
    const { company, contact } = await seedDeal(admin, 'd-create', 'lin@acme.test');
    await worker().runOnce();
    await worker().runOnce();
    const deal = hubspotDeal('d-create');
    expect(deal.properties).toMatchObject({
      dealname: 'Acme rollout',
      pipeline: 'default',
      dealstage: 'appointmentscheduled',
      amount: '12000',
      deal_currency_code: 'EUR',
      description: 'Follow-ups fall through',
    });
    expect(Date.parse(deal.properties.closedate!)).toBe(Date.parse('2027-03-31T00:00:00Z'));
    expect(deal.properties.hubspot_owner_id).toMatch(/^\d+$/);
    expect(deal.associations.contacts).toEqual([contact]);
    expect(deal.associations.companies).toEqual([company]);
    // The rep's devices learn the HubSpot id (the deal card and the activities use it).
    const synced = (await pulled(admin, 'deal')).get('d-create')!;
    expect(synced.crm).toEqual({ provider: 'hubspot', id: deal.id });
  });

  it('reads the contacts’ companies once in a round that writes a deal and logs its contact’s email, both associated with the company', async () => {
    const { admin } = await connectedTeam();
    const { company, contact } = await seedDeal(admin, 'd-once', 'ola@acme.test');
    const at = w.server.now();
    await push(admin, [
      {
        name: 'events.record',
        args: {
          events: [
            {
              id: 'ev-once',
              at,
              type: 'sent',
              contactId: 'c-d-once',
              mailbox: admin.user.email,
              data: { subject: 'Hello', text: 'Hello' },
            },
          ],
        },
      },
    ]);
    const companyReads = () =>
      w.hs.requests().filter((r) => r.path === '/crm/v4/associations/contacts/companies/batch/read').length;
    const before = companyReads();
    await worker().runOnce();
    expect(companyReads() - before).toBe(1);
    const deal = hubspotDeal('d-once');
    expect(deal.associations.companies).toEqual([company]);
    const email = w.hs.records('emails').find((e) => e.associations.contacts?.includes(contact));
    expect(email?.associations.companies).toEqual([company]);
    expect(email?.associations.deals).toEqual([deal.id]);
  });

  it('moves the HubSpot deal when the stage moves in Threadline, and keeps a field someone edited in HubSpot', async () => {
    const { admin, token } = await connectedTeam();
    await seedDeal(admin, 'd-move', 'kai@acme.test');
    await worker().runOnce();
    const before = hubspotDeal('d-move');
    w.server.advance(MINUTE);
    await editInHubSpot(token, before.id, { amount: '15000' });
    w.server.advance(MINUTE);
    await push(admin, [
      {
        name: 'deal.upsert',
        args: {
          id: 'd-move',
          stageId: 'qualified',
          stageEnteredAt: w.server.now(),
          amount: { value: 13000, currency: 'EUR' },
        },
      },
    ]);
    await worker().runOnce();
    const after = hubspotDeal('d-move');
    expect(after.id).toBe(before.id);
    expect(after.properties.dealstage).toBe('qualifiedtobuy');
    expect(after.properties.amount).toBe('15000');
  });

  it('overwrites a HubSpot edit when the mapping says Threadline wins', async () => {
    const { admin, token } = await connectedTeam();
    await w.server.call('PATCH', '/crm/settings', {
      token: admin.accessToken,
      body: { deals: { enabled: true, pipelines: {}, facts: {}, threadlineWins: ['amount'] } },
    });
    await seedDeal(admin, 'd-wins', 'mo@acme.test');
    await worker().runOnce();
    w.server.advance(MINUTE);
    await editInHubSpot(token, hubspotDeal('d-wins').id, { amount: '1' });
    w.server.advance(MINUTE);
    await push(admin, [
      { name: 'deal.upsert', args: { id: 'd-wins', amount: { value: 13000, currency: 'EUR' } } },
    ]);
    await worker().runOnce();
    expect(hubspotDeal('d-wins').properties.amount).toBe('13000');
  });
});

describe('deals HubSpot refuses', () => {
  it('fails only the deal HubSpot refused, with HubSpot’s message, and writes the others of the batch', async () => {
    const { admin } = await connectedTeam();
    const patched = await w.server.call('PATCH', '/crm/settings', {
      token: admin.accessToken,
      body: {
        deals: { enabled: true, pipelines: {}, facts: { pain: 'no_such_property' }, threadlineWins: [] },
      },
    });
    expect(patched.status).toBe(200);
    // d-bad carries the fact mapped to a property HubSpot lacks; the other two have no such fact.
    await seedDeal(admin, 'd-bad', 'bad@acme.test');
    const at = w.server.now();
    const plain = (id: string) => ({
      name: 'deal.upsert' as const,
      args: {
        id,
        name: `Plain ${id}`,
        companyDomain: 'acme.test',
        pipelineId: 'b2b',
        stageId: 'discovery',
        stageEnteredAt: at,
        contacts: [],
        facts: {},
        createdAt: at,
        updatedAt: at,
      },
    });
    await push(admin, [plain('d-good1'), plain('d-good2')]);
    await worker().runOnce();
    expect(hubspotDeal('d-good1').properties.dealname).toBe('Plain d-good1');
    expect(hubspotDeal('d-good2').properties.dealname).toBe('Plain d-good2');
    expect(w.hs.records('deals').filter((d) => d.properties[DEAL_ID_PROPERTY] === 'd-bad')).toEqual([]);
    const links = await dealsDb(w.server.database.db)
      .selectFrom('crm_deal_links')
      .selectAll()
      .where('deal_id', 'in', ['d-bad', 'd-good1', 'd-good2'])
      .execute();
    const byId = new Map(links.map((l) => [l.deal_id, l]));
    expect(byId.get('d-good1')).toMatchObject({ state: 'synced' });
    expect(byId.get('d-good2')).toMatchObject({ state: 'synced' });
    expect(byId.get('d-bad')).toMatchObject({ state: 'failed', hubspot_id: null });
    expect(byId.get('d-bad')!.last_error).toContain('no_such_property');

    // Settings → CRM lists it with HubSpot's message; after the mapping is fixed, Retry writes it once.
    type Failures = { failures: { id: string; kind: string; state: string; message: string }[] };
    const listed = await w.server.call<Failures>('GET', '/crm/failures', { token: admin.accessToken });
    expect(listed.status).toBe(200);
    const failure = listed.body.failures.find((f) => f.kind === 'deal')!;
    expect(failure).toMatchObject({ id: 'deal:d-bad', state: 'failed' });
    expect(failure.message).toContain('no_such_property');
    const other = await w.server.newTeam();
    const foreign = await w.server.call<Failures>('GET', '/crm/failures', { token: other.admin.accessToken });
    expect(foreign.body.failures).toEqual([]);
    const fixed = await w.server.call('PATCH', '/crm/settings', {
      token: admin.accessToken,
      body: { deals: { enabled: true, pipelines: {}, facts: { pain: 'description' }, threadlineWins: [] } },
    });
    expect(fixed.status).toBe(200);
    const retried = await w.server.call<{ retried: number }>('POST', '/crm/failures/retry', {
      token: admin.accessToken,
      body: { ids: [failure.id] },
    });
    expect(retried.body).toMatchObject({ retried: 1 });
    await worker().runOnce();
    await worker().runOnce();
    expect(hubspotDeal('d-bad').properties.description).toBe('Follow-ups fall through');
    const after = await w.server.call<Failures>('GET', '/crm/failures', { token: admin.accessToken });
    expect(after.body.failures.filter((f) => f.kind === 'deal')).toEqual([]);
  });
});

describe('a change queued while a round writes', () => {
  it('stays pending when it lands in the same millisecond as the round it raced, and is written next round', async () => {
    const { admin } = await connectedTeam();
    await seedDeal(admin, 'd-race', 'rae@acme.test');
    await worker().runOnce();
    w.server.advance(MINUTE);
    await push(admin, [{ name: 'deal.upsert', args: { id: 'd-race', name: 'Acme rollout v2' } }]);
    // HubSpot reached through a relay that, when the upsert arrives, lets the rep change the deal again first
    // (the test clock stands still: the same millisecond).
    const relay = await relayTo(
      () => w.hs.url,
      '/deals/batch/upsert',
      () => push(admin, [{ name: 'deal.upsert', args: { id: 'd-race', name: 'Acme rollout v3' } }]),
    );
    try {
      await worker(relay.config).runOnce();
      expect(relay.ran()).toBe(true);
      expect(hubspotDeal('d-race').properties.dealname).toBe('Acme rollout v2');
      const link = () =>
        dealsDb(w.server.database.db)
          .selectFrom('crm_deal_links')
          .selectAll()
          .where('deal_id', '=', 'd-race')
          .executeTakeFirstOrThrow();
      expect(await link()).toMatchObject({ state: 'pending' });
      await worker().runOnce();
      expect(hubspotDeal('d-race').properties.dealname).toBe('Acme rollout v3');
      expect(await link()).toMatchObject({ state: 'synced' });
    } finally {
      await relay.close();
    }
  });
});

describe('stages from HubSpot', () => {
  it('takes a stage moved in HubSpot on the schedule, with a history row by hubspot, synced to the devices', async () => {
    const { admin, token } = await connectedTeam();
    await seedDeal(admin, 'd-poll', 'ona@acme.test');
    await worker().runOnce();
    w.server.advance(MINUTE);
    await editInHubSpot(token, hubspotDeal('d-poll').id, { dealstage: 'presentationscheduled' });
    const movedAt = w.server.now();
    w.server.advance(2 * MINUTE);
    await worker().runOnce();
    const deal = (await pulled(admin, 'deal')).get('d-poll')!;
    expect(deal).toMatchObject({ stageId: 'demo', stageEnteredAt: movedAt, status: 'open' });
    const history = [...(await pulled(admin, 'deal_event')).values()].filter((e) => e.dealId === 'd-poll');
    expect(history.filter((e) => e.kind === 'stage_changed')).toEqual([
      expect.objectContaining({
        by: 'hubspot',
        at: movedAt,
        data: { fromStageId: 'discovery', toStageId: 'demo' },
      }),
    ]);
    // Read again: nothing new, and HubSpot is not written back.
    w.server.advance(2 * MINUTE);
    await worker().runOnce();
    expect(hubspotDeal('d-poll').properties.dealstage).toBe('presentationscheduled');
    const again = [...(await pulled(admin, 'deal_event')).values()].filter((e) => e.dealId === 'd-poll');
    expect(again.filter((e) => e.kind === 'stage_changed')).toHaveLength(1);
  });

  it('takes a HubSpot move on demand (the thread panel refresh), closing the deal when HubSpot marks it won', async () => {
    const { admin, token } = await connectedTeam();
    await seedDeal(admin, 'd-refresh', 'ida@acme.test');
    await worker().runOnce();
    w.server.advance(MINUTE);
    await editInHubSpot(token, hubspotDeal('d-refresh').id, { dealstage: 'closedwon' });
    const res = await w.server.call<{ linked: boolean; moved: boolean; stageId?: string }>(
      'POST',
      '/crm/deals/refresh',
      { token: admin.accessToken, body: { dealId: 'd-refresh' } },
    );
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ linked: true, moved: true, stageId: 'won' });
    expect((await pulled(admin, 'deal')).get('d-refresh')).toMatchObject({ stageId: 'won', status: 'won' });
    const other = await w.server.newTeam();
    const foreign = await w.server.call('POST', '/crm/deals/refresh', {
      token: other.admin.accessToken,
      body: { dealId: 'd-refresh' },
    });
    expect(foreign.status).toBe(404);
  });

  it('keeps the newer move: a Threadline move older than HubSpot’s loses, and a HubSpot move older than Threadline’s loses', async () => {
    const { admin, token } = await connectedTeam();
    await seedDeal(admin, 'd-order', 'eli@acme.test');
    await worker().runOnce();
    const hubspotId = hubspotDeal('d-order').id;

    // A device that was offline syncs a move it made at t0; HubSpot moved the deal later, at t1.
    const t0 = w.server.now();
    w.server.advance(MINUTE);
    await editInHubSpot(token, hubspotId, { dealstage: 'contractsent' });
    const t1 = w.server.now();
    w.server.advance(MINUTE);
    await push(admin, [
      { name: 'deal.upsert', args: { id: 'd-order', stageId: 'qualified', stageEnteredAt: t0 } },
    ]);
    await worker().runOnce();
    expect(hubspotDeal('d-order').properties.dealstage).toBe('contractsent');
    expect((await pulled(admin, 'deal')).get('d-order')).toMatchObject({
      stageId: 'proposal',
      stageEnteredAt: t1,
    });

    // HubSpot moves it at t2; the rep moves it in Threadline at t3 before the next poll: Threadline's stands.
    w.server.advance(MINUTE);
    await editInHubSpot(token, hubspotId, { dealstage: 'qualifiedtobuy' });
    w.server.advance(MINUTE);
    await push(admin, [
      {
        name: 'deal.upsert',
        args: { id: 'd-order', stageId: 'negotiation', stageEnteredAt: w.server.now() },
      },
    ]);
    w.server.advance(2 * MINUTE);
    await worker().runOnce();
    await worker().runOnce();
    expect(hubspotDeal('d-order').properties.dealstage).toBe('decisionmakerboughtin');
    expect((await pulled(admin, 'deal')).get('d-order')).toMatchObject({ stageId: 'negotiation' });
    const link = await dealsDb(w.server.database.db)
      .selectFrom('crm_deal_links')
      .selectAll()
      .where('deal_id', '=', 'd-order')
      .executeTakeFirstOrThrow();
    expect(link).toMatchObject({ state: 'synced', hubspot_id: hubspotId, hs_stage: 'decisionmakerboughtin' });
  });
  it('times a HubSpot move by its stage history: a later unrelated HubSpot edit does not make it beat a newer Threadline move', async () => {
    const { admin, token } = await connectedTeam();
    await seedDeal(admin, 'd-edit', 'uma@acme.test');
    await worker().runOnce();
    const hubspotId = hubspotDeal('d-edit').id;

    // HubSpot moves the deal (10:05), the rep moves it in Threadline (10:10), then someone edits the amount in
    // HubSpot (10:12): the HubSpot deal's modification time is newest, its stage move is not.
    w.server.advance(MINUTE);
    await editInHubSpot(token, hubspotId, { dealstage: 'contractsent' });
    const movedInHubSpot = w.server.now();
    w.server.advance(5 * MINUTE);
    await push(admin, [
      { name: 'deal.upsert', args: { id: 'd-edit', stageId: 'negotiation', stageEnteredAt: w.server.now() } },
    ]);
    w.server.advance(2 * MINUTE);
    await editInHubSpot(token, hubspotId, { amount: '13000' });
    w.server.advance(MINUTE);
    await worker().runOnce();
    await worker().runOnce();
    expect(hubspotDeal('d-edit').properties.dealstage).toBe('decisionmakerboughtin');
    expect(hubspotDeal('d-edit').properties.amount).toBe('13000');
    expect((await pulled(admin, 'deal')).get('d-edit')).toMatchObject({ stageId: 'negotiation' });

    // A HubSpot move followed by an unrelated edit, with no newer Threadline move: taken, at the move's time.
    w.server.advance(MINUTE);
    await editInHubSpot(token, hubspotId, { dealstage: 'closedwon' });
    const wonAt = w.server.now();
    w.server.advance(MINUTE);
    await editInHubSpot(token, hubspotId, { amount: '14000' });
    w.server.advance(2 * MINUTE);
    await worker().runOnce();
    expect((await pulled(admin, 'deal')).get('d-edit')).toMatchObject({
      stageId: 'won',
      stageEnteredAt: wonAt,
    });
    const moves = [...(await pulled(admin, 'deal_event')).values()].filter(
      (e) => e.dealId === 'd-edit' && e.kind === 'stage_changed' && e.by === 'hubspot',
    );
    expect(moves).toEqual([
      expect.objectContaining({ at: wonAt, data: { fromStageId: 'negotiation', toStageId: 'won' } }),
    ]);
    expect(movedInHubSpot).toBeLessThan(wonAt);
  });
});
