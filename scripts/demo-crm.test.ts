// @vitest-environment node
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parseTokenKey } from '../server/crm/secrets';
import { DEMO_CRM_CONTACTS } from '../tools/sandbox/hubspot/demo-portal';
import { demoTokenKey, startDemoCrm, type DemoCrm } from './demo-crm';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tl-demo-crm-'));
let crm: DemoCrm | undefined;
afterAll(async () => {
  await crm?.hubspot.stop();
  fs.rmSync(dir, { recursive: true, force: true });
});

describe('npm start’s HubSpot demo portal', () => {
  it('makes the CRM token key once, keeps it in .data for the next start, and takes CRM_TOKEN_KEY first', () => {
    const first = demoTokenKey(dir, {});
    expect(parseTokenKey(first)).toHaveLength(32);
    expect(demoTokenKey(dir, {})).toBe(first);
    expect(fs.statSync(path.join(dir, 'crm-token-key')).mode & 0o077).toBe(0);
    expect(demoTokenKey(dir, { CRM_TOKEN_KEY: 'theirs' })).toBe('theirs');
  });

  it('starts the sandbox seeded with the demo inbox’s people and points the backend at it', async () => {
    crm = await startDemoCrm({ backendUrl: 'http://localhost:8787', dataDir: dir, port: 0, env: {} });
    expect(crm.env).toMatchObject({
      CRM_TOKEN_KEY: demoTokenKey(dir, {}),
      HUBSPOT_API_BASE: crm.hubspot.url,
      HUBSPOT_AUTHORIZE_URL: `${crm.hubspot.url}/oauth/authorize`,
      HUBSPOT_CLIENT_ID: 'threadline-demo-client',
    });
    expect(
      crm.hubspot
        .records('contacts')
        .map((c) => c.properties.email)
        .sort(),
    ).toEqual(DEMO_CRM_CONTACTS.map((c) => c.email).sort());
    // The OAuth app sends the admin back to the backend's callback, and nowhere else.
    const authorize = (redirect: string) =>
      fetch(
        `${crm!.hubspot.url}/oauth/authorize?${new URLSearchParams({
          client_id: 'threadline-demo-client',
          redirect_uri: redirect,
          scope: 'oauth crm.objects.contacts.read',
          state: 's',
        })}`,
        { redirect: 'manual' },
      );
    expect((await authorize('http://localhost:8787/crm/hubspot/callback')).status).toBe(200);
    expect((await authorize('http://evil.example/crm/hubspot/callback')).status).not.toBe(200);
  });
});
