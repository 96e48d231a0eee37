import { browser } from 'wxt/browser';

/**
 * Optional host permissions (`permissions`): the options page asks for a self-hosted backend's origin when the
 * rep points Threadline at it. Chrome shows its prompt only in answer to a click.
 */
export interface Permissions {
  /** Asks the rep to let the extension reach `origin` (`https://backend.example`); true once granted. */
  requestOrigin(origin: string): Promise<boolean>;
}

export function browserPermissions(
  permissions: Pick<typeof browser.permissions, 'request'> = browser.permissions,
): Permissions {
  return { requestOrigin: (origin) => permissions.request({ origins: [`${origin}/*`] }) };
}
