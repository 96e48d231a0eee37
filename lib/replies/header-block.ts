import type { HeaderField } from './types';

const FIELD = /^([!-9;-~]+)[ \t]*:[ \t]*/;

/**
 * Splits text into lines without a regular expression over the whole text (CRLF, LF or lone CR).
 * `limit` stops after that many lines, so a caller that only needs the first lines never splits the rest.
 */
export function lines(text: string, limit = Infinity): string[] {
  const out: string[] = [];
  let start = 0;
  const n = text.length;
  for (let i = 0; i < n && out.length < limit; i++) {
    const c = text.charCodeAt(i);
    if (c === 10 || c === 13) {
      out.push(text.slice(start, i));
      if (c === 13 && text.charCodeAt(i + 1) === 10) i++;
      start = i + 1;
    }
  }
  if (out.length < limit && start <= n) out.push(text.slice(start));
  return out;
}

/**
 * Parses a block of "Name: value" lines (RFC 5322 header syntax, also used by RFC 3464 delivery-status,
 * RFC 5965 feedback reports and RFC 8098 disposition notifications). Folded lines are unfolded; names are
 * lower-cased; lines that are not fields are skipped. Linear in the size of the block: continuation lines are
 * collected and joined once (re-trimming a growing value for each one was quadratic on many folded lines).
 */
export function parseHeaderBlock(block: string): HeaderField[] {
  const fields: HeaderField[] = [];
  let parts: string[] = [];
  const close = (): void => {
    const last = fields[fields.length - 1];
    if (last && parts.length > 0) last.value = [last.value, ...parts].filter((p) => p !== '').join(' ');
    parts = [];
  };
  for (const line of lines(block)) {
    const c = line.charCodeAt(0);
    if (c === 32 || c === 9) {
      if (fields.length > 0) parts.push(line.trim());
      continue;
    }
    const m = FIELD.exec(line);
    if (!m?.[1]) continue;
    close();
    fields.push({ name: m[1].toLowerCase(), value: line.slice(m[0].length).trim() });
  }
  close();
  return fields;
}

/** Splits text into blank-line separated groups (the DSN per-message and per-recipient blocks). */
export function splitGroups(text: string): string[] {
  const groups: string[] = [];
  let current: string[] = [];
  for (const line of lines(text)) {
    if (line.trim() === '') {
      if (current.length > 0) groups.push(current.join('\n').trim());
      current = [];
    } else current.push(line);
  }
  if (current.length > 0) groups.push(current.join('\n').trim());
  return groups.filter((g) => g.length > 0);
}

/** The header block of a raw message: everything before the first empty line. */
export function headerPart(raw: string): string {
  const lf = raw.indexOf('\n\n');
  const crlf = raw.indexOf('\r\n\r\n');
  const ends = [lf, crlf].filter((i) => i >= 0);
  return ends.length > 0 ? raw.slice(0, Math.min(...ends)) : raw;
}

export function fieldValue(fields: readonly HeaderField[] | undefined, name: string): string | undefined {
  return fields?.find((f) => f.name === name)?.value;
}
