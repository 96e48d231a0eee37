// @vitest-environment node
import 'fake-indexeddb/auto';
import { describe, expect, it } from 'vitest';
import { ThreadlineDb } from '../db/database';
import { createBackendSession } from '../sync/backend-session';
import { addSequence, ANY_TIME, createTestRunner, emailStep, runUntil } from '../runner/testing';
import { createTestServer, type TestServer } from '../../server/testing/harness';
import { saveUnsubscribeLink } from '../db/settings';
import { enrollContacts } from '../runner/enroll';
import { tick } from '../runner/tick';
import { enableSync } from '../sync/dexie-store';
import { recordHold, sendsHold } from './sends-on-hold';
import { createSyncHost, SYNC_ALARM, type SyncHostDeps } from './sync-host';

const T = Date.parse('2026-03-02T09:00:00Z');

/** browser.storage.local over a map. */
const memoryStorage = (items: Map<string, unknown>) => ({
  get: async (key: string) => (items.has(key) ? { [key]: items.get(key) } : {}),
  set: async (values: Record<string, unknown>) =>
    void Object.entries(values).forEach(([k, v]) => items.set(k, v)),
  remove: async (key: string) => void items.delete(key),
});

/** A backend that is down: every request fails, and is counted. */
function downBackend() {
  let now = T;
  let calls = 0;
  const items = new Map<string, unknown>([
    [
      'backend',
      {
        url: 'http://backend.test',
        clientId: 'c1',
        provider: 'sandbox',
        session: {
          accessToken: 'a',
          accessExpiresAt: T + 3_600_000,
          refreshToken: 'r',
          refreshExpiresAt: T + 86_400_000,
          user: { id: 'u1', email: 'rep@acme.test', role: 'rep', teamId: 't1' },
        },
      },
    ],
  ]);
  const fetch = (async () => {
    calls++;
    throw new TypeError('fetch failed');
  }) as unknown as typeof globalThis.fetch;
  const session = createBackendSession({
    storage: memoryStorage(items),
    fetch,
    idToken: async () => 'unused',
    newClientId: () => 'c1',
  });
  const alarms = new Map<string, unknown>();
  const alarmsPort = {
    create: (name: string, info: object) => void alarms.set(name, info),
    get: async (name: string) => alarms.get(name),
    clear: async (name: string) => alarms.delete(name),
    onAlarm: { addListener: () => undefined },
  };
  const device = createTestRunner({ now: T });
  const host = createSyncHost({
    db: device.db,
    session,
    fetch,
    now: () => now,
    alarms: alarmsPort,
  });
  // The runner sends through the host's lease, as the background wires it (start.ts).
  const runner = { ...device, deps: device.restart({ lease: host.lease }) };
  return {
    host,
    alarms,
    alarmsPort,
    session,
    runner,
    now: () => now,
    calls: () => calls,
    advance: (ms: number) => (now += ms),
  };
}

/**
 * A device signed in to an in-process backend as a new team's rep. `reach` says how the backend answers each
 * request: as itself, not at all, or with that HTTP status.
 */
