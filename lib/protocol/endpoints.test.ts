import { describe, expect, it } from 'vitest';
import { isMailPage, mailHostsFor } from '../hosts/mail-hosts';
import { listen, send, type Runtime, type Sender } from './endpoints';

const production = (url: string) => isMailPage(url, mailHostsFor('production'));
const development = (url: string) => isMailPage(url, mailHostsFor('development'));

/** A runtime whose messages reach the listener with the given sender, as chrome.runtime does. */
function fakeRuntime(sender: Sender): Runtime {
  let listener: ((m: unknown, s: Sender) => Promise<unknown> | undefined) | undefined;
  return {
    id: 'ext-id',
    sendMessage: async (m) => listener?.(m, sender),
    onMessage: { addListener: (cb) => void (listener = cb) },
  };
}

const handlers = {
  'accounts.disconnect': async () => ({ ok: true as const }),
  'accounts.list': async () => [
    { provider: 'gmail' as const, mailbox: 'rep@x.example', connectedAt: 1, dailyLimit: 2000 },
  ],
};

describe('the message protocol', () => {
  it('answers a valid message from the extension’s own page', async () => {
    const rt = fakeRuntime({ id: 'ext-id', url: 'chrome-extension://ext-id/options.html' });
    listen(rt, handlers);
    expect(await send(rt, 'accounts.list', {})).toEqual([
      { provider: 'gmail', mailbox: 'rep@x.example', connectedAt: 1, dailyLimit: 2000 },
    ]);
  });

  it('answers a content script on an allowed mail host', async () => {
    const rt = fakeRuntime({ id: 'ext-id', url: 'https://mail.google.com/mail/u/0/#inbox' });
    listen(rt, { 'tasks.list': async () => ({ tasks: [] }) }, production);
    await expect(send(rt, 'tasks.list', {})).resolves.toBeTruthy();
  });

  it('answers Outlook on outlook.cloud.microsoft, where business mailboxes moved', async () => {
    const rt = fakeRuntime({ id: 'ext-id', url: 'https://outlook.cloud.microsoft/mail/inbox' });
    listen(rt, { 'tasks.list': async () => ({ tasks: [] }) }, production);
    await expect(send(rt, 'tasks.list', {})).resolves.toBeTruthy();
  });

  it('answers the demo inbox only outside production, and nothing else on the sandbox’s host', async () => {
    const demo = { id: 'ext-id', url: 'http://127.0.0.1:8025/demo/' };
    const tasks = { 'tasks.list': async () => ({ tasks: [] }) };
    const dev = fakeRuntime(demo);
    listen(dev, tasks, development);
    await expect(send(dev, 'tasks.list', {})).resolves.toBeTruthy();
    const prod = fakeRuntime(demo);
    listen(prod, tasks, production);
    await expect(send(prod, 'tasks.list', {})).rejects.toThrow('refused: unknown sender');
    for (const url of [
      'http://127.0.0.1:8025/__sandbox/',
      'http://127.0.0.1:9999/demo/',
      'http://outlook.office.com/',
    ]) {
      const other = fakeRuntime({ id: 'ext-id', url });
      listen(other, tasks, development);
      await expect(send(other, 'tasks.list', {}), url).rejects.toThrow('refused: unknown sender');
    }
  });

  it('keeps mailboxes, the backend session and the team out of a content script’s reach', async () => {
    const rt = fakeRuntime({ id: 'ext-id', url: 'https://mail.google.com/mail/u/0/#inbox' });
    listen(rt, handlers, production);
    await expect(send(rt, 'accounts.disconnect', { mailbox: 'rep@x.example' })).rejects.toThrow(
      "refused: accounts.disconnect is for the extension's own pages",
    );
    const page = fakeRuntime({ id: 'ext-id', url: 'chrome-extension://ext-id/options.html' });
    listen(page, handlers, production);
    expect(await send(page, 'accounts.disconnect', { mailbox: 'rep@x.example' })).toEqual({ ok: true });
  });

  it('refuses another extension, and a page of another site', async () => {
    const other = fakeRuntime({ id: 'someone-else', url: 'chrome-extension://someone-else/x.html' });
    listen(other, handlers);
    await expect(send(other, 'accounts.list', {})).rejects.toThrow('refused: unknown sender');
    const site = fakeRuntime({ id: 'ext-id', url: 'https://evil.example/' });
    listen(site, handlers, production);
    await expect(send(site, 'accounts.list', {})).rejects.toThrow('refused: unknown sender');
  });

  it('names the field of a malformed request', async () => {
    const rt = fakeRuntime({ id: 'ext-id', url: 'chrome-extension://ext-id/options.html' });
    listen(rt, { ...handlers, 'accounts.connect': async () => Promise.reject(new Error('not reached')) });
    await expect(send(rt, 'accounts.disconnect', { mailbox: 'not-an-address' })).rejects.toThrow(
      'accounts.disconnect: request.mailbox: is not a valid email address',
    );
    await expect(
      send(rt, 'accounts.connect', { provider: 'gmail', sandboxUrl: 'http://127.0.0.1:8025' }),
    ).rejects.toThrow('accounts.connect: request.mailbox: a sandbox mailbox needs its address');
  });

  it('ignores messages that are not the protocol’s', async () => {
    const rt = fakeRuntime({ id: 'ext-id', url: 'chrome-extension://ext-id/options.html' });
    listen(rt, handlers);
    expect(await rt.sendMessage({ hello: 'world' })).toBeUndefined();
  });
});
