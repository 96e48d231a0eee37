/** Opens this soon after the send are prefetches by the sending pipeline or a scanner, not a person. */
export const TOO_SOON_MS = 10_000;
/**
 * An open this long before the rep reported viewing the thread is still theirs: their mail client loads the
 * pixel as the thread opens, and the extension's report follows a moment later.
 */
export const OWN_VIEW_LEAD_MS = 30_000;

const PROXIES = /GoogleImageProxy|ggpht\.com|YahooMailProxy|Outlook-iOS-Android/i;
const SCANNERS =
  /Barracuda|Mimecast|Proofpoint|Symantec|Forcepoint|Microsoft Office Protection|python-requests|curl\/|Wget|Go-http-client|HeadlessChrome|PhantomJS|\b(bot|crawler|spider|scanner)\b/i;

export type OpenFlag = 'too_soon' | 'own_view' | 'image_proxy' | 'scanner';

/**
 * Why a hit is not counted as the contact's open or click, or undefined when it is. Kept on the event (as
 * `data.machine: true` and `data.flag`). `repViewing`: the sending rep was viewing that thread at the time
 * (the extension reports it, POST /tracking/views), so the open is most likely their own.
 */
export function flagOf(
  userAgent: string | undefined,
  at: number,
  sentAt: number,
  repViewing = false,
): OpenFlag | undefined {
  if (at - sentAt < TOO_SOON_MS) return 'too_soon';
  if (repViewing) return 'own_view';
  // Every mail client and image proxy sends a User-Agent; a hit without one (or with an empty one) is a
  // script or a security scanner fetching the link, so it is kept but not counted as the contact's.
  if (!userAgent) return 'scanner';
  if (PROXIES.test(userAgent)) return 'image_proxy';
  if (SCANNERS.test(userAgent)) return 'scanner';
  return undefined;
}
