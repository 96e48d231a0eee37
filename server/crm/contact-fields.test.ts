// @vitest-environment node
/**
 * The contact's own fields (title and phone from the enroll form, name, company) reach the HubSpot contact
 * with its activities: filled where HubSpot has them empty, never overwriting what HubSpot holds unless the
 * admin's mapping says Threadline wins for that field (Settings → CRM, `contactsThreadlineWins`).
 */
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { HubSpotSandbox } from '../../tools/sandbox/hubspot/server';
import { crmSandboxForTests } from '../testing/crm';
import { oneEnrollment } from '../testing/fixtures';
import { createTestServer, type TestServer } from '../testing/harness';
import type { CrmConfig } from './config';
import { createCrmWorker } from './worker';

let hs: HubSpotSandbox;
let config: CrmConfig;
let server: TestServer;

beforeAll(async () => {
  ({ hs, config } = await crmSandboxForTests());
  server = await createTestServer({ crm: config });
}, 120_000);
afterAll(async () => {
  await server?.close();
  await hs?.stop();
});

/** A connected team whose rep enrolled `email` with a title and phone, and emailed them once. */
async function enrolledAndEmailed(email: string, settings: Record<string, unknown>) {
  const { admin } = await server.newTeam();
  await server.call('POST', '/crm/hubspot/private-app', {
    token: admin.accessToken,
    body: { token: hs.privateAppToken() },
  });
  const patched = await server.call('PATCH', '/crm/settings', { token: admin.accessToken, body: settings });
  expect(patched.status).toBe(200);
  const ids = { contact: `c-${email}`, sequence: `q-${email}`, enrollment: `e-${email}` };
  const pushed = await server.call<{ results: { status: string }[] }>('POST', '/sync/push', {
    token: admin.accessToken,
    body: {
      clientId: 'laptop',
      mutations: [
        ...oneEnrollment({ mailbox: admin.user.email, email, ids }),
        {
          name: 'contact.upsert',
          args: { id: ids.contact, email, firstName: 'Ada', title: 'VP Sales', phone: '+1 555 0100' },
        },
        {
          name: 'events.record',
          args: {
            events: [
              {
                id: `sent-${email}`,
                type: 'sent',
                at: server.now(),
                enrollmentId: ids.enrollment,
                stepIndex: 0,
                data: { subject: 'Hi' },
              },
            ],
          },
        },
      ].map((m, i) => ({ ...m, id: i + 1 })),
    },
  });
  expect(pushed.body.results.every((r) => r.status === 'applied')).toBe(true);
  const worker = createCrmWorker({
    db: server.database.db,
    log: pino({ level: 'silent' }),
    now: server.now,
    config,
  });
  expect(await worker.runTeam(admin.user.teamId)).toMatchObject({ logged: 1 });
  return hs.records('contacts').find((c) => c.properties.email === email)!;
}

describe('the contact’s fields in HubSpot', () => {
  it('fills the title and phone HubSpot has empty, keeping the title it holds', async () => {
    hs.seed('contacts', { email: 'held@acme.test', jobtitle: 'CTO' });
    const contact = await enrolledAndEmailed('held@acme.test', { createContacts: false });
    expect(contact.properties).toMatchObject({ jobtitle: 'CTO', phone: '+1 555 0100', firstname: 'Ada' });
  });

  it('overwrites the title when the admin says Threadline wins for it, and only that', async () => {
    hs.seed('contacts', { email: 'wins@acme.test', jobtitle: 'CTO', phone: '+1 555 0199' });
    const contact = await enrolledAndEmailed('wins@acme.test', {
      createContacts: false,
      contactsThreadlineWins: ['jobtitle'],
    });
    expect(contact.properties).toMatchObject({ jobtitle: 'VP Sales', phone: '+1 555 0199' });
  });

  it('creates a contact for its activities before the deals go, so a new deal is associated with it in the same round', async () => {
    const { admin } = await server.newTeam();
    await server.call('POST', '/crm/hubspot/private-app', {
      token: admin.accessToken,
      body: { token: hs.privateAppToken() },
    });
    await server.call('PATCH', '/crm/settings', {
      token: admin.accessToken,
      body: { createContacts: true, deals: { enabled: true } },
    });
    const email = 'new@fresh.test';
    const ids = { contact: 'c-new', sequence: 'q-new', enrollment: 'e-new' };
    const at = server.now();
    const pushed = await server.call<{ results: { status: string }[] }>('POST', '/sync/push', {
      token: admin.accessToken,
      body: {
        clientId: 'laptop',
        mutations: [
          ...oneEnrollment({ mailbox: admin.user.email, email, ids }),
          {
            name: 'deal.upsert',
            args: {
              id: 'deal-new',
              name: 'Fresh rollout',
              pipelineId: 'b2b',
              stageId: 'discovery',
              stageEnteredAt: at,
              contacts: [{ contactId: ids.contact, role: 'champion' }],
              createdAt: at,
              updatedAt: at,
            },
          },
          {
            name: 'events.record',
            args: {
              events: [
                {
                  id: 'sent-new',
                  type: 'sent',
                  at,
                  enrollmentId: ids.enrollment,
                  stepIndex: 0,
                  data: { subject: 'Hi' },
                },
              ],
            },
          },
        ].map((m, i) => ({ ...m, id: i + 1 })),
      },
    });
    expect(pushed.body.results.every((r) => r.status === 'applied')).toBe(true);
    const worker = createCrmWorker({
      db: server.database.db,
      log: pino({ level: 'silent' }),
      now: server.now,
      config,
    });
    expect(await worker.runOnce()).toMatchObject({ logged: 1 });
    const contact = hs.records('contacts').filter((c) => c.properties.email === email);
    expect(contact).toHaveLength(1);
    const deal = hs.records('deals').find((d) => d.properties.threadline_deal_id === 'deal-new')!;
    expect(deal.associations.contacts).toEqual([contact[0]!.id]);
    const sent = hs.records('emails').find((e) => e.properties.threadline_activity_id === 'email:sent-new')!;
    expect(sent.associations).toMatchObject({ contacts: [contact[0]!.id], deals: [deal.id] });
  });

  it('refuses a field the mapping does not know, naming it', async () => {
    const { admin } = await server.newTeam();
    const res = await server.call<{ error: { message: string } }>('PATCH', '/crm/settings', {
      token: admin.accessToken,
      body: { contactsThreadlineWins: ['lifecyclestage'] },
    });
    expect(res.status).toBe(400);
    expect(JSON.stringify(res.body)).toContain('contactsThreadlineWins');
  });
});
