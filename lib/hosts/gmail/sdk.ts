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
  CustomRouteView,
  NavItemView,
  MessageView,
  ModalDescriptor,
  ModalView,
  ThreadView,
  User,
} from '@inboxsdk/core';

export type { ContentPanelDescriptor };
export type SdkMessageView = Pick<MessageView, 'getSender' | 'getRecipientsFull'>;
export type SdkContentPanelView = Pick<ContentPanelView, 'remove'>;
export interface SdkComposeView extends Pick<
  ComposeView,
  | 'setToRecipients'
  | 'setSubject'
  | 'setBodyHTML'
  | 'getToRecipients'
  | 'getCcRecipients'
  | 'getBccRecipients'
  | 'destroyed'
> {
  addButton(descriptor: SdkComposeButtonDescriptor): unknown;
  on(event: 'destroy', listener: () => void): unknown;
}
/** ComposeButtonDescriptor's fields Threadline sets; onClick's event carries the compose view. */
export interface SdkComposeButtonDescriptor {
  title: string;
  iconUrl: string;
  onClick(event: { composeView: SdkComposeView }): void;
}
export type SdkModalDescriptor = Pick<ModalDescriptor, 'el' | 'title' | 'showCloseButton'>;
export interface SdkModalView extends Pick<ModalView, 'close'> {
  on(event: 'destroy', listener: () => void): unknown;
}
export interface SdkThreadView extends Pick<ThreadView, 'getThreadIDAsync' | 'getSubject' | 'destroyed'> {
  addSidebarContentPanel(descriptor: ContentPanelDescriptor): SdkContentPanelView;
  getMessageViewsAll(): SdkMessageView[];
  on(event: 'destroy', listener: () => void): unknown;
}
export interface SdkCustomRouteView extends Pick<CustomRouteView, 'getElement' | 'setFullWidth'> {
  on(event: 'destroy', listener: () => void): unknown;
}
/** NavItemDescriptor's fields Threadline sets (the type itself is not exported by the SDK). */
export interface SdkNavItemDescriptor {
  name: string;
  routeID: string;
  iconUrl: string;
}
export type SdkNavItemView = Pick<NavItemView, 'remove'>;
export interface GmailSdk {
  Conversations: { registerThreadViewHandler(handler: (threadView: SdkThreadView) => void): () => void };
  Compose: {
    openNewComposeView(): Promise<SdkComposeView>;
    registerComposeViewHandler(handler: (composeView: SdkComposeView) => void): () => void;
  };
  Widgets: { showModalView(descriptor: SdkModalDescriptor): SdkModalView };
  Global: { addSidebarContentPanel(descriptor: ContentPanelDescriptor): Promise<SdkContentPanelView | null> };
  User: Pick<User, 'getEmailAddress'>;
  Router: { handleCustomRoute(routeID: string, handler: (view: SdkCustomRouteView) => void): () => void };
  NavMenu: { addNavItem(descriptor: SdkNavItemDescriptor): SdkNavItemView };
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
