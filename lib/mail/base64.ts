// Base64 helpers over UTF-8 that run unchanged in the service worker and in Node (no Buffer).

const CHUNK = 0x8000;

export function bytesToBase64(bytes: Uint8Array): string {
  let binary = '';
  for (let i = 0; i < bytes.length; i += CHUNK) {
    binary += String.fromCharCode(...bytes.subarray(i, i + CHUNK));
  }
  return btoa(binary);
}

export function base64ToBytes(base64: string): Uint8Array {
  const binary = atob(base64.replace(/\s+/g, ''));
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}

export function utf8ToBase64(text: string): string {
  return bytesToBase64(new TextEncoder().encode(text));
}

/** RFC 4648 §5 alphabet without padding, as Gmail's `raw` field expects. */
export function toBase64Url(base64: string): string {
  return base64.replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

export function fromBase64Url(base64url: string): string {
  const base64 = base64url.replace(/-/g, '+').replace(/_/g, '/').replace(/\s+/g, '');
  return base64 + '='.repeat((4 - (base64.length % 4)) % 4);
}

export function bytesToBase64Url(bytes: Uint8Array): string {
  return toBase64Url(bytesToBase64(bytes));
}

/** Decodes Gmail's base64url `raw` into the message text (UTF-8; 8-bit parts in other charsets degrade). */
export function decodeBase64UrlUtf8(base64url: string): string {
  return new TextDecoder().decode(base64ToBytes(fromBase64Url(base64url)));
}

/** Splits base64 into 76-character lines, the limit of RFC 2045 §6.8. */
export function wrapBase64(base64: string, eol = '\r\n'): string {
  return (base64.match(/.{1,76}/g) ?? []).join(eol);
}
