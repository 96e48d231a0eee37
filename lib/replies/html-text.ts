const ENTITIES: Record<string, string> = {
  amp: '&',
  lt: '<',
  gt: '>',
  quot: '"',
  apos: "'",
  nbsp: ' ',
  eacute: 'é',
  egrave: 'è',
  ecirc: 'ê',
  agrave: 'à',
  aacute: 'á',
  acirc: 'â',
  atilde: 'ã',
  ccedil: 'ç',
  iacute: 'í',
  oacute: 'ó',
  ocirc: 'ô',
  otilde: 'õ',
  uacute: 'ú',
  ntilde: 'ñ',
  auml: 'ä',
  ouml: 'ö',
  uuml: 'ü',
  Auml: 'Ä',
  Ouml: 'Ö',
  Uuml: 'Ü',
  szlig: 'ß',
  euro: '€',
  rsquo: '’',
  lsquo: '‘',
  ldquo: '“',
  rdquo: '”',
  ndash: '–',
  mdash: '—',
};

function decodeEntities(s: string): string {
  return s.replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, (whole, e: string) => {
    if (e[0] === '#') {
      const code = e[1] === 'x' || e[1] === 'X' ? parseInt(e.slice(2), 16) : parseInt(e.slice(1), 10);
      return Number.isFinite(code) && code > 0 && code < 0x110000 ? String.fromCodePoint(code) : whole;
    }
    return ENTITIES[e] ?? ENTITIES[e.toLowerCase()] ?? whole;
  });
}

const BLOCK = /^(p|div|br|tr|li|h[1-6]|table|ul|ol|hr|pre|section|article|header|footer)$/;

/**
 * Turns an HTML body into plain text for classification. Text inside <blockquote> (how Gmail, Apple Mail
 * and Thunderbird quote) gets a "> " prefix so that the quote stripper treats it like a plain-text quote.
 */
export function htmlToText(html: string): string {
  const cleaned = html
    .replace(/<!--[\s\S]*?-->/g, '')
    .replace(/<(head|style|script|title)\b[^>]*>[\s\S]*?<\/\1\s*>/gi, '');
  const out: string[] = [];
  let line = '';
  let depth = 0;
  const flush = (): void => {
    const t = line.replace(/[ \t\u00a0]+/g, ' ').trim();
    out.push(depth > 0 ? `${'> '.repeat(depth)}${t}`.trimEnd() : t);
    line = '';
  };
  const tag = /<\/?([a-z][a-z0-9]*)\b[^>]*>/gi;
  let pos = 0;
  for (let m = tag.exec(cleaned); m; m = tag.exec(cleaned)) {
    line += decodeEntities(cleaned.slice(pos, m.index).replace(/\s+/g, ' '));
    pos = m.index + m[0].length;
    const name = (m[1] ?? '').toLowerCase();
    const closing = m[0][1] === '/';
    if (name === 'blockquote') {
      flush();
      depth = Math.max(0, depth + (closing ? -1 : 1));
    } else if (BLOCK.test(name)) {
      flush();
    } else if (name === 'td' || name === 'th') {
      line += ' ';
    }
  }
  line += decodeEntities(cleaned.slice(pos).replace(/\s+/g, ' '));
  flush();
  return out
    .join('\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}
