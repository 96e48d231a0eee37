// @vitest-environment node
import { describe, expect, it, vi } from 'vitest';
import { ThreadlineDb } from '../db/database';
import { TICK_ALARM, WATCH_ALARM } from '../platform/alarms';
import { createFakePlatform, type FakePlatform } from '../platform/testing';
import { send } from '../protocol/endpoints';
import { MESSAGES } from '../protocol/messages';
import { enrollContacts } from '../runner/enroll';
import { addSequence, ANY_TIME } from '../runner/testing';
import { startBackground } from './start';
import { SYNC_ALARM } from './sync-host';

// Every browser API reaches the worker through its Platform: the browser itself is out of reach here, and
// any use of it fails the test.
vi.mock('wxt/browser', () => ({
  browser: new Proxy(
    {},
    {
      get: (_, key) => {
        throw new Error(`the worker used browser.${String(key)} instead of its platform`);
      },
    },
  ),
}));

// Each start its own database: the worker's background work (sync, badge, reconcile) may outlive a test.
let dbs = 0;

async function start(platform: FakePlatform = createFakePlatform()) {
  const db = new ThreadlineDb(`start-test-${++dbs}`);
  const background = startBackground({ platform, db });
  await background.ready;
  return { ...background, platform };
}

const OPTIONS = (p: FakePlatform) => p.runtime.from(p.runtime.pageUrl('/options.html'));

describe('the service worker started on its platform', () => {
  it('arms its alarms, opens the side panel from the toolbar and keeps storage.local from content scripts', async () => {
    const { platform } = await start();
    await vi.waitFor(() =>
      expect(platform.alarms.all().map((a) => [a.name, a.periodInMinutes])).toEqual(
        expect.arrayContaining([
          [WATCH_ALARM, 1],
          [SYNC_ALARM, 1],
        ]),
      ),
    );
    expect(platform.alarms.listenerCount()).toBe(1);
    expect(platform.sidePanel.opensOnActionClick).toBe(true);
    expect(platform.storage.local.accessLevel).toBe('TRUSTED_CONTEXTS');
    expect(platform.requests).toEqual([]);
  });

  it('answers every message of the protocol (a message without a handler is caught here)', async () => {
    const { platform } = await start();
    const page = OPTIONS(platform);
    for (const name of Object.keys(MESSAGES)) {
      // A request no schema accepts: the answer shows the message found its handler and was validated.
      const reply = (await page.sendMessage({ threadline: 1, name, request: 'not a request' })) as {
        ok: boolean;
        error?: string;
      };
      expect(reply.ok, name).toBe(false);
      expect(reply.error, name).not.toMatch(/^unknown message/);
    }
  });

  it('answers the options page and refuses a page that is not the extension’s', async () => {
    const { platform } = await start();
    expect(await send(OPTIONS(platform), 'accounts.list', {})).toEqual([]);
    expect(await send(OPTIONS(platform), 'engine.tick', {})).toEqual({ sent: 0, tasks: 0 });
    await expect(send(platform.runtime.from('https://evil.example/'), 'tasks.list', {})).rejects.toThrow(
      'refused: unknown sender',
    );
  });

  it('opens the options page at a section in a new tab, and hands a thread to the side panel', async () => {
    const { platform } = await start();
    const gmail = platform.runtime.from('https://mail.google.com/mail/u/0/#inbox');
    await send(gmail, 'options.open', { section: 'diagnostics' });
    expect(platform.tabs.open.map((t) => t.url)).toEqual([
      'chrome-extension://fake-extension-id/options.html#/settings/diagnostics',
    ]);
    await send(gmail, 'thread.fallback', { thread: null });
    expect(platform.storage.session.items.has('inbox.fallbackThread')).toBe(true);
  });

  it('runs the engine when the tick alarm fires: the due task appears, the badge counts it, mail tabs reload', async () => {
    const platform = createFakePlatform({
      tabs: [
        { id: 7, url: 'https://mail.google.com/mail/u/0/#inbox' },
        { id: 8, url: 'https://news.example/' },
      ],
    });
    const { db, deps } = await start(platform);
    await addSequence(db, {
      settings: ANY_TIME,
      steps: [{ id: 'call', type: 'call', delay: { value: 0, unit: 'minutes' } }],
    });
    await enrollContacts(deps, {
      sequenceId: 'seq-1',
      contacts: [{ email: 'ada@x.example', firstName: 'Ada' }],
    });
    expect(await db.tasks.count()).toBe(0);

    platform.alarms.fire(TICK_ALARM);
    await vi.waitFor(async () => expect(await db.tasks.count()).toBe(1));
    await vi.waitFor(() => expect(platform.action.badge.text).toBe('1'));
    await vi.waitFor(() =>
      expect(platform.tabs.received).toEqual([{ tabId: 7, message: { threadline: 'changed' } }]),
    );
    expect(platform.runtime.broadcast).toContainEqual({ threadline: 'changed' });
  });

  it('connects a mailbox through the browser’s OAuth window, and tells the rep when they closed it', async () => {
    const { platform } = await start();
    const request = {
      provider: 'gmail',
      mailbox: 'rep@x.example',
      sandboxUrl: 'http://127.0.0.1:9',
    } as const;
    await expect(send(OPTIONS(platform), 'accounts.connect', request)).rejects.toThrow(
      'The user did not approve access.',
    );
    expect(platform.identity.launched).toEqual([
      { url: expect.stringMatching(/^http:\/\/127\.0\.0\.1:9\//), interactive: true },
    ]);
    expect(await send(OPTIONS(platform), 'accounts.list', {})).toEqual([]);
  });
});
