import type { MailProvider } from './provider';

/**
 * Where the rep's mail client opens one message, by the provider's id for it: Gmail's web client takes the
 * message id after #all/, Outlook on the web's deeplink takes the Graph id (immutable ids included).
 */
export function messageUrl(
  kind: MailProvider['kind'] | undefined,
  providerMessageId: string,
): string | undefined {
  const id = encodeURIComponent(providerMessageId);
  if (kind === 'gmail') return `https://mail.google.com/mail/u/0/#all/${id}`;
  if (kind === 'graph') return `https://outlook.office.com/mail/deeplink/read/${id}`;
  return undefined;
}
