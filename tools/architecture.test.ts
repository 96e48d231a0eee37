import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

/**
 * The living map: every lib/ folder says in its README what it owns, what it may import and where its tests
 * are, and appears on docs/ARCHITECTURE.md and in the README's code tour; every path those two name exists.
 * A folder added, renamed or removed without its map fails here.
 */
const ROOT = path.resolve(__dirname, '..');
const read = (file: string) => readFileSync(path.join(ROOT, file), 'utf8');
const libFolders = readdirSync(path.join(ROOT, 'lib')).filter((d) =>
  statSync(path.join(ROOT, 'lib', d)).isDirectory(),
);

/** The repository paths a text names (`lib/db/`, `tools/sandbox/hubspot/`, `scripts/start.ts`), globs left out. */
function namedPaths(text: string): string[] {
  const found = text.match(
    /\b(?:lib|components|entrypoints|server|tools|tests|scripts|examples|docs)\/[\w./-]*/g,
  );
  return [...new Set((found ?? []).map((p) => p.replace(/[.,]+$/, '')))].filter((p) => !p.includes('*'));
}

function codeTour(): string {
  const readme = read('README.md');
  const start = readme.indexOf('\n## Code tour');
  const end = readme.indexOf('\n## ', start + 1);
  expect(start, 'README.md has a "## Code tour" section').toBeGreaterThan(-1);
  return readme.slice(start, end === -1 ? undefined : end);
}

describe('the living map', () => {
  it.each(libFolders)(
    'lib/%s has a README: what it owns, what it may import, where its tests are',
    (folder) => {
      const file = path.join('lib', folder, 'README.md');
      expect(existsSync(path.join(ROOT, file)), `${file} is missing`).toBe(true);
      // The title, a blank line, then the three lines; a longer README goes on after them.
      const [title, blank, owns, imports, tests] = read(file).split('\n');
      expect(title?.startsWith(`# lib/${folder}`), `${file} starts with its name`).toBe(true);
      expect(blank, file).toBe('');
      expect(owns, file).toMatch(/^Owns: \S/);
      expect(imports, file).toMatch(/^May import: \S/);
      expect(tests, file).toMatch(/^Tests: \S/);
    },
  );

  it('docs/ARCHITECTURE.md and the README code tour name every lib/ folder', () => {
    const map = read('docs/ARCHITECTURE.md');
    const tour = codeTour();
    expect(libFolders.filter((d) => !map.includes(`lib/${d}/`))).toEqual([]);
    expect(libFolders.filter((d) => !tour.includes(`lib/${d}/`))).toEqual([]);
    expect(tour).toContain('docs/ARCHITECTURE.md');
  });

  it('every path docs/ARCHITECTURE.md and the code tour name exists', () => {
    const named = namedPaths(read('docs/ARCHITECTURE.md') + codeTour());
    expect(named.length).toBeGreaterThan(30);
    expect(named.filter((p) => !existsSync(path.join(ROOT, p)))).toEqual([]);
  });
});
