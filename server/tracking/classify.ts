/** Opens this soon after the send are prefetches by the sending pipeline or a scanner, not a person. */
export const TOO_SOON_MS = 10_000;

const PROXIES = /GoogleImageProxy|ggpht\.com|YahooMailProxy|Outlook-iOS-Android/i;
const SCANNERS =
  /Barracuda|Mimecast|Proofpoint|Symantec|Forcepoint|Microsoft Office Protection|MSOffice 16|python-requests|curl\/|Wget|Go-http-client|HeadlessChrome|PhantomJS|\b(bot|crawler|spider|scanner)\b/i;

export type OpenFlag = 'too_soon' | 'image_proxy' | 'scanner';

/** Why a hit is not counted as a person's open or click, or undefined when it is. Kept on the event. */
export function flagOf(userAgent: string | undefined, at: number, sentAt: number): OpenFlag | undefined {
  if (at - sentAt < TOO_SOON_MS) return 'too_soon';
  if (!userAgent) return 'scanner';
  if (PROXIES.test(userAgent)) return 'image_proxy';
  if (SCANNERS.test(userAgent)) return 'scanner';
  return undefined;
}
