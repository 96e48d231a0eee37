/**
 * The one module that imports @inboxsdk/core. The test build (`wxt build --mode test`) aliases this module to
 * tests/e2e/support/inboxsdk-double.ts, because InboxSDK never finishes loading outside real Gmail; the
 * driver that uses it stays the real one. `GmailSdk` is the subset of InboxSDK's public API Threadline uses;
 * the assignment at the bottom makes the compiler prove the real SDK satisfies it.
 */
import * as InboxSDK from '@inboxsdk/core';
import type {
  ComposeView,
  ContentPanelDescriptor,
  ContentPanelView,
  MessageView,
  ThreadView,
  User,
} from '@inboxsdk/core';

export type { ContentPanelDescriptor };
export type SdkMessageView = Pick<MessageView, 'getSender' | 'getRecipientsFull'>;
export type SdkContentPanelView = Pick<ContentPanelView, 'remove'>;
export type SdkComposeView = Pick<ComposeView, 'setToRecipients' | 'setSubject' | 'setBodyHTML'>;
export interface SdkThreadView extends Pick<ThreadView, 'getThreadIDAsync' | 'getSubject' | 'destroyed'> {
  addSidebarContentPanel(descriptor: ContentPanelDescriptor): SdkContentPanelView;
  getMessageViewsAll(): SdkMessageView[];
  on(event: 'destroy', listener: () => void): unknown;
}
export interface GmailSdk {
  Conversations: { registerThreadViewHandler(handler: (threadView: SdkThreadView) => void): () => void };
  Compose: { openNewComposeView(): Promise<SdkComposeView> };
  Global: { addSidebarContentPanel(descriptor: ContentPanelDescriptor): Promise<SdkContentPanelView | null> };
  User: Pick<User, 'getEmailAddress'>;
}
export interface LoadOptions {
  /** Both false: InboxSDK must not report errors or usage to its makers' servers. */
  globalErrorLogging: false;
  eventTracking: false;
}

export const load = (version: 2, appId: string, options: LoadOptions): Promise<GmailSdk> =>
  InboxSDK.load(version, appId, options);

// Compile-time proof that the real SDK offers the subset with these signatures.
export const realSdkFitsTheSubset: (sdk: InboxSDK.InboxSDK) => GmailSdk = (sdk) => sdk;
