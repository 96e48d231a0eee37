/**
 * `npm run check:boundaries`: the import rules of .dependency-cruiser.cjs (lib/ never imports components/,
 * the pure folders import only each other, zod and temporal-polyfill), checked by dependency-cruiser, plus one
 * rule it cannot state: no cycle between lib/ folders (a file of lib/a importing lib/b while some file of lib/b
 * reaches lib/a, even when no single module cycle exists). Today's folder cycles are listed below as known, so
 * a new one (or a known one growing) fails while they are broken one by one.
 */
import { execFile } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/**
 * Strongly connected lib/ folders tolerated for now, each with its reason. The cycles of 2026-12-07 (db-runner-
 * sync-watcher, background-options, analytics-contract) are broken; a listed cycle that no longer exists fails
 * too, so the list never outlives its reason.
 */
const KNOWN_FOLDER_CYCLES: string[][] = [];

type Cruise = {
  modules: { source: string; dependencies: { resolved: string }[] }[];
  summary: {
    violations: { from: string; to: string; rule: { name: string; severity: string } }[];
  };
};

const folderOf = (file: string) => /^lib\/([^/]+)\//.exec(file)?.[1];

/** Tarjan's strongly connected components of the folder graph; only those of more than one folder. */
export function folderCycles(edges: Map<string, Set<string>>): string[][] {
  let index = 0;
  const stack: string[] = [];
  const seen = new Map<string, { index: number; low: number; onStack: boolean }>();
  const out: string[][] = [];
  const visit = (v: string) => {
    const node = { index, low: index, onStack: true };
    index++;
    seen.set(v, node);
    stack.push(v);
    for (const w of edges.get(v) ?? []) {
      const other = seen.get(w);
      if (!other) {
        visit(w);
        node.low = Math.min(node.low, seen.get(w)!.low);
      } else if (other.onStack) node.low = Math.min(node.low, other.index);
    }
    if (node.low === node.index) {
      const component: string[] = [];
      let w: string;
      do {
        w = stack.pop()!;
        seen.get(w)!.onStack = false;
        component.push(w);
      } while (w !== v);
      if (component.length > 1) out.push(component.sort());
    }
  };
  for (const v of edges.keys()) if (!seen.has(v)) visit(v);
  return out;
}

/** A cycle not known fails; so does a known one that is gone (delete it from the list). */
export function cycleProblems(found: string[][], known: string[][]): string[] {
  const name = (c: string[]) => [...c].sort().join(' ↔ ');
  const foundNames = new Set(found.map(name));
  const knownNames = new Set(known.map(name));
  return [
    ...[...foundNames].filter((n) => !knownNames.has(n)).map((n) => `no-lib-folder-cycles: ${n}`),
    ...[...knownNames]
      .filter((n) => !foundNames.has(n))
      .map((n) => `no-lib-folder-cycles: ${n} is broken; delete it from KNOWN_FOLDER_CYCLES`),
  ];
}

/**
 * Cruises `lib` under `root` with the repository's rules and returns every broken one, folder cycles included.
 * `root` is the repository itself, or a fixture tree in the test that proves each rule can fail.
 */
export async function boundaryProblems(
  root: string,
  known: string[][] = KNOWN_FOLDER_CYCLES,
): Promise<{ problems: string[]; modules: number }> {
  // Its bin is not among the package's exports: run it by path.
  const cli = path.join(REPO, 'node_modules/dependency-cruiser/bin/dependency-cruise.mjs');
  // dependency-cruiser exits non-zero when a rule fails; its JSON says which.
  const { stdout } = await promisify(execFile)(
    process.execPath,
    [cli, 'lib', '--config', path.join(REPO, '.dependency-cruiser.cjs'), '--output-type', 'json'],
    { cwd: root, maxBuffer: 64 * 1024 * 1024 },
  ).catch((e: { stdout?: string; message: string }) => {
    if (!e.stdout) throw new Error(`dependency-cruiser failed: ${e.message}`);
    return { stdout: e.stdout };
  });
  const result = JSON.parse(stdout) as Cruise;
  const problems = result.summary.violations
    .filter((v) => v.rule.severity === 'error')
    .map((v) => `${v.rule.name}: ${v.from} → ${v.to}`);

  const edges = new Map<string, Set<string>>();
  for (const m of result.modules) {
    const from = folderOf(m.source);
    if (!from) continue;
    if (!edges.has(from)) edges.set(from, new Set());
    for (const d of m.dependencies) {
      const to = folderOf(d.resolved);
      if (to && to !== from) edges.get(from)!.add(to);
    }
  }
  problems.push(...cycleProblems(folderCycles(edges), known));
  return { problems, modules: result.modules.length };
}

async function main() {
  const { problems, modules } = await boundaryProblems(REPO);
  if (problems.length) {
    console.error(`Import boundaries: ${problems.length} problem(s)\n  ${problems.join('\n  ')}`);
    process.exit(1);
  }
  console.log(`Import boundaries: ${modules} modules, rules kept`);
}

if (process.argv[1]?.endsWith('check-boundaries.ts')) void main();
