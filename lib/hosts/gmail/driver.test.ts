import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { gmailFixtureHtml, load, type GmailFixture } from '../../../tests/e2e/support/inboxsdk-double';
import type { ComposeEnroll, PageView, ThreadView } from '../types';
import { createGmailDriver } from './driver';

const ada = { name: 'Ada Lovelace', emailAddress: 'Ada.Lovelace@acme.example' };
const ben = { name: 'Ben Okafor', emailAddress: 'ben.okafor@acme.example' };
const rep = { name: 'Riley Chen', emailAddress: 'riley@northwind.example' };
const fixture: GmailFixture = {
  user: rep,
  threads: [
    {
      id: '18c2f0a9e4b7d311',
      subject: 'Acme hiring plans',
      messages: [
        { from: rep, to: [ada], date: 'Nov 16', body: '<p>Hi Ada</p>' },
        { from: ada, to: [rep], cc: [ben], date: 'Nov 17', body: '<p>Looping in Ben</p>' },
      ],
    },
    {
      id: '18c2f0a9e4b7d399',
      subject: 'Pilot timeline',
      messages: [
        {
          from: { name: 'Grace', emailAddress: 'grace@contoso.example' },
          to: [rep],
          date: 'Nov 16',
          body: '',
        },
      ],
    },
  ],
};
const OPTIONS = { iconUrl: 'data:,', title: 'Threadline', queueTitle: 'Threadline tasks' };

let stop: AbortController;
let views: ThreadView[];
const until = async (ok: () => boolean) => {
  for (let i = 0; i < 100 && !ok(); i++) await new Promise((r) => setTimeout(r, 5));
};

async function open(hash: string) {
  location.hash = hash;
}

beforeEach(async () => {
  const doc = new DOMParser().parseFromString(gmailFixtureHtml(fixture), 'text/html');
  document.title = doc.title;
  document.head.innerHTML = doc.head.innerHTML;
  document.body.innerHTML = doc.body.innerHTML;
  location.hash = '';
  stop = new AbortController();
  views = [];
});
afterEach(() => stop.abort());

