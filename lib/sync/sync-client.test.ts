// @vitest-environment node
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Session } from '../contract/auth';
import type { ChangedRow, Mutation } from '../contract/sync';
import { createTestServer, type TestServer } from '../../server/testing/harness';
import { backoffMs, createSyncClient, type SyncStore } from './sync-client';

let t: TestServer;
beforeAll(async () => {
  t = await createTestServer();
}, 60_000);
afterAll(() => t?.close());

/** What the extension keeps in IndexedDB, in memory. */
function memoryStore() {
  let outbox: Mutation[] = [];
  let cursor = 0;
  let nextId = 1;
  const rows = new Map<string, Record<string, unknown>>();
  const store: SyncStore = {
    pending: async () => [...outbox],
    acknowledge: async (last) => void (outbox = outbox.filter((m) => m.id > last)),
    cursor: async () => cursor,
    applyPulled: async (changed: ChangedRow[], next) => {
      for (const r of changed) {
        if (r.deleted) rows.delete(`${r.kind}:${r.id}`);
        else rows.set(`${r.kind}:${r.id}`, r.data!);
      }
      cursor = next;
    },
  };
  return { store, rows, queue: (name: string, args: unknown) => outbox.push({ id: nextId++, name, args }) };
}

function client(session: Session, clientId: string, store: SyncStore, fetchImpl?: typeof fetch) {
  return createSyncClient({
    baseUrl: 'http://threadline.test',
    fetch: fetchImpl ?? ((input, init) => Promise.resolve(t.app.request(String(input), init))),
    token: () => session.accessToken,
    clientId,
    store,
    now: t.now,
    pullLimit: 2,
  });
}

describe('the sync client', () => {
  it('carries one device’s changes to another', async () => {
    const rep = await t.signIn();
    const laptop = memoryStore();
    const phone = memoryStore();
    for (let i = 0; i < 5; i++) laptop.queue('contact.upsert', { id: `c${i}`, email: `c${i}@acme.test` });
    const status = await client(rep, 'laptop', laptop.store).syncOnce();
    expect(status).toEqual({ lastSyncAt: t.now(), pending: 0, failures: 0, rejected: [] });
    await client(rep, 'phone', phone.store).syncOnce();
    expect(phone.rows).toEqual(laptop.rows);
    expect(phone.rows.size).toBe(5);
  });

  it('splits a push whose body would pass the server’s 1 MB limit (sent events carry email bodies)', async () => {
    const rep = await t.signIn();
    const laptop = memoryStore();
    const field = 'x'.repeat(1_990);
    const custom = { a: field, b: field, c: field, d: field };
    for (let i = 0; i < 200; i++)
      laptop.queue('contact.upsert', { id: `big${i}`, email: `big${i}@acme.test`, custom });
    const sizes: number[] = [];
    const counting: typeof fetch = (input, init) => {
      if (String(input).includes('/sync/push')) sizes.push(String(init?.body ?? '').length);
      return Promise.resolve(t.app.request(String(input), init));
    };
    const status = await client(rep, 'laptop', laptop.store, counting).syncOnce();
    expect(status).toMatchObject({ pending: 0, failures: 0, rejected: [] });
    expect(sizes.length).toBeGreaterThan(1);
    expect(Math.max(...sizes)).toBeLessThan(1024 * 1024);
    expect([...laptop.rows.keys()].filter((k) => k.startsWith('contact:big'))).toHaveLength(200);
  });

  it('stops pulling for now when the store holds its cursor back, and takes the rest at the next sync', async () => {
    const rep = await t.signIn();
    const laptop = memoryStore();
    for (let i = 0; i < 5; i++) laptop.queue('contact.upsert', { id: `c${i}`, email: `c${i}@acme.test` });
    await client(rep, 'laptop', laptop.store).syncOnce();
    // The phone cannot take c1 yet (a change of its own to it waits): it keeps its cursor before c1.
    const phone = memoryStore();
    let holding = true;
    const pulls: number[] = [];
    const holdingStore: SyncStore = {
      ...phone.store,
      applyPulled: async (rows, next) => {
        pulls.push(rows.length);
        const held = holding ? rows.find((r) => r.id === 'c1') : undefined;
        const taken = held ? rows.filter((r) => r.version < held.version) : rows;
        await phone.store.applyPulled(taken, held ? held.version - 1 : next);
      },
    };
    const phoneClient = client(rep, 'phone', holdingStore);
    expect((await phoneClient.syncOnce()).error).toBeUndefined();
    // Two rows a page: c0 and c1 came and c0 was taken; from c1 again, nothing could be taken, so it stopped
    // (rather than asking for the same page in a loop).
    expect(pulls).toEqual([2, 2]);
    expect([...phone.rows.keys()]).toEqual(['contact:c0']);
    holding = false;
    await phoneClient.syncOnce();
    expect(phone.rows.size).toBe(5);
  });

  it('reports what the server refused, and does not send it again', async () => {
    const rep = await t.signIn();
    const laptop = memoryStore();
    laptop.queue('contact.upsert', { id: 'c', email: 'nope' });
    laptop.queue('contact.upsert', { id: 'd', email: 'd@acme.test' });
    const sync = client(rep, 'laptop', laptop.store);
    const status = await sync.syncOnce();
    expect(status.rejected).toEqual([
      { id: 1, status: 'rejected', reason: 'args.email: is not a valid email address' },
    ]);
    expect(await laptop.store.pending()).toEqual([]);
    expect([...laptop.rows.keys()]).toEqual(['contact:d']);
  });

  it('keeps the outbox through failures and backs off, then catches up', async () => {
    const rep = await t.signIn();
    const laptop = memoryStore();
    laptop.queue('contact.upsert', { id: 'c', email: 'c@acme.test' });
    let online = false;
    const sync = client(rep, 'laptop', laptop.store, (input, init) =>
      online
        ? Promise.resolve(t.app.request(String(input), init))
        : Promise.reject(new TypeError('fetch failed')),
    );
    expect(await sync.syncOnce()).toMatchObject({
      failures: 1,
      pending: 1,
      error: 'The backend at http://threadline.test cannot be reached (fetch failed)',
    });
    expect(await sync.syncOnce()).toMatchObject({ failures: 2, pending: 1 });
    online = true;
    expect(await sync.syncOnce()).toEqual({ lastSyncAt: t.now(), pending: 0, failures: 0, rejected: [] });
    expect(laptop.rows.has('contact:c')).toBe(true);
  });

  it('says why the server refused a sync', async () => {
    const rep = await t.signIn();
    t.advance(16 * 60_000);
    const status = await client(rep, 'laptop', memoryStore().store).syncOnce();
    expect(status.error).toBe('GET /sync/pull answered 401: the session token is invalid or expired');
  });
});

describe('backoff', () => {
  it('doubles from 2 s to at most 5 minutes, with jitter', () => {
    expect([0, 1, 2, 3, 10, 20].map((f) => backoffMs(f, () => 0))).toEqual([
      0, 2000, 4000, 8000, 300_000, 300_000,
    ]);
    expect(backoffMs(1, () => 1)).toBe(2400);
  });
});
