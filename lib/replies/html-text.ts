import { Tokenizer } from 'htmlparser2';

/** The most HTML read from one body: the new text and the first lines of a reply come well before this. */
export const HTML_LIMIT = 256 * 1024;
/** The most text produced from one body, and the most text the rules ever see. */
export const TEXT_LIMIT = 32 * 1024;
/** Deeper quotes are written with this many "> " marks: a line's prefix cannot grow with the nesting. */
const MAX_QUOTE_DEPTH = 8;

const BLOCK = new Set([
  'p',
  'div',
  'br',
  'tr',
  'li',
  'h1',
  'h2',
  'h3',
  'h4',
  'h5',
  'h6',
  'table',
  'ul',
  'ol',
  'hr',
  'pre',
  'section',
  'article',
  'header',
  'footer',
  'address',
  'dd',
  'dt',
]);
/** Elements whose content is never text a person wrote to us. */
const HIDDEN = new Set(['style', 'script', 'title', 'template', 'noscript', 'xml']);

const WHITESPACE = /[\s\u00a0]+/g;

/**
 * Turns an HTML body into plain text for classification, in one pass of htmlparser2's tokenizer (a linear
 * state machine: unclosed tags, comments and deep nesting cost no more than any other markup), over at most
 * HTML_LIMIT characters, stopping at TEXT_LIMIT characters of text. No tree is built. Text inside
 * <blockquote> (how Gmail, Apple Mail and Thunderbird quote) gets a "> " prefix so that the quote stripper
 * treats it like a plain-text quote.
 */
export function htmlToText(html: string): string {
  const input = html.length > HTML_LIMIT ? html.slice(0, HTML_LIMIT) : html;
  const out: string[] = [];
  let size = 0;
  let line: string[] = [];
  let depth = 0;
  let hidden: string | undefined;
  let inHead = false;
  let openName = '';
  let full = false;

  const flush = (): void => {
    const t = line.join('').replace(WHITESPACE, ' ').trim();
    line = [];
    if (t === '' && (out.length === 0 || out[out.length - 1] === '')) return;
    const prefixed = depth > 0 && t !== '' ? `${'> '.repeat(Math.min(depth, MAX_QUOTE_DEPTH))}${t}` : t;
    out.push(prefixed);
    size += prefixed.length + 1;
    if (size >= TEXT_LIMIT) full = true;
  };
  const add = (s: string): void => {
    if (full || hidden !== undefined || inHead) return;
    line.push(s);
    // One endless line must not escape the limit either.
    if (s.length > TEXT_LIMIT || line.length > 4096) {
      const joined = line.join('');
      line = [joined.slice(0, TEXT_LIMIT)];
      if (joined.length >= TEXT_LIMIT) flush();
    }
  };
  const open = (name: string): void => {
    if (HIDDEN.has(name)) hidden ??= name;
    else if (name === 'head') inHead = true;
    else if (name === 'body') inHead = false;
    else if (name === 'blockquote') {
      flush();
      depth++;
    } else if (BLOCK.has(name)) flush();
    else if (name === 'td' || name === 'th') add(' ');
  };
  const close = (name: string): void => {
    if (hidden === name) hidden = undefined;
    else if (name === 'head') inHead = false;
    else if (name === 'blockquote') {
      flush();
      depth = Math.max(0, depth - 1);
    } else if (BLOCK.has(name)) flush();
    else if (name === 'td' || name === 'th') add(' ');
  };
  // Tag names longer than any real one are read as unknown tags, never lower-cased in full.
  const nameOf = (start: number, end: number): string =>
    end - start > 16 ? '' : input.slice(start, end).toLowerCase();

  const tokenizer = new Tokenizer(
    { decodeEntities: true },
    {
      ontext: (start, end) => add(input.slice(start, end)),
      ontextentity: (codepoint) => add(String.fromCodePoint(codepoint)),
      onopentagname: (start, end) => {
        openName = nameOf(start, end);
        open(openName);
      },
      onopentagend: () => {
        openName = '';
      },
      onselfclosingtag: () => {
        // <br/>, <div/>: a self-closed hidden element hides nothing.
        if (hidden === openName) hidden = undefined;
        openName = '';
      },
      onclosetag: (start, end) => close(nameOf(start, end)),
      onattribdata: () => {},
      onattribentity: () => {},
      onattribend: () => {},
      onattribname: () => {},
      oncdata: () => {},
      oncomment: () => {},
      ondeclaration: () => {},
      onprocessinginstruction: () => {},
      onend: () => {},
    },
  );
  tokenizer.write(input);
  tokenizer.end();
  flush();
  while (out.length > 0 && out[out.length - 1] === '') out.pop();
  const text = out.join('\n');
  return text.length > TEXT_LIMIT ? text.slice(0, TEXT_LIMIT) : text;
}
