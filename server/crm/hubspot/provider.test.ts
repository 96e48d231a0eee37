// @vitest-environment node
/** The HubSpot provider over real HTTP against the HubSpot sandbox. */
import { afterEach, describe, expect, it } from 'vitest';
import { startHubSpotSandbox, type HubSpotSandbox } from '../../../tools/sandbox/hubspot/server';
import { CrmDailyLimitError, type CrmActivity } from '../provider';
import { HubSpotClient } from './client';
import { ACTIVITY_ID_PROPERTY } from './mapping';
import { HubSpotProvider } from './provider';

let hs: HubSpotSandbox | undefined;
afterEach(async () => {
  await hs?.stop();
  hs = undefined;
});

async function setup(opts: Parameters<typeof startHubSpotSandbox>[0] = {}, burst = 100) {
  // One virtual clock for HubSpot's windows and the client's waits.
  let clock = Date.parse('2026-12-07T09:00:00Z');
  hs = await startHubSpotSandbox({ now: () => clock, ...opts });
  const token = hs.privateAppToken();
  const waits: number[] = [];
  const client = new HubSpotClient({
    baseUrl: hs.url,
    token: async () => token,
    burst,
    now: () => clock,
    sleep: async (ms) => {
      waits.push(ms);
      clock += ms;
    },
  });
  const provider = new HubSpotProvider(client);
  return { hs, client, provider, waits };
}

const at = Date.parse('2026-12-07T09:00:00Z');
const contact = (i: number) => ({ email: `person${i}@acme.test`, firstName: `P${i}` });

function mixed(n: number, contacts = 20): CrmActivity[] {
  return Array.from({ length: n }, (_, i): CrmActivity => {
    const base = { id: `act-${i}`, at: at + i, contact: contact(i % contacts) };
    switch (i % 5) {
      case 0:
      case 1:
        return {
          ...base,
          kind: 'email',
          direction: i % 5 === 0 ? 'outgoing' : 'incoming',
          subject: `Subject ${i}`,
          text: 'Hi',
          from: { email: 'rep@threadline.test' },
          to: [{ email: base.contact.email }],
        };
      case 2:
        return { ...base, kind: 'note', body: `Out of office until Monday (${i})` };
      case 3:
        return { ...base, kind: 'call', title: 'Intro call', outcome: 'Connected', body: 'Talked' };
      default:
        return {
          ...base,
          kind: 'task',
          subject: 'Connect on LinkedIn',
          taskType: 'LINKED_IN_CONNECT',
          completed: true,
        };
    }
  });
}

