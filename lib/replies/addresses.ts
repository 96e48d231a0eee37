const LOCAL = /[a-z0-9._%+'=-]/i;
const DOMAIN = /[a-z0-9.-]/i;
const ADDRESS = /^[a-z0-9._%+'=-]+@[a-z0-9-]+(?:\.[a-z0-9-]+)*\.[a-z]{2,}$/i;

/**
 * Every e-mail address in a text, lower-cased, in order. Scans outwards from each "@" (at most 64 characters
 * of local part and 255 of domain), so the work is linear in the text: a global regular expression over the
 * text backtracked quadratically on long runs of address characters without a valid domain.
 */
export function emailsIn(text: string): string[] {
  const out: string[] = [];
  for (let at = text.indexOf('@'); at >= 0; at = text.indexOf('@', at + 1)) {
    let start = at;
    while (start > 0 && at - start < 64 && LOCAL.test(text[start - 1] ?? '')) start--;
    let end = at + 1;
    while (end < text.length && end - at < 256 && DOMAIN.test(text[end] ?? '')) end++;
    const candidate = text
      .slice(start, end)
      .replace(/^[.'=]+/, '')
      .replace(/[.'=-]+$/, '');
    if (ADDRESS.test(candidate)) out.push(candidate.toLowerCase());
    if (out.length >= 200) break;
  }
  return out;
}

/** The bare address inside "Jane <jane@example.org>" or "rfc822; jane@example.org". */
export function firstEmail(text: string | undefined): string | undefined {
  return text ? emailsIn(text)[0] : undefined;
}

export function sameAddress(a: string | undefined, b: string | undefined): boolean {
  return !!a && !!b && a.trim().toLowerCase() === b.trim().toLowerCase();
}
