// @vitest-environment node
/**
 * The HubSpot sandbox against the facts of HubSpot's API it imitates (README.md): OAuth, objects, batch,
 * search, associations v4, pipelines, owners, properties, error bodies, limits, faults and the request log.
 * Every call goes over real HTTP, as the CRM bridge's client makes it.
 */
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHubSpotSandbox, type HubSpotSandbox } from './server';

let hs: HubSpotSandbox;
let token: string;
const logFile = join(mkdtempSync(join(tmpdir(), 'hubspot-log-')), 'requests.jsonl');
let clock = Date.parse('2026-12-07T10:00:00Z');

beforeAll(async () => {
  hs = await startHubSpotSandbox({ now: () => clock, logFile, limits: { searchPerSecond: 1000 } });
  token = hs.privateAppToken();
});
afterAll(() => hs.stop());

interface Res<T = Record<string, unknown>> {
  status: number;
  body: T;
  headers: Headers;
}

async function call<T = Record<string, unknown>>(
  method: string,
  path: string,
  body?: unknown,
  bearer: string | null = token,
): Promise<Res<T>> {
  const res = await fetch(hs.url + path, {
    method,
    headers: {
      ...(bearer ? { authorization: `Bearer ${bearer}` } : {}),
      ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
    },
    ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
  });
  const text = await res.text();
  return { status: res.status, body: (text ? JSON.parse(text) : undefined) as T, headers: res.headers };
}

const form = (path: string, fields: Record<string, string>) =>
  fetch(hs.url + path, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams(fields),
    redirect: 'manual',
  });

const contact = async (email: string, extra: Record<string, string> = {}) =>
  (await call<{ id: string }>('POST', '/crm/v3/objects/contacts', { properties: { email, ...extra } })).body
    .id;

describe('OAuth', () => {
  it('runs the code flow through the consent screen, refreshes, introspects and revokes', async () => {
    const app = hs.registerApp({ redirectUris: ['http://threadline.test/crm/callback'] });
    const authorize = new URL('/oauth/authorize', hs.url);
    authorize.search = new URLSearchParams({
      client_id: app.clientId,
      redirect_uri: 'http://threadline.test/crm/callback',
      scope: 'crm.objects.contacts.read crm.objects.contacts.write',
      state: 'st-123',
    }).toString();
    const page = await fetch(authorize);
    const html = await page.text();
    expect(page.status).toBe(200);
    expect(html).toContain('crm.objects.contacts.write');
    expect(html).toContain('action="/oauth/authorize/consent"');

    const consent = await form('/oauth/authorize/consent', {
      client_id: app.clientId,
      redirect_uri: 'http://threadline.test/crm/callback',
      scope: 'crm.objects.contacts.read crm.objects.contacts.write',
      state: 'st-123',
      decision: 'allow',
    });
    expect(consent.status).toBe(302);
    const back = new URL(consent.headers.get('location')!);
    expect(back.searchParams.get('state')).toBe('st-123');
    const code = back.searchParams.get('code')!;

    const exchange = async (fields: Record<string, string>) => {
      const r = await form('/oauth/v1/token', {
        client_id: app.clientId,
        client_secret: app.clientSecret,
        redirect_uri: 'http://threadline.test/crm/callback',
        ...fields,
      });
      return { status: r.status, body: (await r.json()) as Record<string, unknown> };
    };
    const tokens = await exchange({ grant_type: 'authorization_code', code });
    expect(tokens.status).toBe(200);
    expect(tokens.body).toMatchObject({ token_type: 'bearer', expires_in: 1800, hub_id: hs.portalId });
    // A code is single use.
    const again = await exchange({ grant_type: 'authorization_code', code });
    expect(again).toMatchObject({ status: 400, body: { error: 'invalid_grant', status: 'BAD_AUTH_CODE' } });

    const access = String(tokens.body.access_token);
    const refresh = String(tokens.body.refresh_token);
    expect((await call('GET', '/crm/v3/objects/contacts', undefined, access)).status).toBe(200);
    // No deals scope was granted.
    const denied = await call<{ category: string; errors: { context: Record<string, string[]> }[] }>(
      'GET',
      '/crm/v3/objects/deals',
      undefined,
      access,
    );
    expect(denied.status).toBe(403);
    expect(denied.body.category).toBe('MISSING_SCOPES');
    expect(denied.body.errors[0]!.context.requiredGranularScopes).toEqual(['crm.objects.deals.read']);

    const v1 = await call('GET', `/oauth/v1/access-tokens/${access}`, undefined, null);
    expect(v1.body).toMatchObject({ hub_id: hs.portalId, app_id: app.appId, expires_in: 1800 });
    expect(v1.body.scopes).toContain('oauth');
    const info = await call('GET', `/oauth/v1/refresh-tokens/${refresh}`, undefined, null);
    expect(info.body).toMatchObject({ client_id: app.clientId, hub_id: hs.portalId });

    // Thirty minutes later the access token is refused as expired; the refresh grant gives a new one.
    clock += 1800_000;
    const expired = await call<{ category: string }>('GET', '/crm/v3/objects/contacts', undefined, access);
    expect(expired.status).toBe(401);
    expect(expired.body.category).toBe('EXPIRED_AUTHENTICATION');
    const refreshed = await exchange({ grant_type: 'refresh_token', refresh_token: refresh });
    expect(refreshed.status).toBe(200);
    const access2 = String(refreshed.body.access_token);
    expect(access2).not.toBe(access);
    const v3 = await form('/oauth/v3/token/introspect', {
      client_id: app.clientId,
      client_secret: app.clientSecret,
      token: access2,
      token_type_hint: 'access_token',
    });
    expect(await v3.json()).toMatchObject({
      active: true,
      client_id: app.clientId,
      token_use: 'access_token',
    });

    const revoke = await form('/oauth/v3/token/revoke', {
      client_id: app.clientId,
      client_secret: app.clientSecret,
      token: refresh,
      token_type_hint: 'refresh_token',
    });
    expect(revoke.status).toBe(200);
    const after = await exchange({ grant_type: 'refresh_token', refresh_token: refresh });
    expect(after.body).toMatchObject({ error: 'invalid_grant', status: 'BAD_REFRESH_TOKEN' });
    const gone = await form('/oauth/v3/token/introspect', {
      client_id: app.clientId,
      client_secret: app.clientSecret,
      token: refresh,
      token_type_hint: 'refresh_token',
    });
    expect(await gone.json()).toEqual({ active: false });
  });

  it('answers a wrong client secret and an unknown token in HubSpot’s shapes', async () => {
    const bad = await form('/oauth/v1/token', {
      grant_type: 'refresh_token',
      refresh_token: 'x',
      client_id: 'nope',
      client_secret: 'nope',
    });
    expect(bad.status).toBe(400);
    expect(await bad.json()).toMatchObject({ error: 'invalid_client' });
    const res = await call<{ status: string; category: string; correlationId: string }>(
      'GET',
      '/crm/v3/objects/contacts',
      undefined,
      'not-a-token',
    );
    expect(res.status).toBe(401);
    expect(res.body.status).toBe('error');
    expect(res.body.category).toBe('INVALID_AUTHENTICATION');
    expect(res.body.correlationId).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('describes a private-app token', async () => {
    const r = await call('POST', '/oauth/v2/private-apps/get/access-token-info', { tokenKey: token }, null);
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ hubId: hs.portalId });
    expect(r.body.scopes).toContain('crm.objects.contacts.write');
  });
});

