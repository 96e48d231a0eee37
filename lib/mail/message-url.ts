import { MAIL_HOSTS, outlookDeeplinkBase } from '../hosts/mail-hosts';
import type { MailProvider } from './provider';

const GMAIL = MAIL_HOSTS.find((h) => h.kind === 'gmail')!.origin;

/**
 * Where the rep's mail client opens one message, by the provider's id for it: Gmail's web client takes the
 * message id after #all/, Outlook on the web's deeplink takes the Graph id (immutable ids included), on the
 * Outlook origin the rep is on (`pageUrl`, the asking page): outlook.office.com's deeplinks answer AADSTS90015
 * to mailboxes moved to outlook.cloud.microsoft (HOSTS.md).
 */
export function messageUrl(
  kind: MailProvider['kind'] | undefined,
  providerMessageId: string,
  pageUrl?: string,
): string | undefined {
  const id = encodeURIComponent(providerMessageId);
  if (kind === 'gmail') return `${GMAIL}/mail/u/0/#all/${id}`;
  if (kind === 'graph') return `${outlookDeeplinkBase(pageUrl, MAIL_HOSTS)}/mail/deeplink/read/${id}`;
  return undefined;
}
