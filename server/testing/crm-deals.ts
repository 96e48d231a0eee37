/**
 * The deal bridge's test world: a backend and the HubSpot sandbox sharing one clock, a team connected with a
 * private-app token and deals on, and the moves of a test (a rep's sync push, what their devices pull, a
 * HubSpot user's edit, a deal seeded with its contact and company). `relayTo` puts a relay in front of
 * HubSpot that runs a test's step while a chosen request is in flight.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { pino } from 'pino';
import { afterAll, beforeAll, expect } from 'vitest';
import type { Session } from '../../lib/contract/auth';
import type { Mutation, PullResponse } from '../../lib/contract/sync';
import type { HubSpotSandbox, HubSpotSandboxOptions } from '../../tools/sandbox/hubspot/server';
import type { CrmConfig } from '../crm/config';
import { DEAL_ID_PROPERTY } from '../crm/deals';
import { createCrmWorker } from '../crm/worker';
import { crmSandboxForTests } from './crm';
import { createTestServer, type TestServer } from './harness';

export const MINUTE = 60_000;

export function dealWorld(opts: HubSpotSandboxOptions = {}) {
  const w = {} as { hs: HubSpotSandbox; server: TestServer; config: CrmConfig };
  let clock: () => number = Date.now;
  const log = pino({ level: 'silent' });
  let mutationId = 0;

  beforeAll(async () => {
    const made = await crmSandboxForTests({ now: () => clock(), ...opts });
    w.hs = made.hs;
    // The client's waits (its token buckets) move the shared clock instead of sleeping.
    w.config = { ...made.config, sleep: async (ms) => w.server.advance(ms) };
    w.server = await createTestServer({ crm: w.config });
    clock = w.server.now;
  }, 120_000);
  afterAll(async () => {
    await w.server?.close();
    await w.hs?.stop();
  });

  async function connectedTeam(facts: Record<string, string> = { pain: 'description' }) {
    const { admin, members } = await w.server.newTeam();
    w.hs.addOwner({ email: admin.user.email, firstName: 'Ada' });
    const token = w.hs.privateAppToken();
    expect(
      (
        await w.server.call('POST', '/crm/hubspot/private-app', {
          token: admin.accessToken,
          body: { token },
        })
      ).status,
    ).toBe(200);
    const patched = await w.server.call('PATCH', '/crm/settings', {
      token: admin.accessToken,
      body: { deals: { enabled: true, pipelines: {}, facts, threadlineWins: [] } },
    });
    expect(patched.status).toBe(200);
    return { admin, members, token };
  }

  async function push(s: Session, mutations: Omit<Mutation, 'id'>[]) {
    const res = await w.server.call<{ results: { status: string; reason?: string }[] }>(
      'POST',
      '/sync/push',
      {
        token: s.accessToken,
        body: { clientId: 'laptop', mutations: mutations.map((m) => ({ ...m, id: ++mutationId })) },
      },
    );
    expect(res.status).toBe(200);
    expect(res.body.results.filter((r) => r.status !== 'applied')).toEqual([]);
  }

  /** What the rep's devices receive: every row of a kind, by id. */
  async function pulled(s: Session, kind: string): Promise<Map<string, Record<string, unknown>>> {
    const res = await w.server.call<PullResponse>('GET', '/sync/pull?cursor=0&limit=10000', {
      token: s.accessToken,
    });
    expect(res.status).toBe(200);
    return new Map(
      res.body.rows.filter((r) => r.kind === kind && !r.deleted && r.data).map((r) => [r.id, r.data!]),
    );
  }

  const worker = (config: CrmConfig = w.config) =>
    createCrmWorker({ db: w.server.database.db, log, now: w.server.now, config });

  /** A HubSpot user editing the deal in HubSpot (its modification time is the sandbox's clock). */
  async function editInHubSpot(token: string, hubspotId: string, properties: Record<string, string>) {
    const res = await fetch(`${w.hs.url}/crm/v3/objects/deals/${hubspotId}`, {
      method: 'PATCH',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ properties }),
    });
    expect(res.status).toBe(200);
  }

  /** A HubSpot user deleting the deal in HubSpot (archived: restorable there for 90 days). */
  async function deleteInHubSpot(token: string, hubspotId: string) {
    const res = await fetch(`${w.hs.url}/crm/v3/objects/deals/${hubspotId}`, {
      method: 'DELETE',
      headers: { authorization: `Bearer ${token}` },
    });
    expect(res.status).toBe(204);
  }

  /** The one HubSpot deal written from a Threadline deal, in a sandbox (the world's by default). */
  const hubspotDeal = (dealId: string, hs: HubSpotSandbox = w.hs) => {
    const all = hs.records('deals').filter((d) => d.properties[DEAL_ID_PROPERTY] === dealId);
    expect(all, `HubSpot deals for ${dealId}`).toHaveLength(1);
    return all[0]!;
  };

  async function seedDeal(admin: Session, id: string, email: string) {
    const company = w.hs.seed('companies', { name: 'Acme', domain: 'acme.test' });
    const contact = w.hs.seed('contacts', { email }, [{ type: 'companies', id: company }]);
    const at = w.server.now();
    await push(admin, [
      { name: 'contact.upsert', args: { id: `c-${id}`, email, firstName: 'Lin' } },
      {
        name: 'deal.upsert',
        args: {
          id,
          name: 'Acme rollout',
          companyDomain: 'acme.test',
          pipelineId: 'b2b',
          stageId: 'discovery',
          stageEnteredAt: at,
          amount: { value: 12000, currency: 'EUR' },
          closeDate: '2027-03-31',
          contacts: [{ contactId: `c-${id}`, role: 'champion' }],
          facts: { pain: { type: 'text', value: 'Follow-ups fall through' } },
          createdAt: at,
          updatedAt: at,
        },
      },
    ]);
    return { company, contact };
  }

  /**
   * A relay in front of HubSpot: `during` runs when a request whose path contains `when` arrives (once), before
   * it is passed on. Returns the CRM config that goes through it and a close.
   */
  async function relayTo(target: () => string, when: string, during: () => Promise<void>) {
    let hook: (() => Promise<void>) | undefined = during;
    const relay = createServer((req, res) => {
      const body: Buffer[] = [];
      req.on('data', (c: Buffer) => body.push(c));
      req.on('end', () => {
        void (async () => {
          if (req.url?.includes(when) && hook) {
            const run = hook;
            hook = undefined;
            await run();
          }
          const up = await fetch(target() + req.url, {
            method: req.method!,
            headers: {
              authorization: req.headers.authorization ?? '',
              'content-type': req.headers['content-type'] ?? 'application/json',
            },
            ...(body.length ? { body: Buffer.concat(body) } : {}),
          });
          res.writeHead(up.status, { 'content-type': up.headers.get('content-type') ?? 'application/json' });
          res.end(Buffer.from(await up.arrayBuffer()));
        })();
      });
    });
    await new Promise<void>((resolve) => relay.listen(0, '127.0.0.1', resolve));
    const apiBase = `http://127.0.0.1:${(relay.address() as AddressInfo).port}`;
    return {
      config: { ...w.config, hubspot: { ...w.config.hubspot, apiBase } } as CrmConfig,
      ran: () => hook === undefined,
      close: () => new Promise((resolve) => relay.close(resolve)),
    };
  }

  return {
    w,
    connectedTeam,
    push,
    pulled,
    worker,
    editInHubSpot,
    deleteInHubSpot,
    hubspotDeal,
    seedDeal,
    relayTo,
  };
}
