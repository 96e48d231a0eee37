/**
 * The backend's address as the rep types it, checked the same way in Settings and in the background. A
 * production build talks to its backend over https only: the session's tokens travel in every request, and
 * plain http hands them to anyone on the network. The demo and the tests run a backend on this computer over
 * http, so their builds allow it (lib/build/modes.ts).
 */
export function checkBackendUrl(input: string, allowHttp: boolean): string {
  const text = input.trim();
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new Error(`"${input}" is not an address (e.g. https://threadline.example.com)`);
  }
  if (url.protocol === 'http:' && !allowHttp)
    throw new Error(
      `"${text}" is not an https address: Threadline reaches its backend over https only (e.g. https://threadline.example.com)`,
    );
  if (url.protocol !== 'https:' && url.protocol !== 'http:')
    throw new Error(`"${text}" is not an http(s) address`);
  if (url.username || url.password) throw new Error(`"${text}" must not carry a user name or password`);
  return text.replace(/\/+$/, '');
}