async function signedInDevice(
  server: TestServer,
  reach: () => 'up' | 'down' | number,
  host: Pick<SyncHostDeps, 'onHoldChange' | 'afterSync'> & { now?: () => number } = {},
) {
  const { members } = await server.newTeam('rep');
  const rep = members[0]!;
  const fetch = ((input: string, init?: RequestInit) => {
    const how = reach();
    if (how === 'down') return Promise.reject(new TypeError('fetch failed'));
    if (how !== 'up') return Promise.resolve(new Response('upstream trouble', { status: how }));
    return Promise.resolve(server.app.request(String(input).replace('http://backend.test', ''), init));
  }) as unknown as typeof globalThis.fetch;
  const items = new Map<string, unknown>([
    ['backend', { url: 'http://backend.test', clientId: 'laptop', provider: 'sandbox', session: rep }],
  ]);
  const session = createBackendSession({
    storage: memoryStorage(items),
    fetch,
    idToken: async () => 'unused',
    newClientId: () => 'laptop',
  });
  const t = createTestRunner({ now: server.now(), rep: { email: rep.user.email } });
  const make = () =>
    createSyncHost({
      db: t.db,
      session,
      fetch,
      now: host.now ?? (() => t.clock.now),
      alarms: {
        create: () => undefined,
        get: async () => undefined,
        clear: async () => true,
        onAlarm: { addListener: () => undefined },
      },
      ...(host.onHoldChange ? { onHoldChange: host.onHoldChange } : {}),
      ...(host.afterSync ? { afterSync: host.afterSync } : {}),
    });
  /** A restarted service worker: the same storage and database, a new host and runner. */
  const restart = () => {
    const host = make();
    return { runner: t.restart({ lease: host.lease }), host };
  };
  const first = make();
  return { rep, t: { ...t, deps: t.restart({ lease: first.lease }) }, host: first, restart };
}

/** A one-email sequence with Ada enrolled: her email is due at once. */
async function adaDueNow(t: ReturnType<typeof createTestRunner>) {
  await addSequence(t.db, {
    settings: ANY_TIME,
    steps: [emailStep('a')],
  });
  await enrollContacts(t.deps, {
    sequenceId: 'seq-1',
    contacts: [{ email: 'ada@buyer.example', firstName: 'Ada' }],
  });
}

describe('the background’s sync', () => {
  it('arms its periodic alarm and sends through the backend’s lease while signed in', async () => {
    const b = downBackend();
    await b.host.start();
    expect(b.alarms.get(SYNC_ALARM)).toEqual({ periodInMinutes: 1 });
    expect(b.host.leased()).toBe(true);
    expect(b.runner.deps.lease?.holder).toBe('c1');
  });

  it('backs off after failures instead of hammering a backend that is down, and says why', async () => {
    const b = downBackend();
    await b.host.onAlarm();
    expect(b.calls()).toBe(1);
    const view = await b.host.view();
    expect(view.failures).toBe(1);
    expect(view.error).toContain('cannot be reached');
    // The next minute's alarm waits out the backoff (2 s to 2.4 s after one failure): one more try.
    b.advance(60_000);
    await b.host.onAlarm();
    expect(b.calls()).toBe(2);
    // After five failures the wait is over 30 s, so an alarm 1 s later does nothing.
    for (let i = 0; i < 3; i++) {
      b.advance(600_000);
      await b.host.onAlarm();
    }
    const before = b.calls();
    b.advance(1_000);
    await b.host.onAlarm();
    expect(b.calls()).toBe(before);
    expect((await b.host.view()).failures).toBe(5);
  });

  it('survives a restarted worker: the status is read back from the database', async () => {
    const b = downBackend();
    await b.host.onAlarm();
    const db = new ThreadlineDb(b.runner.db.name);
    expect((await db.meta.get('sync.status'))?.value).toMatchObject({ failures: 1 });
  });
});

describe('the rep’s own views', () => {
  it('tells the backend which enrollments the rep is looking at, once a minute for the same thread', async () => {
    const posted: unknown[] = [];
    const b = downBackend();
    const fetch = (async (_url: string, init: RequestInit) => {
      posted.push(JSON.parse(String(init.body)));
      return Response.json({ enrollmentIds: [], until: 0 });
    }) as unknown as typeof globalThis.fetch;
    const host = createSyncHost({
      db: b.runner.db,
      session: b.session,
      fetch,
      now: b.now,
      alarms: b.alarmsPort,
    });
    await host.reportViewing(['e2', 'e1']);
    await host.reportViewing(['e1', 'e2']);
    expect(posted).toEqual([{ enrollmentIds: ['e2', 'e1'] }]);
    b.advance(61_000);
    await host.reportViewing(['e1', 'e2']);
    await host.reportViewing(['e3']);
    expect(posted).toHaveLength(3);
    await host.reportViewing([]);
    expect(posted).toHaveLength(3);

    // The rep leaves a thread: its views end now, unless another thread has been reported since.
    await host.endViewing(['e1', 'e2']);
    expect(posted).toHaveLength(3);
    await host.endViewing(['e3']);
    expect(posted.at(-1)).toEqual({ enrollmentIds: [] });
    expect(posted).toHaveLength(4);
    await host.endViewing(['e3']);
    expect(posted).toHaveLength(4);
    // Opened again within the minute: reported again at once.
    await host.reportViewing(['e3']);
    expect(posted).toHaveLength(5);
  });
});