describe('HubSpotProvider', () => {
  it('logs mixed activities once each, associated with the contact and the contact’s company, in few requests', async () => {
    const { hs, client, provider } = await setup();
    const companyId = hs.seed('companies', { name: 'Acme', domain: 'acme.test' });
    for (let i = 0; i < 10; i++)
      hs.seed('contacts', { email: contact(i).email }, [{ type: 'companies', id: companyId }]);
    expect(await provider.prepare()).toEqual({
      email: 'unique',
      note: 'unique',
      call: 'unique',
      task: 'unique',
      meeting: 'unique',
    });
    const before = client.requests;
    const outcomes = await provider.logActivities(mixed(250), { createContacts: true });
    expect(outcomes.every((o) => o.status === 'logged')).toBe(true);
    // 1 contacts read + 1 contacts create + 1 companies read + ceil(100/100) emails... per kind.
    expect(client.requests - before).toBeLessThanOrEqual(9);
    const emails = hs.records('emails');
    expect(emails).toHaveLength(100);
    const first = emails.find((e) => e.properties[ACTIVITY_ID_PROPERTY] === 'act-0')!;
    expect(first.properties).toMatchObject({
      hs_email_direction: 'EMAIL',
      hs_email_subject: 'Subject 0',
      hs_email_to_email: 'person0@acme.test',
    });
    expect(first.associations.companies).toEqual([companyId]);
    const created = hs.records('contacts').find((c) => c.properties.email === 'person15@acme.test')!;
    expect(created.properties.firstname).toBe('P15');
    const call = hs.records('calls')[0]!;
    expect(call.properties.hs_call_disposition).toBe('f240bbac-87c9-4f6e-bf70-924b57d47db7');
    expect(hs.records('tasks')[0]!.properties).toMatchObject({
      hs_task_status: 'COMPLETED',
      hs_task_type: 'LINKED_IN_CONNECT',
    });

    // Sent again (a crash before the answer was recorded): the same HubSpot ids, nothing new.
    const again = await provider.logActivities(mixed(250), { createContacts: true });
    expect(again.map((o) => (o.status === 'logged' ? o.crmId : o.status))).toEqual(
      outcomes.map((o) => (o.status === 'logged' ? o.crmId : o.status)),
    );
    expect(again.every((o) => o.status === 'logged' && o.duplicate)).toBe(true);
    expect(hs.records('emails')).toHaveLength(100);
    expect(hs.records('notes')).toHaveLength(50);
  });

  it('falls back to search-before-create where a unique property cannot be made', async () => {
    const { hs, provider } = await setup({ uniqueOnActivities: false });
    expect((await provider.prepare()).note).toBe('search');
    const acts = mixed(20, 5);
    await provider.logActivities(acts, { createContacts: true });
    await provider.logActivities(acts, { createContacts: true });
    expect(hs.records('notes')).toHaveLength(4);
    expect(hs.records('emails')).toHaveLength(8);
  });

  describe.each([
    ['a unique id property', true],
    ['search-before-create', false],
  ] as const)('a batch HubSpot answers with 207 Multi-Status (%s)', (_how, unique) => {
    it('logs the records HubSpot created, fails the refused ones with HubSpot’s own message, and a retry adds only those', async () => {
      const { hs, provider } = await setup({ uniqueOnActivities: unique });
      await provider.prepare();
      const emails = mixed(10, 5).filter((a) => a.kind === 'email');
      expect(emails.map((a) => a.id)).toEqual(['act-0', 'act-1', 'act-5', 'act-6']);
      hs.refuseRecords({
        type: 'emails',
        ids: ['act-5'],
        message: 'Property values were not valid: [{"name":"hs_email_subject"}]',
      });
      const first = await provider.logActivities(emails, { createContacts: true });
      expect(first.map((o) => o.status)).toEqual(['logged', 'logged', 'failed', 'logged']);
      expect(first[2]).toEqual({
        id: 'act-5',
        status: 'failed',
        message: 'Property values were not valid: [{"name":"hs_email_subject"}]',
        retryable: false,
      });
      const ids = () => hs!.records('emails').map((e) => e.properties[ACTIVITY_ID_PROPERTY]);
      expect(ids().sort()).toEqual(['act-0', 'act-1', 'act-6']);
      // The whole batch again (the worker died before recording the answer): each record once.
      const again = await provider.logActivities(emails, { createContacts: true });
      expect(again.every((o) => o.status === 'logged')).toBe(true);
      expect(again.map((o) => o.status === 'logged' && o.crmId)).toEqual([
        ...first.slice(0, 2).map((o) => o.status === 'logged' && o.crmId),
        expect.any(String),
        first[3]!.status === 'logged' && first[3]!.crmId,
      ]);
      expect(ids().sort()).toEqual(['act-0', 'act-1', 'act-5', 'act-6']);
    });
  });

  describe('the contact’s own fields (name, company, title, phone from the enroll form)', () => {
    const note = (contact: CrmActivity['contact']): CrmActivity => ({
      id: `note-${contact.email}`,
      at,
      contact,
      kind: 'note',
      body: 'Out of office',
    });

    it('fills the fields HubSpot has empty and never overwrites one it holds', async () => {
      const { hs, provider } = await setup();
      hs.seed('contacts', { email: 'ada@acme.test', jobtitle: 'CTO', firstname: 'Ada' });
      await provider.prepare();
      const out = await provider.logActivities(
        [
          note({
            email: 'ada@acme.test',
            firstName: 'Adaline',
            lastName: 'Lovelace',
            title: 'VP Sales',
            phone: '+1 555 0100',
            company: 'Acme',
          }),
        ],
        { createContacts: false },
      );
      expect(out[0]!.status).toBe('logged');
      expect(hs.records('contacts')[0]!.properties).toMatchObject({
        firstname: 'Ada',
        jobtitle: 'CTO',
        lastname: 'Lovelace',
        phone: '+1 555 0100',
        company: 'Acme',
      });
    });

    it('overwrites a field HubSpot holds only where the mapping says Threadline wins', async () => {
      const { hs, provider } = await setup();
      hs.seed('contacts', { email: 'ada@acme.test', jobtitle: 'CTO', phone: '+1 555 0199' });
      await provider.prepare();
      await provider.logActivities(
        [note({ email: 'ada@acme.test', title: 'VP Sales', phone: '+1 555 0100' })],
        { createContacts: false, contactFieldsThreadlineWins: ['jobtitle'] },
      );
      expect(hs.records('contacts')[0]!.properties).toMatchObject({
        jobtitle: 'VP Sales',
        phone: '+1 555 0199',
      });
    });

    it('writes nothing to a contact that already holds what Threadline knows', async () => {
      const { hs, client, provider } = await setup();
      hs.seed('contacts', { email: 'ada@acme.test', firstname: 'Ada', jobtitle: 'CTO' });
      await provider.prepare();
      const before = client.requests;
      await provider.logActivities([note({ email: 'ada@acme.test', firstName: 'Ada', title: 'CTO' })], {
        createContacts: false,
      });
      // Contacts read, companies read, the note.
      expect(client.requests - before).toBe(3);
      expect(hs.requests().some((r) => r.path === '/crm/v3/objects/contacts/batch/update')).toBe(false);
    });

    it('still logs the activity when HubSpot refuses the contact update', async () => {
      const { hs, provider } = await setup();
      hs.seed('contacts', { email: 'ada@acme.test' });
      await provider.prepare();
      hs.fault({ route: 'POST /crm/v3/objects/contacts/batch/update', kind: 'status', status: 400 });
      const out = await provider.logActivities([note({ email: 'ada@acme.test', title: 'VP Sales' })], {
        createContacts: false,
      });
      expect(out[0]!.status).toBe('logged');
      expect(hs.records('notes')).toHaveLength(1);
    });
  });

  it('skips an activity whose contact HubSpot lacks when creating contacts is off', async () => {
    const { hs, provider } = await setup();
    hs.seed('contacts', { email: contact(0).email });
    await provider.prepare();
    const out = await provider.logActivities(mixed(2, 2), { createContacts: false });
    expect(out[0]!.status).toBe('logged');
    expect(out[1]).toMatchObject({
      status: 'skipped',
      reason: expect.stringContaining('creating contacts is off'),
    });
    expect(hs.records('contacts')).toHaveLength(1);
  });

  it('waits out a 429 with the window the headers name, and stops at the daily limit', async () => {
    const { hs, provider, waits } = await setup({ limits: { daily: 1000 } });
    await provider.prepare();
    hs.fault({
      route: 'POST /crm/v3/objects/notes/batch/create',
      kind: 'status',
      status: 429,
      times: 2,
      body: {
        status: 'error',
        message: 'You have reached your ten_secondly_rolling limit.',
        errorType: 'RATE_LIMIT',
        policyName: 'TEN_SECONDLY_ROLLING',
      },
    });
    const out = await provider.logActivities(mixed(5, 5), { createContacts: true });
    expect(out.every((o) => o.status === 'logged')).toBe(true);
    expect(hs.requests().filter((r) => r.status === 429)).toHaveLength(2);
    // 10 s (the window), then 20 s.
    expect(waits.filter((w) => w === 10_000 || w === 20_000)).toEqual([10_000, 20_000]);
    hs.fault({
      route: 'POST /crm/v3/objects/contacts/batch/read',
      kind: 'status',
      status: 429,
      body: {
        status: 'error',
        message: 'You have reached your daily limit.',
        errorType: 'RATE_LIMIT',
        policyName: 'DAILY',
      },
    });
    await expect(provider.logActivities(mixed(5, 5), { createContacts: true })).rejects.toBeInstanceOf(
      CrmDailyLimitError,
    );
  });

  it('keeps under the burst limit with its token bucket: no 429 from HubSpot', async () => {
    let clock = Date.parse('2026-12-07T09:00:00Z');
    hs = await startHubSpotSandbox({ limits: { privateBurst: 10 }, now: () => clock });
    const token = hs.privateAppToken();
    const client = new HubSpotClient({
      baseUrl: hs.url,
      token: async () => token,
      burst: 10,
      now: () => clock,
      sleep: async (ms) => void (clock += ms),
    });
    const start = clock;
    for (let i = 0; i < 40; i++) expect((await client.request('GET', '/crm/v3/owners')).status).toBe(200);
    expect(hs.requests().filter((r) => r.status === 429)).toEqual([]);
    // 9 requests per 10 s (90% of the burst): 40 requests take four windows.
    expect(clock - start).toBeGreaterThanOrEqual(40_000);
  });
});
