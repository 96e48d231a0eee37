// @vitest-environment node
/**
 * The demo portal as the CRM bridge reads it over HubSpot's API: each person of the demo inbox found by email
 * with an owner, a company and (for Acme and Northwind) an open deal in the default pipeline.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PEOPLE } from '../demo/people';
import { DEMO_CRM_CONTACTS, DEMO_CRM_DEALS, seedDemoPortal, type SeededDemoPortal } from './demo-portal';
import { startHubSpotSandbox, type HubSpotSandbox } from './server';

let hs: HubSpotSandbox;
let token: string;
let seeded: SeededDemoPortal;

beforeAll(async () => {
  hs = await startHubSpotSandbox({ limits: { searchPerSecond: 1000 } });
  token = hs.privateAppToken();
  seeded = seedDemoPortal(hs, Date.parse('2026-12-07T10:00:00Z'));
});
afterAll(() => hs.stop());

async function call<T>(method: string, path: string, body?: unknown): Promise<T> {
  const res = await fetch(hs.url + path, {
    method,
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
  });
  expect(res.status, `${method} ${path}`).toBeLessThan(300);
  return (await res.json()) as T;
}

describe('the demo portal', () => {
  it('has every outside person of the demo inbox as a contact, found by email, with an owner of the portal', async () => {
    expect(DEMO_CRM_CONTACTS.map((c) => c.email).sort()).toEqual(
      Object.values(PEOPLE)
        .map((p) => p.address)
        .sort(),
    );
    const owners = await call<{ results: { id: string; email: string }[] }>('GET', '/crm/v3/owners');
    for (const person of DEMO_CRM_CONTACTS) {
      const found = await call<{
        total: number;
        results: { id: string; properties: Record<string, string> }[];
      }>('POST', '/crm/v3/objects/contacts/search', {
        filterGroups: [{ filters: [{ propertyName: 'email', operator: 'EQ', value: person.email }] }],
        properties: ['firstname', 'lastname', 'jobtitle', 'lifecyclestage', 'hubspot_owner_id'],
      });
      expect(found.total).toBe(1);
      const props = found.results[0]!.properties;
      expect(props).toMatchObject({
        firstname: person.firstname,
        lastname: person.lastname,
        jobtitle: person.jobtitle,
      });
      expect(owners.results.find((o) => o.id === props.hubspot_owner_id)?.email).toMatch(
        /@contoso\.example$/,
      );
    }
  });

  it("associates Ada's open pilot deal with her, Ben and Acme, in a stage of the default pipeline", async () => {
    const assoc = await call<{ results: { toObjectId: number | string }[] }>(
      'GET',
      `/crm/v4/objects/contacts/${seeded.contacts.ada}/associations/deals`,
    );
    expect(assoc.results.map((r) => String(r.toObjectId))).toEqual([seeded.deals['acme-pilot']]);
    const deal = await call<{ properties: Record<string, string> }>(
      'GET',
      `/crm/v3/objects/deals/${seeded.deals['acme-pilot']}?properties=dealstage,pipeline,amount&associations=contacts,companies`,
    );
    expect(deal.properties).toMatchObject({
      dealstage: 'presentationscheduled',
      pipeline: 'default',
      amount: '12000',
    });
    const pipeline = await call<{ stages: { id: string }[] }>('GET', '/crm/v3/pipelines/deals/default');
    for (const d of DEMO_CRM_DEALS) expect(pipeline.stages.map((s) => s.id)).toContain(d.dealstage);
    const companies = await call<{ results: { toObjectId: number | string }[] }>(
      'GET',
      `/crm/v4/objects/deals/${seeded.deals['acme-pilot']}/associations/companies`,
    );
    expect(companies.results.map((r) => String(r.toObjectId))).toEqual([seeded.companies.acme]);
  });
});
