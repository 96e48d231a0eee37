import fs from 'node:fs';
import path from 'node:path';
import { MAIL_HOSTS } from '../mail-hosts';

/** Fixtures load on the first Outlook origin of the one list unless a test names another. */
export const OUTLOOK_ORIGIN = MAIL_HOSTS.find((h) => h.kind === 'outlook')!.origin;

/** Loads a dated Outlook fixture into this test's document (happy-dom), as the content script would see it. */
export function loadOutlookFixture(name: string, url = `${OUTLOOK_ORIGIN}/mail/inbox`): void {
  const html = fs.readFileSync(path.resolve('tests/fixtures/outlook', name), 'utf8');
  const doc = new DOMParser().parseFromString(html, 'text/html');
  window.happyDOM?.setURL(url);
  // The <html> element's own attributes too: Outlook's dark-mode hint is its style.
  for (const { name } of [...document.documentElement.attributes])
    document.documentElement.removeAttribute(name);
  for (const { name, value } of doc.documentElement.attributes)
    document.documentElement.setAttribute(name, value);
  document.head.innerHTML = doc.head.innerHTML;
  document.body.innerHTML = doc.body.innerHTML;
}

declare global {
  interface Window {
    happyDOM?: { setURL(url: string): void };
  }
}
