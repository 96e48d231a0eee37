import {
  addDays,
  formatDay,
  isValidDay,
  toOrdinal,
  weekday,
  type Day,
  type MessageDate,
} from './calendar-date';
import { fold } from './fold';
import { detectLanguage, type Lang } from './language';

/** ['a b', 'c'] -> { a: first, b: first, c: first + 1 } */
function table(rows: string[], first: number): Record<string, number> {
  const out: Record<string, number> = {};
  rows.forEach((row, i) => row.split(' ').forEach((w) => (out[w] = first + i)));
  return out;
}

// Month and weekday names of the six languages, folded (no accents). Short abbreviations that are also
// common words ("out", "set", "ago") are left out on purpose.
const MONTHS = table(
  [
    'january januar janvier enero janeiro januari janv jan janner',
    'february februar fevrier febrero fevereiro februari fevr feb fev',
    'march marz mars marzo marco maart mar mrz mrt',
    'april avril abril apr avr abr',
    'may mai mayo maio mei',
    'june juni juin junio junho jun',
    'july juli juillet julio julho jul juil',
    'august aout agosto augustus aug',
    'september septembre septiembre setiembre setembro sept sep',
    'october oktober octobre octubre outubro oct okt',
    'november novembre noviembre novembro nov',
    'december dezember decembre diciembre dezembro dec dez dic',
  ],
  1,
);

const WEEKDAYS = table(
  [
    'sunday sonntag dimanche domingo zondag sun',
    'monday montag lundi lunes segunda segunda-feira maandag mon',
    'tuesday dienstag mardi martes terca terca-feira dinsdag tue tues',
    'wednesday mittwoch mercredi miercoles quarta quarta-feira woensdag wed',
    'thursday donnerstag jeudi jueves quinta quinta-feira donderdag thu thurs',
    'friday freitag vendredi viernes sexta sexta-feira vrijdag fri',
    'saturday samstag sonnabend samedi sabado zaterdag sat',
  ],
  0,
);

const TOMORROW = ['tomorrow', 'morgen', 'demain', 'manana', 'amanha'];

const alt = (words: string[]): string => [...words].sort((a, b) => b.length - a.length).join('|');
const MONTH_RE = alt(Object.keys(MONTHS));
const WEEKDAY_RE = alt(Object.keys(WEEKDAYS));
const ORD = '(?:st|nd|rd|th|er|re|eme|º|ª|o)?';

// Each alternative is one way of writing a day; see resolve() for the groups.
const DATE_RE = new RegExp(
  [
    /* iso        */ `(?<!\\d)(\\d{4})-(\\d{1,2})-(\\d{1,2})(?!\\d)`,
    /* day month  */ `(?<![\\d.:/])(\\d{1,2})${ORD}\\.?\\s?(?:de |of |the )?(${MONTH_RE})\\b\\.?(?:,? ?(?:de |del )?(\\d{4})\\b)?`,
    /* month day  */ `\\b(${MONTH_RE})\\.? (?:the )?(\\d{1,2})(?:st|nd|rd|th)?(?![\\d:])(?:,? (\\d{4})\\b)?`,
    /* numeric    */ `(?<![\\d.:/,])(\\d{1,2})([./-])(\\d{1,2})(?:\\11(\\d{4}|\\d{2}))?(?![\\d:])(?!\\.\\d)(?! ?(?:am|pm|h|uhr|hrs)\\b)\\.?`,
    /* weekday    */ `\\b(${WEEKDAY_RE})\\b\\.?`,
    /* tomorrow   */ `\\b(${alt(TOMORROW)})\\b`,
  ].join('|'),
  'g',
);

type Role = 'return' | 'until' | 'start' | 'none';

const KEYWORDS: { role: Exclude<Role, 'none'>; lang: Lang; re: RegExp }[] = [
  {
    role: 'return',
    lang: 'en',
    re: /\b(back|return(?:ing|s)?|resum(?:e|ing)|available again|in the office on)\b/g,
  },
  { role: 'return', lang: 'de', re: /\b(zuruck|zurueck|ruckkehr|wieder)\b/g },
  { role: 'return', lang: 'fr', re: /\b(retour|rentre|reviens|reviendrai|reprendrai|reprise)\b/g },
  {
    role: 'return',
    lang: 'es',
    re: /\b(volvere|vuelvo|regreso|regresare|vuelta|reincorporo|reincorporare|de nuevo)\b/g,
  },
  {
    role: 'return',
    lang: 'pt',
    re: /\b(volta|voltarei|volto|retorno|retornarei|regresso|regressarei|retornando)\b/g,
  },
  { role: 'return', lang: 'nl', re: /\b(terug|weer)\b/g },
  { role: 'until', lang: 'en', re: /\b(until|till|til|through|thru|up to and including)\b/g },
  { role: 'until', lang: 'de', re: /\b(bis|einschliesslich)\b/g },
  { role: 'until', lang: 'fr', re: /\b(jusqu)/g },
  { role: 'until', lang: 'es', re: /\b(hasta)\b/g },
  { role: 'until', lang: 'pt', re: /\b(ate)\b/g },
  { role: 'until', lang: 'nl', re: /\b(tot|t\/m)\b/g },
  { role: 'start', lang: 'en', re: /\b(from|starting|since|as of|beginning)\b/g },
  { role: 'start', lang: 'de', re: /\b(ab|vom|seit|von)\b/g },
  { role: 'start', lang: 'fr', re: /\b(depuis|a partir|du)\b/g },
  { role: 'start', lang: 'es', re: /\b(desde|a partir|del)\b/g },
  { role: 'start', lang: 'pt', re: /\b(desde|a partir)\b/g },
  { role: 'start', lang: 'nl', re: /\b(vanaf|van|sinds)\b/g },
];

