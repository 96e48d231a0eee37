import type { ThreadPerson } from './types';

const ADDRESS = /^[^\s@<>()]+@[^\s@<>()]+\.[^\s@<>()]+$/;

/** "Ada Lovelace <ada@acme.example>", "<ada@acme.example>" or a bare address; undefined when there is none. */
export function parsePerson(text: string, fallbackName?: string): ThreadPerson | undefined {
  const angled = /^(.*?)<([^<>]+)>\s*$/.exec(text.trim());
  const email = (angled ? angled[2]! : text).trim().toLowerCase();
  if (!ADDRESS.test(email)) return undefined;
  const name = (angled ? angled[1]!.trim().replace(/^"|"$/g, '') : '') || fallbackName?.trim();
  return name && name.toLowerCase() !== email ? { email, name } : { email };
}

/** One entry per address, in order of appearance; a later entry only fills in a missing name. */
export function uniquePeople(people: Iterable<ThreadPerson | undefined>): ThreadPerson[] {
  const byEmail = new Map<string, ThreadPerson>();
  for (const p of people) {
    if (!p) continue;
    const known = byEmail.get(p.email);
    if (!known) byEmail.set(p.email, { ...p });
    else if (!known.name && p.name) known.name = p.name;
  }
  return [...byEmail.values()];
}

/** Dark when the page's own background is dark: works for any host without knowing its theme switch. */
export function themeOf(el: Element | null): 'light' | 'dark' {
  for (let node: Element | null = el; node; node = node.parentElement) {
    const rgb = colour(getComputedStyle(node).backgroundColor);
    if (!rgb) continue; // transparent: look further up
    const [r, g, b] = rgb;
    return 0.2126 * r + 0.7152 * g + 0.0722 * b < 128 ? 'dark' : 'light';
  }
  return 'light';
}

function colour(css: string): [number, number, number] | undefined {
  const rgb = /rgba?\((\d+),\s*(\d+),\s*(\d+)(?:,\s*([\d.]+))?\)/.exec(css);
  if (rgb) return Number(rgb[4] ?? 1) === 0 ? undefined : [Number(rgb[1]), Number(rgb[2]), Number(rgb[3])];
  const hex = /^#([0-9a-f]{3}|[0-9a-f]{6})$/i.exec(css.trim())?.[1];
  if (!hex) return undefined;
  const full = hex.length === 3 ? [...hex].map((c) => c + c).join('') : hex;
  return [0, 2, 4].map((i) => parseInt(full.slice(i, i + 2), 16)) as [number, number, number];
}
