const EMAIL = /[a-z0-9._%+'=-]+@[a-z0-9-]+(?:\.[a-z0-9-]+)*\.[a-z]{2,}/gi;

export function emailsIn(text: string): string[] {
  return (text.match(EMAIL) ?? []).map((e) => e.toLowerCase().replace(/^[.'=]+|[.'=]+$/g, ''));
}

/** The bare address inside "Jane <jane@example.org>" or "rfc822; jane@example.org". */
export function firstEmail(text: string | undefined): string | undefined {
  return text ? emailsIn(text)[0] : undefined;
}

export function sameAddress(a: string | undefined, b: string | undefined): boolean {
  return !!a && !!b && a.trim().toLowerCase() === b.trim().toLowerCase();
}