// "2-6 March", "2.-6. März", "du 2 au 6 mars", "March 2 to March 6": the second day ends a range.
const RANGE_TAIL =
  /(?:\d{1,2}(?:st|nd|rd|th|er)?\.?|^) ?(?:-|–|to|au|al|a|bis|tot|t\/m|till|until|through|thru|ate|and) ?(?:the |le |el |o |den |dem |zum )?$/;

interface Candidate {
  start: number;
  end: number;
  kind: 'iso' | 'dm' | 'md' | 'num' | 'weekday' | 'tomorrow';
  a: number;
  b: number;
  y?: number;
  sep?: string;
  /** The second day of "March 2-6". */
  rangeEnd?: boolean;
}

function toCandidates(text: string): Candidate[] {
  const out: Candidate[] = [];
  for (const m of text.matchAll(DATE_RE)) {
    const start = m.index;
    const end = start + m[0].length;
    const num = (i: number): number | undefined => (m[i] === undefined ? undefined : Number(m[i]));
    const year = (i: number): { y?: number } => {
      const y = num(i);
      return y === undefined ? {} : { y: y < 100 ? 2000 + y : y };
    };
    if (m[1]) out.push({ start, end, kind: 'iso', a: Number(m[2]), b: Number(m[3]), y: Number(m[1]) });
    else if (m[4])
      out.push({ start, end, kind: 'dm', a: Number(m[4]), b: MONTHS[m[5] ?? ''] ?? 0, ...year(6) });
    else if (m[7]) {
      const md: Candidate = { start, end, kind: 'md', a: Number(m[8]), b: MONTHS[m[7]] ?? 0, ...year(9) };
      out.push(md);
      const tail = /^ ?[-–] ?(\d{1,2})(?![\d:]|\.\d)(?:,? (\d{4})\b)?/.exec(text.slice(end));
      if (tail) {
        const y = tail[2] ? { y: Number(tail[2]) } : md.y !== undefined ? { y: md.y } : {};
        out.push({
          start: end,
          end: end + tail[0].length,
          kind: 'md',
          a: Number(tail[1]),
          b: md.b,
          ...y,
          rangeEnd: true,
        });
      }
    } else if (m[10]) {
      out.push({
        start,
        end,
        kind: 'num',
        a: Number(m[10]),
        b: Number(m[12]),
        sep: m[11] ?? '',
        ...year(13),
      });
    } else if (m[14]) out.push({ start, end, kind: 'weekday', a: WEEKDAYS[m[14]] ?? 0, b: 0 });
    else if (m[15]) out.push({ start, end, kind: 'tomorrow', a: 0, b: 0 });
  }
  // A weekday written right before a date ("Monday, March 9th", "lundi 9 mars") is part of that date.
  return out.filter((c, i) => {
    const next = out[i + 1];
    const prefix =
      c.kind === 'weekday' &&
      next &&
      next.kind !== 'weekday' &&
      /^[ ,]*(?:the |den |le |el |o )?$/.test(text.slice(c.end, next.start));
    if (prefix) next.start = c.start;
    return !prefix;
  });
}

function lastKeyword(window: string): { role: Exclude<Role, 'none'>; lang: Lang; at: number } | undefined {
  let best: { role: Exclude<Role, 'none'>; lang: Lang; at: number } | undefined;
  for (const k of KEYWORDS) {
    for (const m of window.matchAll(k.re)) {
      const at = m.index + m[0].length;
      if (!best || at > best.at || (at === best.at && k.role === 'return'))
        best = { role: k.role, lang: k.lang, at };
    }
  }
  return best;
}

function hasReturnWord(s: string): Lang | undefined {
  for (const k of KEYWORDS) {
    k.re.lastIndex = 0;
    if (k.role === 'return' && k.re.test(s)) return k.lang;
  }
  return undefined;
}

