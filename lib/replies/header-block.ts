import type { HeaderField } from './types';

/**
 * Parses a block of "Name: value" lines (RFC 5322 header syntax, also used by RFC 3464 delivery-status,
 * RFC 5965 feedback reports and RFC 8098 disposition notifications). Folded lines are unfolded; names are
 * lower-cased; lines that are not fields are skipped.
 */
export function parseHeaderBlock(block: string): HeaderField[] {
  const fields: HeaderField[] = [];
  for (const line of block.split(/\r?\n/)) {
    const last = fields[fields.length - 1];
    if (/^[ \t]/.test(line)) {
      if (last) last.value = `${last.value} ${line.trim()}`.trim();
      continue;
    }
    const m = /^([!-9;-~]+)[ \t]*:[ \t]*(.*)$/.exec(line);
    if (m?.[1] !== undefined && m[2] !== undefined)
      fields.push({ name: m[1].toLowerCase(), value: m[2].trim() });
  }
  return fields;
}

/** Splits text into blank-line separated groups (the DSN per-message and per-recipient blocks). */
export function splitGroups(text: string): string[] {
  return text
    .split(/\r?\n[ \t]*\r?\n/)
    .map((g) => g.trim())
    .filter((g) => g.length > 0);
}

/** The header block of a raw message: everything before the first empty line. */
export function headerPart(raw: string): string {
  const m = /\r?\n\r?\n/.exec(raw);
  return m ? raw.slice(0, m.index) : raw;
}

export function fieldValue(fields: readonly HeaderField[] | undefined, name: string): string | undefined {
  return fields?.find((f) => f.name === name)?.value;
}
