import type { ReactNode } from 'react';
import type { ContentScriptContext } from 'wxt/utils/content-script-context';
import type { HostDriver } from '../../lib/hosts/types';
import type { Runtime } from '../../lib/protocol/endpoints';
import { hostProblemReporter } from './anchor-note';
import { ComposeContainer } from './compose-container';
import { ICON_URL } from './icon';
import { ask } from '../../lib/protocol/inbox-client';
import { mountPanel } from './mount';
import { externalPeople } from './people';
import { QueueContainer } from './queue-container';
import { SendsOnHoldNotice } from './sends-on-hold';
import { glue } from './strings';
import { ThreadContainer } from './thread-container';

export interface InboxDeps {
  runtime: Runtime;
  /** Closed unless the end-to-end test build says otherwise (mount.tsx, panelShadowMode). */
  shadowMode?: ShadowRootMode;
}

/**
 * What both content scripts do with their driver: a thread panel in each opened thread (or the thread handed
 * to the browser's side panel when the host has no slot for it) and the task queue where the host offers one,
 * each under the "sends are on hold" banner when the team backend cannot be reached.
 */
export function startInbox(ctx: ContentScriptContext, driver: HostDriver, deps: InboxDeps): void {
  const signal = ctx.signal;
  const mount = (anchor: HTMLElement, theme: 'light' | 'dark', node: ReactNode) =>
    mountPanel(ctx, anchor, theme, node, deps.shadowMode ?? 'closed');
  // The host changed its page: the rep gets a note once, Settings → Diagnostics gets every miss.
  driver.watchAnchorMisses?.(
    hostProblemReporter(ctx, deps, driver.host === 'gmail' ? 'Gmail' : 'Outlook', () => driver.theme()),
    signal,
  );
  driver.watchThreads((view) => {
    // Leaving the thread ends the rep's views of its people's emails (an open after that is theirs).
    view.signal.addEventListener('abort', () => {
      const participants = externalPeople(view.thread);
      if (participants.length)
        void ask(deps.runtime, 'thread.closed', { participants }).catch(() => undefined);
    });
    if (!view.panel) {
      const { id, providerThreadId, subject, participants, me, unknownAddresses } = view.thread;
      const thread = {
        id,
        subject,
        participants,
        host: driver.host,
        ...(providerThreadId ? { providerThreadId } : {}),
        ...(me ? { me } : {}),
        ...(unknownAddresses?.length ? { unknownAddresses } : {}),
      };
      void ask(deps.runtime, 'thread.fallback', { thread }).catch(() => undefined);
      view.signal.addEventListener(
        'abort',
        () => void ask(deps.runtime, 'thread.fallback', { thread: null }).catch(() => undefined),
      );
      return;
    }
    void mount(
      view.panel,
      driver.theme(),
      <div className="tl-stack">
        <SendsOnHoldNotice runtime={deps.runtime} />
        <ThreadContainer
          runtime={deps.runtime}
          thread={view.thread}
          openCompose={(req) => driver.openCompose(req)}
        />
      </div>,
    ).then((unmount) => {
      if (view.signal.aborted) unmount();
      else view.signal.addEventListener('abort', unmount);
    });
  }, signal);

  driver.addComposeButton(
    { title: glue.composeButton, iconUrl: ICON_URL, closeLabel: glue.close },
    (compose) => {
      void mount(
        compose.el,
        driver.theme(),
        <ComposeContainer
          runtime={deps.runtime}
          recipients={compose.recipients}
          {...(compose.me ? { me: compose.me } : {})}
          onClose={compose.close}
        />,
      ).then((unmount) => {
        if (compose.signal.aborted) unmount();
        else compose.signal.addEventListener('abort', unmount);
      });
    },
    signal,
  );

  driver.addQueuePage(
    { title: glue.queuePage, iconUrl: ICON_URL },
    (page) => {
      void mount(
        page.el,
        driver.theme(),
        // A page of its own: the queue at a reading width, not stretched across the whole screen.
        <div className="tl-stack" style={{ maxWidth: 880, margin: '0 auto', padding: '16px 24px' }}>
          <SendsOnHoldNotice runtime={deps.runtime} />
          <QueueContainer runtime={deps.runtime} openCompose={(req) => driver.openCompose(req)} />
        </div>,
      ).then((unmount) => {
        if (page.signal.aborted) unmount();
        else page.signal.addEventListener('abort', unmount);
      });
    },
    signal,
  );

  void driver.mountQueue(signal).then((slot) => {
    if (!slot) return;
    void mount(
      slot.el,
      driver.theme(),
      <div className="tl-stack">
        <SendsOnHoldNotice runtime={deps.runtime} />
        <QueueContainer runtime={deps.runtime} openCompose={(req) => driver.openCompose(req)} />
      </div>,
    );
  });
}
