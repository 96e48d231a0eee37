import { ATTRIBUTION_OPENERS, FROM_LABELS, SENT_LABELS, SEPARATORS, WROTE } from './quote-words';

// Where the quoted original starts in a reply, found line by line (never by a pattern over the whole text). The
// words of every language live in quote-words.ts; these are the shapes of the lines.

const alternatives = (words: readonly string[]): string =>
  words.map((w) => w.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('|');

/** "wrote", "napisał(a)", "написал(а)": a client's verb of writing, with the gender ending Polish and Russian add. */
const WROTE_WORD = `(?:${alternatives(WROTE)})(?:\\([aа]\\))?`;
const COLON = '[:：]';

/** "On Mon, 2 Mar 2026 at 10:00, Jane <jane@example.com> wrote:", "Am … schrieb Jane:", "Dne … napsal(a):". */
const OPENER_ATTRIBUTION = new RegExp(
  `^(?:${alternatives(ATTRIBUTION_OPENERS)})\\b.{4,300}(?<![\\p{L}\\p{N}])${WROTE_WORD}(?: ?${COLON}?| .{0,150}${COLON})$`,
  'iu',
);
/** The start of an opener attribution, to join a wrapped one with its next line. */
const OPENER = new RegExp(`^(?:${alternatives(ATTRIBUTION_OPENERS)})\\b`, 'iu');
/** An address as attribution lines write it: "<jane@example.com>". */
const ADDRESS = /<[^<>\s@]{1,64}@[^<>\s@]{1,255}>/u;
/**
 * With an address in it: the line ends with the address and a colon (Gmail in Japanese, Russian, Swedish,
 * Dutch…: "2026年12月7日(月) 10:00 Jane <jane@example.com>:"), or with a verb of writing and a colon, maybe
 * after a parenthesis (Finnish "… kirjoitti:", Korean "…님이 작성:", Chinese "…写道：", Hungarian
 * "ezt írta (időpont: …):").
 */
const ADDRESS_ENDING = new RegExp(
  `(?:>\\)? ?${COLON}|${WROTE_WORD}(?: ?\\([^()]{0,80}\\))? ?${COLON})$`,
  'iu',
);
/** A verb of writing ending the line ("07.12.2026 10:00, Jane пишет:"), for dated lines just before a quote. */
const WROTE_ENDING = new RegExp(`(?<![\\p{L}\\p{N}])${WROTE_WORD} ?${COLON}$`, 'iu');
const SEPARATOR = new RegExp(`^-{2,} ?(?:${alternatives(SEPARATORS)}) ?-{2,}$`, 'iu');
const UNDERSCORES = /^_{10,}$/;

// Outlook's header block: a "From: …" line followed within a few lines by a "Sent: <a date>" line.
const FROM_LINE = new RegExp(`^\\*?(?:${alternatives(FROM_LABELS)})\\*? ?${COLON}`, 'iu');
const SENT_LINE = new RegExp(`^\\*?(?:${alternatives(SENT_LABELS)})\\*? ?${COLON}.*[0-9０-９]`, 'iu');
/** How many non-blank lines after "From:" may come before the "Sent:" line (To, Subject, a wrapped From). */
const HEADER_WINDOW = 3;

/** Attribution and header lines are short; a longer line is never one (and is never run through the patterns). */
const MAX_MARKER_LINE = 600;

/** A line made ready for the marker patterns: trimmed, runs of whitespace as one space. */
function squeeze(line: string): string {
  return line.length > MAX_MARKER_LINE ? '' : line.trim().replace(/\s+/g, ' ');
}

const hasDigit = (line: string): boolean => /[0-9０-９]/.test(line);

/** One line that starts the quoted original on its own. */
function startsQuote(line: string): boolean {
  return (
    OPENER_ATTRIBUTION.test(line) ||
    (ADDRESS.test(line) && ADDRESS_ENDING.test(line)) ||
    SEPARATOR.test(line) ||
    UNDERSCORES.test(line)
  );
}

/**
 * An attribution a client wrapped onto two lines, starting at `line`: the date and name on this line, the rest
 * on the next. Never when the next line is an attribution by itself (then this line is the person's own).
 */
function startsWrappedAttribution(line: string, next: string): boolean {
  if (line === '' || next === '') return false;
  const joined = `${line} ${next}`;
  if (startsQuote(next)) {
    // Wrapped just before the address: "2026年12月7日(月) 10:00 Jane" / "<jane@example.com>:".
    return /^\(?</.test(next) && hasDigit(line) && !ADDRESS.test(line) && !startsQuote(line);
  }
  if (OPENER.test(line) && OPENER_ATTRIBUTION.test(joined)) return true;
  return ADDRESS.test(line) && ADDRESS.test(joined) && ADDRESS_ENDING.test(joined);
}

/** Outlook's header block at line i: "From: …" and, within HEADER_WINDOW non-blank lines, "Sent: <date>". */
function startsHeaderBlock(lines: readonly string[], i: number): boolean {
  if (!FROM_LINE.test(squeeze(lines[i] ?? ''))) return false;
  let seen = 0;
  for (let j = i + 1; j < lines.length && seen < HEADER_WINDOW; j++) {
    const l = squeeze(lines[j] ?? '');
    if (l === '') continue;
    if (SENT_LINE.test(l)) return true;
    seen++;
  }
  return false;
}

/** A dated line ending with a verb of writing, right before `>` lines: an attribution without an address. */
function introducesQuote(lines: readonly string[], i: number, line: string): boolean {
  if (!hasDigit(line) || !WROTE_ENDING.test(line)) return false;
  const next = lines.slice(i + 1, i + 3).find((l) => l.trim() !== '');
  return next?.trimStart().startsWith('>') ?? false;
}

/**
 * The text the sender wrote in this message: everything before the quoted original. Lines starting with ">"
 * are dropped wherever they are (inline replies), and everything from an attribution line, a separator or an
 * Outlook header block on is cut off.
 */
export function newText(text: string): string {
  const lines = text.split(/\r?\n/);
  const kept: string[] = [];
  for (let i = 0; i < lines.length; i++) {
    const line = squeeze(lines[i] ?? '');
    if (startsQuote(line) || startsWrappedAttribution(line, squeeze(lines[i + 1] ?? ''))) break;
    if (startsHeaderBlock(lines, i) || introducesQuote(lines, i, line)) break;
    if ((lines[i] ?? '').trimStart().startsWith('>')) continue;
    kept.push(lines[i] ?? '');
  }
  return kept.join('\n').trim();
}
