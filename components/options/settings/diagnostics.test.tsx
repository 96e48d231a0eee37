import 'fake-indexeddb/auto';
import { cleanup, fireEvent, render, screen } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { seriousViolations } from '@/components/testing/axe';
import { diagnosticsHandlers } from '@/lib/background/diagnostics';
import { DiagnosticsDb } from '@/lib/diagnostics/store';
import { listen, send, type Runtime, type Sender } from '@/lib/protocol/endpoints';
import { DiagnosticsSection } from './diagnostics';

const CHROME =
  'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/151.0.0.0 Safari/537.36';
const EDGE = `${CHROME} Edg/151.0.0.0`;
let db: DiagnosticsDb;

/** The real background handlers and store, reached as the options page or a content script on `url`. */
function runtimeAt(url: string): Runtime {
  let listener: ((m: unknown, s: Sender) => Promise<unknown> | undefined) | undefined;
  const rt: Runtime = {
    id: 'ext',
    sendMessage: async (m) => listener?.(m, { id: 'ext', url }),
    onMessage: { addListener: (cb) => void (listener = cb) },
  };
  const accounts = { list: async () => [], mailFor: () => undefined };
  listen(
    rt,
    diagnosticsHandlers({ db, version: '1.4.0', now: () => Date.parse('2026-12-07T14:05:00Z'), accounts }),
    (u) => u.startsWith('https://outlook.cloud.microsoft/'),
  );
  return rt;
}

beforeEach(() => {
  db = new DiagnosticsDb(`diagnostics-${Math.random()}`);
});
afterEach(cleanup);

const section = (props: Partial<Parameters<typeof DiagnosticsSection>[0]> = {}) =>
  render(
    <DiagnosticsSection
      runtime={runtimeAt('chrome-extension://ext/options.html')}
      inboxSdkAppId="sdk_threadline_0123456789"
      version="1.4.0"
      userAgent={CHROME}
      formatDate={(at) => new Date(at).toISOString()}
      {...props}
    />,
  );

describe('Settings → Diagnostics', () => {
  it('lists the anchor misses the content scripts reported, and copies them without any mail content', async () => {
    const outlook = runtimeAt('https://outlook.cloud.microsoft/mail/inbox/id/AAkALg');
    await send(outlook, 'diagnostics.record', { anchor: 'readingPane', page: 'conversation' });
    await send(outlook, 'diagnostics.record', { anchor: 'composeSend', page: 'compose' });
    let copied = '';
    const { container } = section({ copy: async (t) => void (copied = t) });
    await screen.findByText('readingPane');
    const rows = screen.getAllByRole('row').slice(1);
    expect(rows).toHaveLength(2);
    expect(rows[0]!.textContent).toContain('outlook.cloud.microsoft');
    expect(rows[0]!.textContent).toContain('1.4.0');
    fireEvent.click(screen.getByRole('button', { name: 'Copy for a bug report' }));
    await screen.findByText('Copied. Paste it into your bug report.');
    expect(copied).toContain('Threadline 1.4.0 diagnostics');
    expect(copied).toContain('outlook.cloud.microsoft  readingPane  conversation  v1.4.0  x1');
    expect(copied).not.toContain('AAkALg');
    expect(await seriousViolations(container)).toEqual([]);
  });

  it('clears the list', async () => {
    await send(runtimeAt('https://outlook.cloud.microsoft/mail/'), 'diagnostics.record', {
      anchor: 'subject',
      page: 'conversation',
    });
    section();
    fireEvent.click(await screen.findByRole('button', { name: 'Clear' }));
    await screen.findByText('No problems recorded on this device.');
  });

  it('says what is missing when the build has no InboxSDK app id, and how to set it', async () => {
    section({ inboxSdkAppId: undefined });
    const alert = await screen.findByRole('alert');
    expect(alert.textContent).toContain('no InboxSDK app id');
    expect(alert.textContent).toContain('WXT_INBOXSDK_APP_ID');
  });

  it('names a malformed InboxSDK app id', async () => {
    section({ inboxSdkAppId: 'threadline' });
    expect((await screen.findByRole('alert')).textContent).toContain('(“threadline”) is not of the form');
  });

  it('says when InboxSDK failed to load in Gmail', async () => {
    const gmail = runtimeAt('https://outlook.cloud.microsoft/');
    await send(gmail, 'diagnostics.record', { anchor: 'inboxsdk', page: 'gmail', detail: 'load_failed' });
    section();
    await screen.findByText(/InboxSDK did not load in Gmail \(last on 2026-12-07T14:05:00.000Z\)/);
  });

  it('warns in an Edge that may block extensions on *.cloud.microsoft, and only there', async () => {
    section({ userAgent: EDGE });
    await screen.findByText(/blocked extensions on \*\.cloud\.microsoft/);
    cleanup();
    section();
    await screen.findByText('No problems recorded on this device.');
    expect(screen.queryByText(/blocked extensions on/)).toBeNull();
  });
});