describe('emails sent while signed in to the backend', () => {
  it('carry tracked links, the open pixel and, when chosen, the one-click unsubscribe; without the backend they go as they are', async () => {
    const server = await createTestServer();
    try {
      let up = true;
      const { rep, t, host } = await signedInDevice(server, () => (up ? 'up' : 'down'), { now: server.now });
      t.deps.decorate = (m, ref) => host.decorate(m, ref);
      await enableSync(t.db, rep.user.id);
      await saveUnsubscribeLink(t.db, true);
      await addSequence(t.db, {
        settings: ANY_TIME,
        steps: [
          {
            id: 'a',
            type: 'auto_email',
            delay: { value: 0, unit: 'minutes' },
            subject: 'Deck',
            body: '<p>The <a href="https://acme.example/deck">deck</a></p>',
          },
        ],
      });
      await enrollContacts(t.deps, {
        sequenceId: 'seq-1',
        contacts: [{ email: 'ada@buyer.example' }, { email: 'bo@buyer.example' }],
      });
      await runUntil(t, server.now() + 60_000);
      const [first, second] = t.mail.sent.map((m) => m.outgoing);
      expect(first?.html).toContain('http://threadline.test/t/c/');
      expect(first?.html).not.toContain('href="https://acme.example/deck"');
      expect(first?.html).toContain('http://threadline.test/t/o/');
      expect(first?.listUnsubscribe?.url).toMatch(/^http:\/\/threadline\.test\/t\/u\//);
      expect(second?.listUnsubscribe).toBeDefined();

      up = false;
      await enrollContacts(t.deps, { sequenceId: 'seq-1', contacts: [{ email: 'cy@buyer.example' }] });
      t.clock.now += 120_000;
      await runUntil(t, t.clock.now + 60_000);
      const third = t.mail.sent[2]?.outgoing;
      expect(third?.to[0]?.address).toBe('cy@buyer.example');
      expect(third?.html).toContain('href="https://acme.example/deck"');
      expect(third?.listUnsubscribe).toBeUndefined();
    } finally {
      await server.close();
    }
  }, 60_000);
});

describe('sends on hold while the backend cannot be asked for the lease', () => {
  it('records since when and why, keeps nothing going out, and clears once the backend answers again', async () => {
    const server = await createTestServer();
    try {
      let backend: 'up' | 'down' | 503 = 'up';
      let notices = 0;
      const { t, host } = await signedInDevice(server, () => backend, { onHoldChange: () => notices++ });
      await host.start();
      await adaDueNow(t);

      backend = 'down';
      const heldAt = t.clock.now;
      await tick(t.deps);
      expect(t.mail.sent).toHaveLength(0);
      expect(await sendsHold(t.db, t.clock.now)).toEqual({
        hold: { since: heldAt, reason: 'unreachable', url: 'http://backend.test', due: 1 },
      });
      expect(notices).toBe(1);

      // A minute on, still down: the same hold, from the same time, and no new notice.
      t.clock.now += 60_000;
      await tick(t.deps);
      expect((await sendsHold(t.db, t.clock.now)).hold?.since).toBe(heldAt);
      expect(notices).toBe(1);

      backend = 503;
      t.clock.now += 60_000;
      await tick(t.deps);
      expect((await sendsHold(t.db, t.clock.now)).hold).toMatchObject({
        since: heldAt,
        reason: 'refused',
        status: 503,
      });
      expect(t.mail.sent).toHaveLength(0);

      backend = 'up';
      t.clock.now += 60_000;
      await tick(t.deps);
      expect(t.mail.sent).toHaveLength(1);
      expect(await sendsHold(t.db, t.clock.now)).toEqual({});
      expect(notices).toBe(3);

      // Held again; a sync that goes through shows the backend answers, before any lease is asked for.
      backend = 'down';
      await enrollContacts(t.deps, {
        sequenceId: 'seq-1',
        contacts: [{ email: 'bo@buyer.example', firstName: 'Bo' }],
      });
      await tick(t.deps);
      expect((await sendsHold(t.db, t.clock.now)).hold?.due).toBe(1);
      backend = 'up';
      await host.syncNow();
      expect(await sendsHold(t.db, t.clock.now)).toEqual({});
      expect(notices).toBe(5);
    } finally {
      await server.close();
    }
  }, 60_000);

  it('keeps sends on hold when the session lapses, through a restarted worker, until the rep signs out', async () => {
    const server = await createTestServer();
    try {
      let backend: 'up' | 401 = 'up';
      const { t, host, restart } = await signedInDevice(server, () => backend);
      await host.start();
      await adaDueNow(t);
      // A day later the backend refuses the session (the rep was removed, or the refresh token expired).
      backend = 401;
      t.clock.now += 86_400_000;
      await tick(t.deps);
      expect(t.mail.sent).toHaveLength(0);
      expect((await sendsHold(t.db, t.clock.now)).hold?.reason).toBe('signed_out');

      // The browser restarts the worker: still on hold. Sending without the lease could send what the rep's
      // other, signed-in computer sends.
      const again = restart();
      await again.host.start();
      expect(again.host.leased()).toBe(true);
      t.clock.now += 60_000;
      await tick(again.runner);
      expect(t.mail.sent).toHaveLength(0);
      expect((await sendsHold(t.db, t.clock.now)).hold).toMatchObject({ reason: 'signed_out', due: 1 });

      // Signing out on purpose is the rep's choice to send from this computer alone.
      await again.host.signOut();
      expect(again.host.leased()).toBe(false);
      expect(await sendsHold(t.db, t.clock.now)).toEqual({});
      // The email held looks again a minute after it was last held.
      t.clock.now += 60_000;
      await tick(again.runner);
      expect(t.mail.sent).toHaveLength(1);
    } finally {
      await server.close();
    }
  }, 60_000);

  it('stays through a failed sync, and is cleared on signing out, when nothing waits for a lease', async () => {
    const b = downBackend();
    await b.host.start();
    await recordHold(b.runner.db, {
      error: new TypeError('offline'),
      url: 'http://backend.test',
      signedIn: true,
      now: b.now(),
    });
    // A failed sync says nothing new about the lease.
    await b.host.syncNow();
    expect((await sendsHold(b.runner.db, b.now())).hold?.reason).toBe('unreachable');
    await b.host.signOut();
    expect(b.host.leased()).toBe(false);
    expect(await sendsHold(b.runner.db, b.now())).toEqual({});
  });
});

describe('after a sync', () => {
  it('runs what the pulled rows set off (HubSpot stage entries) once the backend answered, never after a failed sync', async () => {
    const server = await createTestServer();
    try {
      let up: 'up' | 'down' = 'down';
      let ran = 0;
      const { host } = await signedInDevice(server, () => up, { afterSync: async () => void ran++ });
      await host.syncNow();
      expect(ran).toBe(0);
      up = 'up';
      await host.syncNow();
      await new Promise((resolve) => setTimeout(resolve, 0));
      expect(ran).toBe(1);
    } finally {
      await server.close();
    }
  });
});
