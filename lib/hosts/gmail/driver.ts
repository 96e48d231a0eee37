import { load, type GmailSdk } from '@/lib/hosts/gmail/sdk';
import { parsePerson, themeOf, uniquePeople } from '../people';
import { loadReporting, type AppIdProblem } from './app-id';
import type { HostDriver, OpenedThread, ThreadPerson } from '../types';

export interface GmailDriverOptions {
  doc?: Document;
  /** The icon of Threadline's sidebar panels in Gmail's app bar. */
  iconUrl: string;
  title: string;
  queueTitle: string;
}

/** The task queue's page in Gmail: InboxSDK shows it at mail.google.com/mail/u/0/#threadline-tasks. */
export const QUEUE_ROUTE = 'threadline-tasks';

const person = (email: string, name?: string): ThreadPerson | undefined =>
  parsePerson(email, name ?? undefined);

/**
 * InboxSDK with its reporting to its makers' servers switched off (see README: what it may still send). A
 * missing or malformed app id, and a load that fails or hangs, go to `report` (Settings → Diagnostics).
 */
export async function startGmailDriver(
  appId: string | undefined,
  options: GmailDriverOptions,
  report: (detail: AppIdProblem | 'load_failed') => void = () => {},
): Promise<HostDriver> {
  const sdk = await loadReporting(
    appId,
    (id) => load(2, id, { globalErrorLogging: false, eventTracking: false }),
    report,
  );
  return createGmailDriver(sdk, options);
}

/**
 * Gmail through InboxSDK's public API only: the SDK finds threads, people and sidebar slots, so nothing here
 * reads Gmail's DOM (except its background colour, for the theme).
 */
export function createGmailDriver(sdk: GmailSdk, options: GmailDriverOptions): HostDriver {
  const doc = options.doc ?? document;
  return {
    host: 'gmail',
    watchThreads(onThread, signal) {
      const unregister = sdk.Conversations.registerThreadViewHandler((tv) => {
        const ctl = new AbortController();
        const stop = () => ctl.abort();
        tv.on('destroy', stop);
        signal.addEventListener('abort', stop, { signal: ctl.signal });
        void (async () => {
          const messages = tv.getMessageViewsAll();
          // getRecipientsFull, not getRecipientEmailAddresses: the latter can be truncated on long threads.
          const recipients = await Promise.all(messages.map((m) => m.getRecipientsFull()));
          const id = await tv.getThreadIDAsync();
          if (ctl.signal.aborted || tv.destroyed) return;
          const senders = messages.map((m) => m.getSender());
          const participants = uniquePeople(
            [...senders, ...recipients.flat()].map((c) => person(c.emailAddress, c.name)),
          );
          const me = sdk.User.getEmailAddress().toLowerCase();
          const thread: OpenedThread = {
            id,
            // getThreadIDAsync answers the Gmail API's own thread id (the hex form), which threads.get takes.
            ...(id ? { providerThreadId: id } : {}),
            subject: tv.getSubject(),
            participants,
            ...(me ? { me } : {}),
          };
          let el: HTMLElement | null = doc.createElement('div');
          try {
            const panel = tv.addSidebarContentPanel({ el, title: options.title, iconUrl: options.iconUrl });
            ctl.signal.addEventListener('abort', () => panel.remove());
          } catch (error) {
            // Known SDK troubles (Calendar or Gemini side panels, split modes): fall back, never break Gmail.
            console.warn('Threadline: no Gmail sidebar for this thread', (error as Error).message);
            el = null;
          }
          onThread({ thread, panel: el, signal: ctl.signal });
        })();
      });
      signal.addEventListener('abort', unregister);
    },
    addComposeButton(button, onClick, signal) {
      const unregister = sdk.Compose.registerComposeViewHandler((composeView) => {
        if (signal.aborted) return;
        composeView.addButton({
          title: button.title,
          iconUrl: button.iconUrl,
          onClick: ({ composeView: cv }) => {
            const recipients = uniquePeople(
              [...cv.getToRecipients(), ...cv.getCcRecipients(), ...cv.getBccRecipients()].map((c) =>
                person(c.emailAddress, c.name),
              ),
            );
            const el = doc.createElement('div');
            const modal = sdk.Widgets.showModalView({ el, title: button.title, showCloseButton: true });
            const ctl = new AbortController();
            modal.on('destroy', () => ctl.abort());
            // The compose going away (sent, discarded) takes its modal with it.
            cv.on('destroy', () => modal.close());
            signal.addEventListener('abort', () => modal.close(), { signal: ctl.signal });
            const me = sdk.User.getEmailAddress().toLowerCase();
            onClick({
              recipients,
              ...(me ? { me } : {}),
              el,
              close: () => modal.close(),
              signal: ctl.signal,
            });
          },
        });
      });
      signal.addEventListener('abort', unregister);
    },
    addQueuePage(page, onShow, signal) {
      const unroute = sdk.Router.handleCustomRoute(QUEUE_ROUTE, (view) => {
        const ctl = new AbortController();
        view.on('destroy', () => ctl.abort());
        signal.addEventListener('abort', () => ctl.abort(), { signal: ctl.signal });
        view.setFullWidth(true);
        onShow({ el: view.getElement(), signal: ctl.signal });
      });
      const nav = sdk.NavMenu.addNavItem({ name: page.title, routeID: QUEUE_ROUTE, iconUrl: page.iconUrl });
      signal.addEventListener('abort', () => {
        unroute();
        nav.remove();
      });
    },
    async mountQueue(signal) {
      const el = doc.createElement('div');
      const view = await sdk.Global.addSidebarContentPanel({
        el,
        title: options.queueTitle,
        iconUrl: options.iconUrl,
      });
      if (!view) return null;
      const remove = () => view.remove();
      signal.addEventListener('abort', remove);
      return { el, remove };
    },
    async openCompose(req) {
      // InboxSDK's public API opens new compose windows only; an in-thread reply is a new message here.
      const compose = await sdk.Compose.openNewComposeView();
      compose.setToRecipients(req.to);
      compose.setSubject(req.subject);
      compose.setBodyHTML(req.body);
      return true;
    },
    theme: () => themeOf(doc.querySelector('[role="main"]') ?? doc.body),
  };
}
