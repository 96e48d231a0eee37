/** Small helpers both REST providers use to hand the watcher headers without a body. */

/** `Name: value` lines as a header block (CRLF, ending with the empty line), values folded onto one line. */
export function headerBlockOf(headers: readonly { name: string; value: string }[]): string {
  return headers.map((h) => `${h.name}: ${h.value.replace(/\r?\n[ \t]*/g, ' ')}\r\n`).join('') + '\r\n';
}

/** The lower-cased address of a From value (`Ada <ada@acme.example>` or a bare address); undefined if none. */
export function senderAddress(from: string | undefined): string | undefined {
  if (!from) return undefined;
  // A header value from a stranger: look at a bounded prefix only.
  const value = from.slice(0, 1000);
  const bracketed = /<([^<>\s]+@[^<>\s]+)>/.exec(value)?.[1];
  const bare = bracketed ?? /[^\s<>"]+@[^\s<>"]+/.exec(value)?.[0];
  return bare?.toLowerCase();
}