function roleOf(text: string, c: Candidate, prevEnd: number, nextStart: number): { role: Role; lang?: Lang } {
  if (c.rangeEnd) return { role: 'until' };
  const window = text.slice(Math.max(prevEnd, c.start - 60), c.start);
  if (prevEnd > 0 && c.start - prevEnd < 40 && RANGE_TAIL.test(text.slice(prevEnd, c.start)))
    return { role: 'until' };
  if (RANGE_TAIL.test(window) && /\d/.test(window)) return { role: 'until' };
  const post = text.slice(c.end, Math.min(nextStart, c.end + 40)).split(/[,;!?]|\. /)[0] ?? '';
  const kw = lastKeyword(window);
  if (kw?.role === 'start' || !kw) {
    // "Ab dem 16.3. bin ich wieder im Büro", "à partir du 10 mars je serai de retour", "vanaf 9 maart weer".
    const lang = hasReturnWord(post) ?? (kw ? hasReturnWord(window) : undefined);
    if (lang) return { role: 'return', lang };
    return kw ? { role: 'start', lang: kw.lang } : { role: 'none' };
  }
  return { role: kw.role, lang: kw.lang };
}

function resolveYearless(m: number, d: number, ref: Day | undefined): Day | undefined {
  if (!ref) return undefined;
  for (const y of [ref.y, ref.y + 1, ref.y + 2]) {
    if (!isValidDay(y, m, d)) continue;
    const day = { y, m, d };
    if (toOrdinal(day) >= toOrdinal(ref)) return day;
  }
  return undefined;
}

function plausible(day: Day, ref: Day | undefined): boolean {
  if (!ref) return true;
  const diff = toOrdinal(day) - toOrdinal(ref);
  return diff >= -1 && diff <= 120;
}

function resolve(c: Candidate, lang: Lang, usEnglish: boolean, ref: Day | undefined): Day | undefined {
  const make = (d: number, m: number): Day | undefined =>
    c.y !== undefined ? (isValidDay(c.y, m, d) ? { y: c.y, m, d } : undefined) : resolveYearless(m, d, ref);
  switch (c.kind) {
    case 'iso':
      return c.y !== undefined && isValidDay(c.y, c.a, c.b) ? { y: c.y, m: c.a, d: c.b } : undefined;
    case 'dm':
    case 'md':
      return make(c.a, c.b);
    case 'num': {
      // "3.4." is always day first; with slashes English follows the writer's locale (see usEnglish).
      const monthFirst = lang === 'en' && usEnglish && c.sep !== '.';
      const preferred = monthFirst ? make(c.b, c.a) : make(c.a, c.b);
      const other = monthFirst ? make(c.a, c.b) : make(c.b, c.a);
      if (preferred && (plausible(preferred, ref) || !other || !plausible(other, ref))) return preferred;
      return other;
    }
    case 'weekday': {
      if (!ref) return undefined;
      const ahead = (c.a - weekday(ref) + 7) % 7 || 7;
      return addDays(ref, ahead);
    }
    case 'tomorrow':
      return ref ? addDays(ref, 1) : undefined;
  }
}

/**
 * Whether numeric English dates are month first. Evidence in the text wins ("March 9" vs "9 March"), then
 * the sender's UTC offset (the Americas write month first, the rest of the English-speaking world day first).
 */
function isUsEnglish(text: string, date: MessageDate | undefined): boolean {
  const monthFirst = new RegExp(`\\b(?:${MONTH_RE}) \\d{1,2}\\b`).test(text);
  const dayFirst = new RegExp(`\\b\\d{1,2}(?:st|nd|rd|th)? (?:of )?(?:${MONTH_RE})\\b`).test(text);
  if (monthFirst !== dayFirst) return monthFirst;
  if (date?.offsetMinutes !== undefined) return date.offsetMinutes <= -180;
  return true;
}

/**
 * The day an out-of-office says its author is back, as YYYY-MM-DD, or undefined when it states none.
 * Rule: an explicit return ("back on 9 March", "de retour le 5 mars") wins; otherwise the end of the absence
 * ("until 12 March", "bis zum 15.03.", "tot en met 12 maart", "2-6 March") is taken as the return date
 * itself, not the day after. Dates without a year are the next such day on or after the message date.
 */
export function findReturnDate(rawText: string, date: MessageDate | undefined): string | undefined {
  const text = fold(rawText).replace(/\s+/g, ' ');
  const ref = date?.day;
  const lang = detectLanguage(text);
  const us = isUsEnglish(text, date);
  const cands = toCandidates(text);
  let until: Day | undefined;
  for (let i = 0; i < cands.length; i++) {
    const c = cands[i];
    if (!c) continue;
    const { role, lang: kwLang } = roleOf(
      text,
      c,
      cands[i - 1]?.end ?? 0,
      cands[i + 1]?.start ?? text.length,
    );
    if (role !== 'return' && role !== 'until') continue;
    const day = resolve(c, kwLang ?? lang, us, ref);
    if (!day) continue;
    if (role === 'return') return formatDay(day);
    until ??= day;
  }
  return until ? formatDay(until) : undefined;
}