describe('objects', () => {
  it('creates, reads, updates and finds a contact by email; a second contact with the email is a 409', async () => {
    const id = await contact('Ada@Example.org', { firstname: 'Ada' });
    const got = await call<{ properties: Record<string, string | null> }>(
      'GET',
      `/crm/v3/objects/contacts/ada@example.org?idProperty=email&properties=firstname,jobtitle`,
    );
    expect(got.status).toBe(200);
    expect(got.body.properties).toMatchObject({ firstname: 'Ada', jobtitle: null, hs_object_id: id });
    const dup = await call<{ category: string; message: string }>('POST', '/crm/v3/objects/contacts', {
      properties: { email: 'ada@example.org' },
    });
    expect(dup.status).toBe(409);
    expect(dup.body.category).toBe('CONFLICT');
    expect(dup.body.message).toBe(`Contact already exists. Existing ID: ${id}`);
    const patched = await call<{ properties: Record<string, string> }>(
      'PATCH',
      `/crm/v3/objects/contacts/${id}`,
      {
        properties: { jobtitle: 'CTO' },
      },
    );
    expect(patched.body.properties.jobtitle).toBe('CTO');
  });

  it('refuses unknown properties, bad values and missing required ones with VALIDATION_ERROR', async () => {
    const res = await call<{ category: string; message: string; errors: { code: string }[] }>(
      'POST',
      '/crm/v3/objects/contacts',
      { properties: { email: 'not-an-address', favourite_colour: 'red' } },
    );
    expect(res.status).toBe(400);
    expect(res.body.category).toBe('VALIDATION_ERROR');
    expect(res.body.message).toMatch(/^Property values were not valid: \[/);
    expect(res.body.errors.map((e) => e.code).sort()).toEqual(['INVALID_EMAIL', 'PROPERTY_DOESNT_EXIST']);
    const email = await call('POST', '/crm/v3/objects/emails', {
      properties: { hs_timestamp: '1700000000000' },
    });
    expect(email.status).toBe(400);
    expect(JSON.stringify(email.body)).toContain('hs_email_direction');
    const dir = await call<{ errors: { code: string }[] }>('POST', '/crm/v3/objects/emails', {
      properties: { hs_timestamp: '1700000000000', hs_email_direction: 'OUTGOING' },
    });
    expect(dir.body.errors[0]!.code).toBe('INVALID_OPTION');
    const stage = await call('POST', '/crm/v3/objects/deals', {
      properties: { dealname: 'X', dealstage: 'nope' },
    });
    expect(stage.status).toBe(400);
  });

  it('creates a deal in the default pipeline, and an email with inline associations, stored with timestamps as ISO', async () => {
    const c = await contact('grace@navy.test');
    const co = (
      await call<{ id: string }>('POST', '/crm/v3/objects/companies', {
        properties: { domain: 'navy.test', name: 'Navy' },
      })
    ).body.id;
    const deal = await call<{ id: string; properties: Record<string, string> }>(
      'POST',
      '/crm/v3/objects/deals',
      {
        properties: { dealname: 'Pilot', dealstage: 'qualifiedtobuy', amount: '1500.00' },
      },
    );
    expect(deal.status).toBe(201);
    expect(deal.body.properties.pipeline).toBe('default');
    const email = await call<{ id: string; properties: Record<string, string> }>(
      'POST',
      '/crm/v3/objects/emails',
      {
        properties: {
          hs_timestamp: '1765101600000',
          hs_email_direction: 'EMAIL',
          hs_email_status: 'SENT',
          hs_email_subject: 'Hello',
          hs_email_headers: JSON.stringify({
            from: { email: 'rep@acme.test', firstName: 'Rep' },
            to: [{ email: 'Grace <grace@navy.test>' }],
          }),
        },
        associations: [
          { to: { id: c }, types: [{ associationCategory: 'HUBSPOT_DEFINED', associationTypeId: 198 }] },
          { to: { id: co }, types: [{ associationCategory: 'HUBSPOT_DEFINED', associationTypeId: 186 }] },
          {
            to: { id: deal.body.id },
            types: [{ associationCategory: 'HUBSPOT_DEFINED', associationTypeId: 210 }],
          },
        ],
      },
    );
    expect(email.status).toBe(201);
    expect(email.body.properties.hs_timestamp).toBe('2025-12-07T10:00:00.000Z');
    expect(email.body.properties.hs_email_to_email).toBe('grace@navy.test');
    const read = await call<{ associations: Record<string, { results: { id: string; type: string }[] }> }>(
      'GET',
      `/crm/v3/objects/emails/${email.body.id}?associations=contacts,companies,deals`,
    );
    expect(read.body.associations.contacts!.results).toEqual([{ id: c, type: 'email_to_contact' }]);
    expect(read.body.associations.companies!.results[0]!.id).toBe(co);
    expect(read.body.associations.deals!.results[0]!.id).toBe(deal.body.id);
    // The reverse direction carries its own type id (contact -> email 197).
    const back = await call<{ results: { toObjectId: number; associationTypes: { typeId: number }[] }[] }>(
      'GET',
      `/crm/v4/objects/contacts/${c}/associations/emails`,
    );
    expect(back.body.results).toEqual([
      {
        toObjectId: Number(email.body.id),
        associationTypes: [{ category: 'HUBSPOT_DEFINED', typeId: 197, label: null }],
      },
    ]);
    // A type id that does not lead from emails to that record is refused.
    const wrong = await call('POST', '/crm/v3/objects/emails', {
      properties: { hs_timestamp: '1765101600000', hs_email_direction: 'EMAIL' },
      associations: [
        { to: { id: c }, types: [{ associationCategory: 'HUBSPOT_DEFINED', associationTypeId: 204 }] },
      ],
    });
    expect(wrong.status).toBe(400);
  });

  it('batch-creates up to 100, all or nothing unless each input carries an objectWriteTraceId (then 207)', async () => {
    const note = (i: number, trace?: string) => ({
      properties: { hs_timestamp: String(1765101600000 + i), hs_note_body: `n${i}` },
      ...(trace ? { objectWriteTraceId: trace } : {}),
    });
    const tooMany = await call('POST', '/crm/v3/objects/notes/batch/create', {
      inputs: Array.from({ length: 101 }, (_, i) => note(i)),
    });
    expect(tooMany.status).toBe(400);
    const before = hs.records('notes').length;
    const atomic = await call('POST', '/crm/v3/objects/notes/batch/create', {
      inputs: [note(1), { properties: { hs_note_body: 'no timestamp' } }],
    });
    expect(atomic.status).toBe(400);
    expect(hs.records('notes').length).toBe(before);
    const partial = await call<{
      results: { objectWriteTraceId: string }[];
      numErrors: number;
      errors: { context: Record<string, string[]> }[];
    }>('POST', '/crm/v3/objects/notes/batch/create', {
      inputs: [note(1, 'a'), { properties: { hs_note_body: 'x' }, objectWriteTraceId: 'b' }, note(3, 'c')],
    });
    expect(partial.status).toBe(207);
    expect(partial.body.results.map((r) => r.objectWriteTraceId)).toEqual(['a', 'c']);
    expect(partial.body.numErrors).toBe(1);
    expect(partial.body.errors[0]!.context.objectWriteTraceId).toEqual(['b']);
    const ok = await call<{ status: string; results: unknown[] }>(
      'POST',
      '/crm/v3/objects/notes/batch/create',
      {
        inputs: Array.from({ length: 100 }, (_, i) => note(i)),
      },
    );
    expect(ok.status).toBe(201);
    expect(ok.body.status).toBe('COMPLETE');
    expect(ok.body.results).toHaveLength(100);
  });

  it('refuses chosen records of a batch create or upsert with a per-record fault (207), writing the others', async () => {
    const note = (trace: string) => ({
      properties: { hs_timestamp: '1765101600000', hs_note_body: trace },
      objectWriteTraceId: trace,
    });
    hs.refuseRecords({
      type: 'notes',
      ids: ['rf-b'],
      message: 'Property values were not valid: hs_note_body',
    });
    const created = await call<{
      results: { objectWriteTraceId: string }[];
      errors: { category: string; message: string; context: Record<string, string[]> }[];
    }>('POST', '/crm/v3/objects/notes/batch/create', { inputs: [note('rf-a'), note('rf-b'), note('rf-c')] });
    expect(created.status).toBe(207);
    expect(created.body.results.map((r) => r.objectWriteTraceId)).toEqual(['rf-a', 'rf-c']);
    expect(created.body.errors).toEqual([
      expect.objectContaining({
        category: 'VALIDATION_ERROR',
        message: 'Property values were not valid: hs_note_body',
        context: { objectWriteTraceId: ['rf-b'] },
      }),
    ]);
    expect(hs.records('notes').filter((n) => n.properties.hs_note_body?.startsWith('rf-'))).toHaveLength(2);
    // Refused once (times: 1): the same input goes through next time.
    expect(
      (await call('POST', '/crm/v3/objects/notes/batch/create', { inputs: [note('rf-b')] })).status,
    ).toBe(201);
    // Without a trace id on every input, a create with a refused input stays all or nothing.
    hs.refuseRecords({ type: 'notes', ids: ['rf-d'] });
    const atomic = await call('POST', '/crm/v3/objects/notes/batch/create', {
      inputs: [note('rf-d'), { properties: { hs_timestamp: '1765101600000', hs_note_body: 'untraced' } }],
    });
    expect(atomic.status).toBe(400);
    expect(hs.records('notes').some((n) => n.properties.hs_note_body === 'untraced')).toBe(false);

    await call('POST', '/crm/v3/properties/deals', {
      name: 'rf_key',
      label: 'Key',
      type: 'string',
      fieldType: 'text',
      groupName: 'dealinformation',
      hasUniqueValue: true,
    });
    const deal = (key: string) => ({
      id: key,
      idProperty: 'rf_key',
      properties: { dealname: key, dealstage: 'appointmentscheduled', pipeline: 'default' },
    });
    hs.refuseRecords({ type: 'deals', ids: ['k2'], category: 'VALIDATION_ERROR', message: 'bad amount' });
    const upserted = await call<{
      results: { properties: Record<string, string> }[];
      errors: { message: string; context: Record<string, string[]> }[];
    }>('POST', '/crm/v3/objects/deals/batch/upsert', { inputs: [deal('k1'), deal('k2')] });
    expect(upserted.status).toBe(207);
    expect(upserted.body.results.map((r) => r.properties.rf_key)).toEqual(['k1']);
    expect(upserted.body.errors).toEqual([
      expect.objectContaining({ message: 'bad amount', context: { ids: ['k2'] } }),
    ]);
    expect(
      hs
        .records('deals')
        .filter((d) => d.properties.rf_key)
        .map((d) => d.properties.rf_key),
    ).toEqual(['k1']);
  });

  it('reads in batch by email, reporting the missing ones in a 207', async () => {
    await contact('b1@batch.test');
    const r = await call<{
      results: { properties: Record<string, string> }[];
      errors: { context: { ids: string[] } }[];
    }>('POST', '/crm/v3/objects/contacts/batch/read', {
      idProperty: 'email',
      inputs: [{ id: 'b1@batch.test' }, { id: 'nobody@batch.test' }],
      properties: ['email'],
    });
    expect(r.status).toBe(207);
    expect(r.body.results.map((x) => x.properties.email)).toEqual(['b1@batch.test']);
    expect(r.body.errors[0]!.context.ids).toEqual(['nobody@batch.test']);
  });
  it('answers propertiesWithHistory (batch read and GET): each value with the time it was set, newest first', async () => {
    const created = clock;
    const id = await contact('h1@history.test', { firstname: 'Ann' });
    clock += 60_000;
    await call('PATCH', `/crm/v3/objects/contacts/${id}`, { properties: { firstname: 'Bea' } });
    const renamed = clock;
    clock += 60_000;
    await call('PATCH', `/crm/v3/objects/contacts/${id}`, { properties: { lastname: 'Cho' } });
    type WithHistory = { propertiesWithHistory?: Record<string, { value: string; timestamp: string }[]> };
    const expected = [
      expect.objectContaining({ value: 'Bea', timestamp: new Date(renamed).toISOString() }),
      expect.objectContaining({ value: 'Ann', timestamp: new Date(created).toISOString() }),
    ];
    const batch = await call<{ results: WithHistory[] }>('POST', '/crm/v3/objects/contacts/batch/read', {
      inputs: [{ id }],
      properties: ['firstname'],
      propertiesWithHistory: ['firstname'],
    });
    expect(batch.status).toBe(200);
    expect(batch.body.results[0]!.propertiesWithHistory!.firstname).toEqual(expected);
    const one = await call<WithHistory>(
      'GET',
      `/crm/v3/objects/contacts/${id}?propertiesWithHistory=firstname`,
    );
    expect(one.body.propertiesWithHistory!.firstname).toEqual(expected);
    const plain = await call<WithHistory>('GET', `/crm/v3/objects/contacts/${id}`);
    expect(plain.body.propertiesWithHistory).toBeUndefined();
  });
});

describe('properties', () => {
  it('creates a unique property; a repeated value is a 409 and it serves as idProperty (upsert, GET)', async () => {
    const prop = await call('POST', '/crm/v3/properties/emails', {
      name: 'tl_activity_id',
      label: 'Threadline activity id',
      type: 'string',
      fieldType: 'text',
      groupName: 'email',
      hasUniqueValue: true,
    });
    expect(prop.status).toBe(201);
    expect(prop.body).toMatchObject({ hasUniqueValue: true, hubspotDefined: false });
    const again = await call('POST', '/crm/v3/properties/emails', {
      name: 'tl_activity_id',
      label: 'x',
      type: 'string',
      fieldType: 'text',
      groupName: 'email',
    });
    expect(again.status).toBe(409);
    const props = { hs_timestamp: '1765101600000', hs_email_direction: 'EMAIL', tl_activity_id: 'act-1' };
    expect((await call('POST', '/crm/v3/objects/emails', { properties: props })).status).toBe(201);
    const dup = await call<{ category: string }>('POST', '/crm/v3/objects/emails', { properties: props });
    expect(dup.status).toBe(409);
    expect(dup.body.category).toBe('CONFLICT');
    const byKey = await call<{ properties: Record<string, string> }>(
      'GET',
      '/crm/v3/objects/emails/act-1?idProperty=tl_activity_id&properties=tl_activity_id',
    );
    expect(byKey.body.properties.tl_activity_id).toBe('act-1');
    const upsert = await call<{ results: { new: boolean }[] }>(
      'POST',
      '/crm/v3/objects/emails/batch/upsert',
      {
        inputs: [
          { id: 'act-1', idProperty: 'tl_activity_id', properties: { hs_email_subject: 'changed' } },
          {
            id: 'act-2',
            idProperty: 'tl_activity_id',
            properties: { hs_timestamp: '1765101600000', hs_email_direction: 'EMAIL' },
          },
        ],
      },
    );
    expect(upsert.body.results.map((r) => r.new)).toEqual([false, true]);
    expect(hs.records('emails').filter((e) => e.properties.tl_activity_id === 'act-1')).toHaveLength(1);
    const notUnique = await call('GET', '/crm/v3/objects/emails/x?idProperty=hs_email_subject');
    expect(notUnique.status).toBe(400);
  });

  it('refuses a unique property on an activity object when the portal does not allow it', async () => {
    const strict = await startHubSpotSandbox({ uniqueOnActivities: false });
    try {
      const t = strict.privateAppToken();
      const res = await fetch(`${strict.url}/crm/v3/properties/notes`, {
        method: 'POST',
        headers: { authorization: `Bearer ${t}`, 'content-type': 'application/json' },
        body: JSON.stringify({
          name: 'k',
          label: 'k',
          type: 'string',
          fieldType: 'text',
          groupName: 'note',
          hasUniqueValue: true,
        }),
      });
      expect(res.status).toBe(400);
      expect(((await res.json()) as { category: string }).category).toBe('VALIDATION_ERROR');
    } finally {
      await strict.stop();
    }
  });
});

describe('search', () => {
  beforeAll(async () => {
    for (const [i, name] of ['Alan', 'Barbara', 'Claude', 'Dennis', 'Edsger'].entries())
      await contact(`${name.toLowerCase()}@search.test`, {
        firstname: name,
        jobtitle: i % 2 ? 'Engineer' : 'Manager',
        phone: String(100 + i),
      });
  });

  it('ORs filter groups, ANDs filters, sorts once and pages with after', async () => {
    const body = {
      filterGroups: [
        {
          filters: [
            { propertyName: 'email', operator: 'CONTAINS_TOKEN', value: '*@search.test' },
            { propertyName: 'jobtitle', operator: 'EQ', value: 'engineer' },
          ],
        },
        { filters: [{ propertyName: 'firstname', operator: 'IN', values: ['alan'] }] },
      ],
      sorts: [{ propertyName: 'firstname', direction: 'DESCENDING' }],
      properties: ['firstname'],
      limit: 2,
    };
    const first = await call<{
      total: number;
      results: { properties: { firstname: string } }[];
      paging: { next: { after: string } };
    }>('POST', '/crm/v3/objects/contacts/search', body);
    expect(first.status).toBe(200);
    expect(first.body.total).toBe(3);
    expect(first.body.results.map((r) => r.properties.firstname)).toEqual(['Dennis', 'Barbara']);
    const second = await call<{ results: { properties: { firstname: string } }[]; paging?: unknown }>(
      'POST',
      '/crm/v3/objects/contacts/search',
      { ...body, after: first.body.paging.next.after },
    );
    expect(second.body.results.map((r) => r.properties.firstname)).toEqual(['Alan']);
    expect(second.body.paging).toBeUndefined();
    // No rate-limit headers on search.
    expect(first.headers.get('x-hubspot-ratelimit-max')).toBeNull();
  });

  it('supports range, presence and association filters, and refuses what HubSpot refuses', async () => {
    const between = await call<{ total: number }>('POST', '/crm/v3/objects/contacts/search', {
      filterGroups: [
        { filters: [{ propertyName: 'phone', operator: 'BETWEEN', value: '101', highValue: '103' }] },
      ],
    });
    expect(between.body.total).toBe(3);
    const missing = await call<{ total: number }>('POST', '/crm/v3/objects/contacts/search', {
      filterGroups: [
        {
          filters: [
            { propertyName: 'email', operator: 'CONTAINS_TOKEN', value: '*@search.test' },
            { propertyName: 'lastname', operator: 'NOT_HAS_PROPERTY' },
          ],
        },
      ],
    });
    expect(missing.body.total).toBe(5);
    const c = await contact('assoc@search.test');
    await call('POST', '/crm/v3/objects/tasks', {
      properties: { hs_timestamp: '1765101600000', hs_task_subject: 'Call back' },
      associations: [
        { to: { id: c }, types: [{ associationCategory: 'HUBSPOT_DEFINED', associationTypeId: 204 }] },
      ],
    });
    const tasks = await call<{ total: number }>('POST', '/crm/v3/objects/tasks/search', {
      filterGroups: [{ filters: [{ propertyName: 'associations.contact', operator: 'EQ', value: c }] }],
    });
    expect(tasks.body.total).toBe(1);
    const six = Array.from({ length: 6 }, () => ({
      filters: [{ propertyName: 'email', operator: 'HAS_PROPERTY' }],
    }));
    expect((await call('POST', '/crm/v3/objects/contacts/search', { filterGroups: six })).status).toBe(400);
    const seven = [
      { filters: Array.from({ length: 7 }, () => ({ propertyName: 'email', operator: 'HAS_PROPERTY' })) },
    ];
    expect((await call('POST', '/crm/v3/objects/contacts/search', { filterGroups: seven })).status).toBe(400);
    expect((await call('POST', '/crm/v3/objects/contacts/search', { limit: 201 })).status).toBe(400);
    expect(
      (await call('POST', '/crm/v3/objects/contacts/search', { after: '9950', limit: 100 })).status,
    ).toBe(400);
    expect(
      (
        await call('POST', '/crm/v3/objects/contacts/search', {
          sorts: [{ propertyName: 'email' }, { propertyName: 'phone' }],
        })
      ).status,
    ).toBe(400);
    expect(
      (
        await call('POST', '/crm/v3/objects/emails/search', {
          filterGroups: [{ filters: [{ propertyName: 'hs_email_html', operator: 'HAS_PROPERTY' }] }],
        })
      ).status,
    ).toBe(400);
  });

  it('limits search to 5 requests a second per account, with the secondly message', async () => {
    const limited = await startHubSpotSandbox({ now: () => clock });
    try {
      const t = limited.privateAppToken();
      const statuses: number[] = [];
      let body: Record<string, unknown> = {};
      for (let i = 0; i < 6; i++) {
        const r = await fetch(`${limited.url}/crm/v3/objects/contacts/search`, {
          method: 'POST',
          headers: { authorization: `Bearer ${t}`, 'content-type': 'application/json' },
          body: '{}',
        });
        statuses.push(r.status);
        body = (await r.json()) as Record<string, unknown>;
      }
      expect(statuses).toEqual([200, 200, 200, 200, 200, 429]);
      expect(body).toMatchObject({
        status: 'error',
        errorType: 'RATE_LIMIT',
        message: 'You have reached your secondly limit.',
      });
      clock += 1000;
      const later = await fetch(`${limited.url}/crm/v3/objects/contacts/search`, {
        method: 'POST',
        headers: { authorization: `Bearer ${t}`, 'content-type': 'application/json' },
        body: '{}',
      });
      expect(later.status).toBe(200);
    } finally {
      await limited.stop();
    }
  });
});

describe('associations v4', () => {
  it('associates by default and with labels, lists, batch-reads and removes', async () => {
    const c = await contact('v4@assoc.test');
    const co = (
      await call<{ id: string }>('POST', '/crm/v3/objects/companies', { properties: { name: 'V4 Inc' } })
    ).body.id;
    const def = await call<{ results: { associationSpec: { associationTypeId: number } }[] }>(
      'PUT',
      `/crm/v4/objects/contacts/${c}/associations/default/companies/${co}`,
    );
    expect(def.status).toBe(200);
    expect(def.body.results[0]!.associationSpec.associationTypeId).toBe(279);
    const labelled = await call<{ labels: string[] }>(
      'PUT',
      `/crm/v4/objects/0-1/${c}/associations/0-2/${co}`,
      [
        { associationCategory: 'HUBSPOT_DEFINED', associationTypeId: 279 },
        { associationCategory: 'HUBSPOT_DEFINED', associationTypeId: 1 },
      ],
    );
    expect(labelled.status).toBe(201);
    expect(labelled.body.labels).toEqual(['Primary']);
    const batch = await call<{
      results: {
        from: { id: string };
        to: { toObjectId: number; associationTypes: { typeId: number }[] }[];
      }[];
    }>('POST', '/crm/v4/associations/contacts/companies/batch/read', { inputs: [{ id: c }] });
    expect(batch.body.results[0]!.to[0]!.associationTypes.map((t) => t.typeId).sort((a, b) => a - b)).toEqual(
      [1, 279],
    );
    const labels = await call<{ results: { typeId: number; label: string | null }[] }>(
      'GET',
      '/crm/v4/associations/contacts/companies/labels',
    );
    expect(labels.body.results).toContainEqual({ category: 'HUBSPOT_DEFINED', typeId: 1, label: 'Primary' });
    const n = (
      await call<{ id: string }>('POST', '/crm/v3/objects/notes', {
        properties: { hs_timestamp: '1765101600000' },
      })
    ).body.id;
    const created = await call('POST', '/crm/v4/associations/notes/contacts/batch/create', {
      inputs: [
        {
          from: { id: n },
          to: { id: c },
          types: [{ associationCategory: 'HUBSPOT_DEFINED', associationTypeId: 202 }],
        },
      ],
    });
    expect(created.status).toBe(201);
    expect(hs.records('notes').find((x) => x.id === n)!.associations.contacts).toEqual([c]);
    expect((await call('DELETE', `/crm/v4/objects/contacts/${c}/associations/companies/${co}`)).status).toBe(
      204,
    );
    const none = await call<{ results: unknown[] }>(
      'GET',
      `/crm/v4/objects/contacts/${c}/associations/companies`,
    );
    expect(none.body.results).toEqual([]);
  });
});

describe('pipelines, owners, account', () => {
  it('serves the default deal pipeline with its stages, owners by email, and the portal details', async () => {
    const p = await call<{
      results: { id: string; stages: { id: string; metadata: Record<string, string> }[] }[];
    }>('GET', '/crm/v3/pipelines/deals');
    const def = p.body.results.find((x) => x.id === 'default')!;
    expect(def.stages.map((s) => s.id)).toContain('closedwon');
    expect(def.stages.find((s) => s.id === 'closedwon')!.metadata).toEqual({
      probability: '1.0',
      isClosed: 'true',
    });
    expect((await call('GET', '/crm/v3/pipelines/deals/nope')).status).toBe(404);
    const stages = await call<{ results: unknown[] }>('GET', '/crm/v3/pipelines/deals/default/stages');
    expect(stages.body.results).toHaveLength(7);
    const owner = hs.addOwner({ email: 'Rep@Acme.test', firstName: 'Rep' });
    const found = await call<{ results: { id: string; userId: number; type: string }[] }>(
      'GET',
      '/crm/v3/owners?email=rep@acme.test',
    );
    expect(found.body.results).toEqual([
      expect.objectContaining({ id: owner.id, type: 'PERSON', userId: owner.userId }),
    ]);
    const byUser = await call<{ id: string }>('GET', `/crm/v3/owners/${owner.userId}?idProperty=userId`);
    expect(byUser.body.id).toBe(owner.id);
    const details = await call('GET', '/account-info/v3/details');
    expect(details.body).toMatchObject({ portalId: hs.portalId });
  });
});

describe('limits, faults and the request log', () => {
  it('answers the burst limit with 429, the policy name and the rate-limit headers', async () => {
    const limited = await startHubSpotSandbox({ now: () => clock, limits: { privateBurst: 3, daily: 5 } });
    try {
      const t = limited.privateAppToken();
      const get = () =>
        fetch(`${limited.url}/crm/v3/objects/contacts`, { headers: { authorization: `Bearer ${t}` } });
      const first = await get();
      expect(first.headers.get('x-hubspot-ratelimit-max')).toBe('3');
      expect(first.headers.get('x-hubspot-ratelimit-remaining')).toBe('2');
      expect(first.headers.get('x-hubspot-ratelimit-interval-milliseconds')).toBe('10000');
      expect(first.headers.get('x-hubspot-ratelimit-daily')).toBe('5');
      expect(first.headers.get('x-hubspot-ratelimit-daily-remaining')).toBe('4');
      await get();
      await get();
      const over = await get();
      expect(over.status).toBe(429);
      expect(await over.json()).toMatchObject({
        policyName: 'TEN_SECONDLY_ROLLING',
        errorType: 'RATE_LIMIT',
      });
      expect(over.headers.get('x-hubspot-ratelimit-remaining')).toBe('0');
      clock += 10_001;
      await get();
      await get();
      const daily = await get();
      expect(daily.status).toBe(429);
      expect(await daily.json()).toMatchObject({
        policyName: 'DAILY',
        message: 'You have reached your daily limit.',
      });
    } finally {
      await limited.stop();
    }
  });

  it('injects a status, a latency, and a drop after the write took effect', async () => {
    hs.fault({ route: 'POST /crm/v3/objects/notes', kind: 'status', status: 502 });
    const failed = await call<{ status: string }>('POST', '/crm/v3/objects/notes', {
      properties: { hs_timestamp: '1' },
    });
    expect(failed.status).toBe(502);
    expect(failed.body.status).toBe('error');
    const before = hs.records('notes').length;
    hs.fault({ route: 'POST /crm/v3/objects/notes', kind: 'drop', when: 'after' });
    await expect(
      call('POST', '/crm/v3/objects/notes', {
        properties: { hs_timestamp: '1765101600000', hs_note_body: 'dropped' },
      }),
    ).rejects.toThrow();
    expect(hs.records('notes').length).toBe(before + 1);
    hs.fault({ route: 'GET /crm/v3/owners', kind: 'latency', latencyMs: 150 });
    const started = performance.now();
    expect((await call('GET', '/crm/v3/owners')).status).toBe(200);
    expect(performance.now() - started).toBeGreaterThanOrEqual(140);
  });

  it('appends every request to HUBSPOT_SANDBOX_LOG as one JSON line', async () => {
    await call('POST', '/crm/v3/objects/contacts/search', { query: 'logged' });
    await call('GET', '/crm/v3/owners?email=x@y.test');
    const lines = readFileSync(logFile, 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(lines.at(-2)).toEqual({
      method: 'POST',
      path: '/crm/v3/objects/contacts/search',
      query: {},
      body: { query: 'logged' },
    });
    expect(lines.at(-1)).toEqual({
      method: 'GET',
      path: '/crm/v3/owners',
      query: { email: 'x@y.test' },
      body: null,
    });
    expect(lines.every((l) => Object.keys(l).sort().join() === 'body,method,path,query')).toBe(true);
  });
});
