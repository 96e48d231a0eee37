// @vitest-environment node
import 'fake-indexeddb/auto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OutgoingMessage } from '../mail/provider';
import { enrollContacts } from '../runner/enroll';
import { addSequence, createTestRunner } from '../runner/testing';
import { createTestServer, type TestServer } from '../../server/testing/harness';
import { createDexieSyncStore, enableSync } from './dexie-store';
import { createSyncClient } from './sync-client';
import { fetchTrackingLinks, linksOf, withTracking } from './tracking';

const message: OutgoingMessage = {
  messageId: '<e1.0@threadline>',
  from: { address: 'rep@seller.example' },
  to: [{ address: 'ada@buyer.example' }],
  subject: 'Hello',
  html: '<p>See <a href="https://acme.example/deck?a=1&amp;b=2">the deck</a> and <a href="mailto:x@y.z">mail</a></p>',
  text: 'See the deck',
};
const links = {
  pixelUrl: 'https://t.example/t/o/PIX',
  unsubscribeUrl: 'https://t.example/t/u/UNS',
  links: [{ url: 'https://acme.example/deck?a=1&b=2', trackedUrl: 'https://t.example/t/c/CLK' }],
};

describe('tracking an email', () => {
  it('finds the http links of the HTML, decoded', () => {
    expect(linksOf(message.html)).toEqual(['https://acme.example/deck?a=1&b=2']);
  });

  it('routes links through the click redirect and adds the pixel, leaving other links alone', () => {
    const out = withTracking(message, links, { track: true, unsubscribeLink: false });
    expect(out.html).toContain('<a href="https://t.example/t/c/CLK">the deck</a>');
    expect(out.html).toContain('<a href="mailto:x@y.z">');
    expect(out.html).toMatch(/<img src="https:\/\/t\.example\/t\/o\/PIX" width="1" height="1"/);
    expect(out.listUnsubscribe).toBeUndefined();
    expect(out.messageId).toBe(message.messageId);
  });

  it('adds the unsubscribe link to the footer, the text and the List-Unsubscribe header when chosen', () => {
    const out = withTracking(message, links, { track: false, unsubscribeLink: true });
    expect(out.html).toContain('href="https://acme.example/deck?a=1&amp;b=2"');
    expect(out.html).toContain('<a href="https://t.example/t/u/UNS">Unsubscribe</a>');
    expect(out.text).toContain('Unsubscribe: https://t.example/t/u/UNS');
    expect(out.listUnsubscribe).toEqual({ url: 'https://t.example/t/u/UNS' });
  });
});

describe('tracking links from the real backend', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await createTestServer();
  }, 60_000);
  afterAll(() => server?.close());

  it('signs links that redirect to the original, and an unsubscribe that puts the contact on the list', async () => {
    const { members } = await server.newTeam('rep');
    const rep = members[0]!;
    const t = createTestRunner({ now: server.now(), rep: { email: rep.user.email } });
    await enableSync(t.db, rep.user.id);
    await addSequence(t.db, {
      steps: [{ id: 'a', type: 'todo', delay: { value: 1, unit: 'days' }, title: 'x' }],
    });
    const report = await enrollContacts(t.deps, {
      sequenceId: 'seq-1',
      contacts: [{ email: 'ada@buyer.example' }],
    });
    const sync = createSyncClient({
      baseUrl: 'http://threadline.test',
      fetch: (input, init) => Promise.resolve(server.app.request(String(input), init)),
      token: () => rep.accessToken,
      clientId: 'laptop',
      store: createDexieSyncStore(t.db),
      now: server.now,
    });
    expect((await sync.syncOnce()).error).toBeUndefined();

    const signed = await fetchTrackingLinks(
      {
        baseUrl: 'http://threadline.test',
        fetch: (input, init) => Promise.resolve(server.app.request(String(input), init)),
        token: async () => rep.accessToken,
      },
      { enrollmentId: report.enrolled[0]!.enrollmentId, stepIndex: 0, links: linksOf(message.html) },
    );
    const out = withTracking(message, signed, { track: true, unsubscribeLink: true });
    const path = (url: string) => new URL(url).pathname;
    const click = await server.app.request(path(signed.links[0]!.trackedUrl));
    expect(click.status).toBe(302);
    expect(click.headers.get('location')).toBe('https://acme.example/deck?a=1&b=2');
    const unsubscribe = await server.app.request(path(out.listUnsubscribe!.url), {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'List-Unsubscribe=One-Click',
    });
    expect(unsubscribe.status).toBeLessThan(300);
    await sync.syncOnce();
    expect(await t.db.suppressions.get('ada@buyer.example')).toMatchObject({ reason: 'unsubscribed' });
  }, 60_000);
});
