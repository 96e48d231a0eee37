import { browser } from 'wxt/browser';

/** The browser's OAuth window (`identity`): the mailbox and backend sign-ins run through it. */
export interface Identity {
  /** Opens the provider's page; resolves with the redirect URL it ended on, or undefined if none. */
  launchWebAuthFlow(url: string, interactive: boolean): Promise<string | undefined>;
  /** The redirect URL providers must send the browser back to (https://<id>.chromiumapp.org/). */
  getRedirectURL(): string;
}

export function browserIdentity(identity: typeof browser.identity = browser.identity): Identity {
  return {
    launchWebAuthFlow: (url, interactive) => identity.launchWebAuthFlow({ url, interactive }),
    getRedirectURL: () => identity.getRedirectURL(),
  };
}
