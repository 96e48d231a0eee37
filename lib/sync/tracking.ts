import { TrackingLinks, type TrackingLinksRequest } from '../contract/tracking';
import type { OutgoingMessage } from '../mail/provider';
import { backendCall } from './backend-call';

/** Whether the rep's emails carry tracking and the unsubscribe link (Settings; meta keys of lib/options-ports/settings). */
export interface TrackingChoices {
  /** An open pixel and tracked links. */
  track: boolean;
  /** A footer link and List-Unsubscribe / List-Unsubscribe-Post (RFC 8058) with the backend's one-click URL. */
  unsubscribeLink: boolean;
}

const HREF = /(<a\b[^>]*?\bhref=")([^"]+)(")/gi;
const decodeAttr = (s: string) =>
  s
    .replace(/&amp;/g, '&')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>');
const encodeAttr = (s: string) => s.replace(/&/g, '&amp;').replace(/"/g, '&quot;');

/** The http(s) links of an email's HTML (sanitised HTML: attributes are double-quoted). */
export function linksOf(html: string): string[] {
  const found = new Set<string>();
  for (const m of html.matchAll(HREF)) {
    const url = decodeAttr(m[2]!);
    if (/^https?:\/\//i.test(url)) found.add(url);
  }
  return [...found].slice(0, 50);
}

/**
 * The email as it leaves with the backend's signed links: each link through the click redirect, the open pixel
 * at the end, and (when chosen) the unsubscribe link in the footer and the List-Unsubscribe headers. Pure: the
 * same message and links give the same email, so a retried send carries the same bytes.
 */
export function withTracking(
  message: OutgoingMessage,
  links: TrackingLinks,
  choices: TrackingChoices,
  footer = 'Unsubscribe',
): OutgoingMessage {
  let html = message.html;
  let text = message.text;
  if (choices.track) {
    const tracked = new Map(links.links.map((l) => [l.url, l.trackedUrl]));
    html = html.replace(HREF, (all, start: string, href: string, end: string) => {
      const to = tracked.get(decodeAttr(href));
      return to ? `${start}${encodeAttr(to)}${end}` : all;
    });
    html += `<img src="${encodeAttr(links.pixelUrl)}" width="1" height="1" alt="" style="display:block;border:0">`;
  }
  if (choices.unsubscribeLink) {
    html += `<p style="font-size:12px;color:#777"><a href="${encodeAttr(links.unsubscribeUrl)}">${footer}</a></p>`;
    text += `\n\n${footer}: ${links.unsubscribeUrl}`;
  }
  return {
    ...message,
    html,
    text,
    ...(choices.unsubscribeLink ? { listUnsubscribe: { url: links.unsubscribeUrl } } : {}),
  };
}

export interface TrackingClientOptions {
  baseUrl: string;
  fetch: typeof fetch;
  token: () => Promise<string>;
}

/** Asks the backend for a step's signed links (`POST /tracking/links`). */
export async function fetchTrackingLinks(
  options: TrackingClientOptions,
  request: TrackingLinksRequest,
): Promise<TrackingLinks> {
  return backendCall(options.fetch, options.baseUrl, 'POST', '/tracking/links', TrackingLinks, {
    body: request,
    token: options.token,
  });
}