describe('the Gmail driver over InboxSDK (double)', () => {
  it('loads InboxSDK with its error logging and event tracking off', async () => {
    await load(2, 'sdk_threadline_0123456789', { globalErrorLogging: false, eventTracking: false });
    expect(JSON.parse(document.documentElement.dataset.inboxsdkDouble!)).toMatchObject({
      globalErrorLogging: false,
      eventTracking: false,
    });
  });

  it('reports the opened thread: id, subject, every sender and recipient, and the rep', async () => {
    const driver = createGmailDriver(await load(2, 'sdk_threadline_0123456789', OFF), OPTIONS);
    driver.watchThreads((v) => views.push(v), stop.signal);
    await open('#inbox/18c2f0a9e4b7d311');
    await until(() => views.length > 0);
    expect(views[0]!.thread).toEqual({
      id: '18c2f0a9e4b7d311',
      // InboxSDK's thread id is the Gmail API's: the runner asks threads.get for it.
      providerThreadId: '18c2f0a9e4b7d311',
      subject: 'Acme hiring plans',
      participants: [
        { email: 'riley@northwind.example', name: 'Riley Chen' },
        { email: 'ada.lovelace@acme.example', name: 'Ada Lovelace' },
        { email: 'ben.okafor@acme.example', name: 'Ben Okafor' },
      ],
      me: 'riley@northwind.example',
    });
    expect(views[0]!.panel!.closest('[role="complementary"]')).not.toBeNull();
  });

  it('tears the panel down when the rep leaves the thread, and reports the next one', async () => {
    const driver = createGmailDriver(await load(2, 'sdk_threadline_0123456789', OFF), OPTIONS);
    driver.watchThreads((v) => views.push(v), stop.signal);
    await open('#inbox/18c2f0a9e4b7d311');
    await until(() => views.length > 0);
    const first = views[0]!;
    await open('#inbox/18c2f0a9e4b7d399');
    await until(() => views.length > 1);
    expect(first.signal.aborted).toBe(true);
    expect(first.panel!.isConnected).toBe(false);
    expect(views[1]!.thread.subject).toBe('Pilot timeline');
  });

  it('puts the task queue in a global sidebar panel and removes it on teardown', async () => {
    const driver = createGmailDriver(await load(2, 'sdk_threadline_0123456789', OFF), OPTIONS);
    const mount = await driver.mountQueue(stop.signal);
    expect(mount!.el.isConnected).toBe(true);
    expect(document.querySelector('[aria-label="Threadline tasks"]')).not.toBeNull();
    stop.abort();
    expect(mount!.el.isConnected).toBe(false);
  });

  it('opens a prefilled compose window', async () => {
    const driver = createGmailDriver(await load(2, 'sdk_threadline_0123456789', OFF), OPTIONS);
    await driver.openCompose({
      to: ['ada.lovelace@acme.example'],
      subject: 'Next steps',
      body: '<p>Hi Ada</p>',
    });
    const dialog = document.querySelector('[role="dialog"][aria-label="New Message"]')!;
    expect(dialog.querySelector<HTMLInputElement>('[name="to"]')!.value).toBe('ada.lovelace@acme.example');
    expect(dialog.querySelector<HTMLInputElement>('[name="subjectbox"]')!.value).toBe('Next steps');
    expect(dialog.querySelector('[role="textbox"]')!.innerHTML).toBe('<p>Hi Ada</p>');
  });

  it('adds a button to each compose window that opens a modal with the compose’s recipients', async () => {
    const driver = createGmailDriver(await load(2, 'sdk_threadline_0123456789', OFF), OPTIONS);
    const clicks: ComposeEnroll[] = [];
    const BUTTON = { title: 'Enroll recipients in a sequence', iconUrl: 'data:,', closeLabel: 'Close' };
    driver.addComposeButton(BUTTON, (e) => clicks.push(e), stop.signal);
    document.querySelector<HTMLElement>('[role="button"].T-I-KE')!.click();
    const compose = document.querySelector('[role="dialog"][aria-label="New Message"]')!;
    const field = (name: string) => compose.querySelector<HTMLInputElement>(`[name="${name}"]`)!;
    field('to').value = 'Ada Lovelace <Ada.Lovelace@acme.example>, ben.okafor@acme.example';
    field('cc').value = 'Ada Lovelace <ada.lovelace@acme.example>';
    compose.querySelector<HTMLButtonElement>('[aria-label="Enroll recipients in a sequence"]')!.click();
    expect(clicks[0]!.recipients).toEqual([
      { email: 'ada.lovelace@acme.example', name: 'Ada Lovelace' },
      { email: 'ben.okafor@acme.example' },
    ]);
    expect(clicks[0]!.me).toBe('riley@northwind.example');
    const modal = document.querySelector('[role="dialog"][aria-label="Enroll recipients in a sequence"]')!;
    expect(modal.contains(clicks[0]!.el)).toBe(true);
    clicks[0]!.close();
    expect(clicks[0]!.signal.aborted).toBe(true);
    expect(modal.isConnected).toBe(false);
  });

  it('closes the modal when its compose window goes away', async () => {
    const driver = createGmailDriver(await load(2, 'sdk_threadline_0123456789', OFF), OPTIONS);
    const clicks: ComposeEnroll[] = [];
    driver.addComposeButton(
      { title: 'Enroll recipients in a sequence', iconUrl: 'data:,', closeLabel: 'Close' },
      (e) => clicks.push(e),
      stop.signal,
    );
    await driver.openCompose({ to: ['ada.lovelace@acme.example'], subject: 'Hi', body: '' });
    const compose = document.querySelector('[role="dialog"][aria-label="New Message"]')!;
    compose.querySelector<HTMLButtonElement>('[aria-label="Enroll recipients in a sequence"]')!.click();
    expect(clicks[0]!.recipients).toEqual([{ email: 'ada.lovelace@acme.example' }]);
    compose.querySelector<HTMLButtonElement>('[aria-label="Discard draft"]')!.click();
    expect(clicks[0]!.signal.aborted).toBe(true);
  });

  it('offers the task queue as a page of its own with an entry in Gmail’s navigation', async () => {
    const driver = createGmailDriver(await load(2, 'sdk_threadline_0123456789', OFF), OPTIONS);
    const pages: PageView[] = [];
    driver.addQueuePage({ title: 'Threadline tasks', iconUrl: 'data:,' }, (p) => pages.push(p), stop.signal);
    const entry = document.querySelector<HTMLAnchorElement>(
      '[role="navigation"] a[href="#threadline-tasks"]',
    )!;
    expect(entry.textContent).toContain('Threadline tasks');
    await open('#threadline-tasks');
    await until(() => pages.length > 0);
    expect(pages[0]!.el.closest('[role="main"]')).not.toBeNull();
    expect(pages[0]!.el.isConnected).toBe(true);
    // Leaving the page tears it down; stopping the driver takes the entry away.
    await open('#inbox');
    await until(() => pages[0]!.signal.aborted);
    expect(pages[0]!.el.isConnected).toBe(false);
    stop.abort();
    expect(entry.isConnected).toBe(false);
  });

  it('stops reporting threads once stopped', async () => {
    const driver = createGmailDriver(await load(2, 'sdk_threadline_0123456789', OFF), OPTIONS);
    driver.watchThreads((v) => views.push(v), stop.signal);
    stop.abort();
    await open('#inbox/18c2f0a9e4b7d311');
    await new Promise((r) => setTimeout(r, 30));
    expect(views).toHaveLength(0);
  });
});

const OFF = { globalErrorLogging: false, eventTracking: false } as const;
