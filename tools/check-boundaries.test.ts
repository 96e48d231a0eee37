import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { boundaryProblems, cycleProblems, folderCycles } from './check-boundaries';

const graph = (edges: [string, string][]) => {
  const g = new Map<string, Set<string>>();
  for (const [a, b] of edges) {
    if (!g.has(a)) g.set(a, new Set());
    if (!g.has(b)) g.set(b, new Set());
    g.get(a)!.add(b);
  }
  return g;
};

describe('folder cycles', () => {
  it('finds a cycle through several folders even when no single module cycle exists', () => {
    expect(
      folderCycles(
        graph([
          ['db', 'sync'],
          ['sync', 'runner'],
          ['runner', 'db'],
          ['runner', 'engine'],
          ['engine', 'domain'],
        ]),
      ),
    ).toEqual([['db', 'runner', 'sync']]);
  });

  it('reports two separate cycles apart and none in a layered graph', () => {
    const two = folderCycles(
      graph([
        ['analytics', 'contract'],
        ['contract', 'analytics'],
        ['background', 'options'],
        ['options', 'background'],
        ['options', 'analytics'],
      ]),
    );
    expect(two.map((c) => c.join(' ')).sort()).toEqual(['analytics contract', 'background options']);
    expect(
      folderCycles(
        graph([
          ['background', 'runner'],
          ['runner', 'engine'],
          ['background', 'engine'],
        ]),
      ),
    ).toEqual([]);
  });
});

describe('known folder cycles', () => {
  it('fails a new cycle and a listed one that is gone, in any order of its folders', () => {
    expect(cycleProblems([['db', 'sync']], [])).toEqual(['no-lib-folder-cycles: db ↔ sync']);
    expect(cycleProblems([['db', 'sync']], [['sync', 'db']])).toEqual([]);
    expect(cycleProblems([], [['sync', 'db']])).toEqual([
      'no-lib-folder-cycles: db ↔ sync is broken; delete it from KNOWN_FOLDER_CYCLES',
    ]);
  });
});

/**
 * The rules themselves, run on a small tree with one file per forbidden import (and the allowed ones beside
 * them), so a rule that stops matching fails here instead of passing silently on the real tree.
 */
describe('the import rules on a fixture tree', () => {
  const files: Record<string, string> = {
    'node_modules/zod/package.json': '{"name":"zod","main":"index.js"}',
    'node_modules/zod/index.js': 'exports.z = {};',
    'node_modules/temporal-polyfill/package.json': '{"name":"temporal-polyfill","main":"index.js"}',
    'node_modules/temporal-polyfill/index.js': 'exports.Temporal = {};',
    'node_modules/dexie/package.json': '{"name":"dexie","main":"index.js"}',
    'node_modules/dexie/index.js': 'module.exports = {};',
    'components/panel.ts': 'export const panel = 1;',
    // Allowed: pure folders importing each other, zod and Temporal; a test importing anything.
    'lib/domain/contact.ts': "import { z } from 'zod';\nexport const contact = z;",
    'lib/templates/render.ts': "import { contact } from '../domain/contact';\nexport const render = contact;",
    'lib/engine/ok.ts':
      "import { Temporal } from 'temporal-polyfill';\nimport { render } from '../templates/render';\nexport const ok = [Temporal, render];",
    'lib/engine/ok.test.ts': "import { readFileSync } from 'node:fs';\nexport const t = readFileSync;",
    // Forbidden in a pure folder: node's process, performance and timers, an npm package, other lib folders.
    'lib/engine/uses-process.ts': "import process from 'node:process';\nexport const p = process;",
    'lib/replies/uses-performance.ts':
      "import { performance } from 'node:perf_hooks';\nexport const p = performance;",
    'lib/analytics/uses-timers.ts':
      "import { setTimeout } from 'node:timers/promises';\nexport const p = setTimeout;",
    'lib/domain/uses-dexie.ts': "import Dexie from 'dexie';\nexport const p = Dexie;",
    'lib/process/uses-sync.ts': "import { other } from '../sync/other';\nexport const p = other;",
    // lib/ importing components/, and an import the checker cannot resolve.
    'lib/db/ui.ts': "import { panel } from '../../components/panel';\nexport const p = panel;",
    'lib/db/alias.ts': "import { x } from '@/nowhere/x';\nexport const p = x;",
    // A folder cycle without any module cycle: sync/client -> runner/lease -> sync/other.
    'lib/sync/client.ts': "import { lease } from '../runner/lease';\nexport const client = lease;",
    'lib/runner/lease.ts': "import { other } from '../sync/other';\nexport const lease = other;",
    'lib/sync/other.ts': 'export const other = 1;',
  };

  it('fails each forbidden import and the folder cycle, and nothing else', async () => {
    const root = await mkdtemp(path.join(tmpdir(), 'boundaries-'));
    try {
      for (const [name, text] of Object.entries(files)) {
        await mkdir(path.dirname(path.join(root, name)), { recursive: true });
        await writeFile(path.join(root, name), text);
      }
      const { problems } = await boundaryProblems(root, []);
      expect([...problems].sort()).toEqual(
        [
          'lib-imports-resolve: lib/db/alias.ts → @/nowhere/x',
          'lib-not-components: lib/db/ui.ts → components/panel.ts',
          'no-lib-folder-cycles: runner ↔ sync',
          'pure-core-allow-list: lib/analytics/uses-timers.ts → timers/promises',
          'pure-core-allow-list: lib/domain/uses-dexie.ts → node_modules/dexie/index.js',
          'pure-core-allow-list: lib/engine/uses-process.ts → process',
          'pure-core-allow-list: lib/process/uses-sync.ts → lib/sync/other.ts',
          'pure-core-allow-list: lib/replies/uses-performance.ts → perf_hooks',
        ].sort(),
      );
    } finally {
      await rm(root, { recursive: true, force: true });
    }
  });
});
