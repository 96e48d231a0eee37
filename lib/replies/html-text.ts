import { Tokenizer } from 'htmlparser2';
import { isQuoteContainer, QUOTE_ATTRIBUTES } from './quote-container';

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
/** The most of one attribute's value kept to recognise a quote container; a longer value is none of theirs. */
const ATTRIBUTE_LIMIT = 1024;

/**
 * Turns an HTML body into plain text for classification, in one pass of htmlparser2's tokenizer (a linear
 * state machine: unclosed tags, comments and deep nesting cost no more than any other markup), over at most
 * HTML_LIMIT characters, stopping at TEXT_LIMIT characters of text. No tree is built. Text inside
 * <blockquote> (how Gmail, Apple Mail and Thunderbird quote) gets a "> " prefix so that the quote stripper
 * treats it like a plain-text quote.
 */
export function htmlToText(html: string): string {
  return convert(html, false).text;
}

/**
 * The text of an HTML reply before the quoted original, found by the markup mail clients wrap it in
 * (quote-container.ts: Gmail's gmail_quote, Outlook's divRplyFwdMsg, appendonsend and separator rule, Apple
 * Mail's blockquote type=cite, Thunderbird's moz-cite-prefix, Yahoo's yahoo_quoted...), in the same single
 * pass as htmlToText. Undefined when no such element comes within the limits: the text rules then decide.
 */
export function htmlOwnText(html: string): string | undefined {
  const { text, quoteFound } = convert(html, true);
  return quoteFound ? text.trim() : undefined;
}

function convert(html: string, stopAtQuote: boolean): { text: string; quoteFound: boolean } {
  const input = html.length > HTML_LIMIT ? html.slice(0, HTML_LIMIT) : html;
  const out: string[] = [];
  let size = 0;
  let line: string[] = [];
  let depth = 0;
  let hidden: string | undefined;
  let inHead = false;
  let openName = '';
  let full = false;
  let quoteFound = false;
  // The start tag being read: the attributes that can mark a quote container, as far as ATTRIBUTE_LIMIT.
  const attributes = new Map<string, string>();
  let attribute = '';
  let value: string[] = [];
  let valueSize = 0;

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
  const addValue = (s: string): void => {
    valueSize += s.length;
    if (attribute !== '' && valueSize <= ATTRIBUTE_LIMIT) value.push(s);
  };
  /** At the end of a start tag: from a quote container on, nothing is the person's own text. */
  const checkQuote = (): void => {
    if (!stopAtQuote || full || !isQuoteContainer(openName, attributes)) return;
    flush();
    quoteFound = true;
    full = true;
    tokenizer.pause();
  };

  const tokenizer = new Tokenizer(
    { decodeEntities: true },
    {
      ontext: (start, end) => add(input.slice(start, end)),
      ontextentity: (codepoint) => add(String.fromCodePoint(codepoint)),
      onopentagname: (start, end) => {
        openName = nameOf(start, end);
        attributes.clear();
        open(openName);
      },
      onopentagend: () => {
        checkQuote();
        openName = '';
      },
      onselfclosingtag: () => {
        checkQuote();
        // <br/>, <div/>: a self-closed hidden element hides nothing.
        if (hidden === openName) hidden = undefined;
        openName = '';
      },
      onclosetag: (start, end) => close(nameOf(start, end)),
      onattribname: (start, end) => {
        const name = stopAtQuote ? nameOf(start, end) : '';
        attribute = QUOTE_ATTRIBUTES.has(name) ? name : '';
        value = [];
        valueSize = 0;
      },
      onattribdata: (start, end) => addValue(input.slice(start, Math.min(end, start + ATTRIBUTE_LIMIT + 1))),
      onattribentity: (codepoint) => addValue(String.fromCodePoint(codepoint)),
      onattribend: () => {
        if (attribute !== '' && valueSize <= ATTRIBUTE_LIMIT) attributes.set(attribute, value.join(''));
        attribute = '';
      },
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
  return { text: text.length > TEXT_LIMIT ? text.slice(0, TEXT_LIMIT) : text, quoteFound };
}
