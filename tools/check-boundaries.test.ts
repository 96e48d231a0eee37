import { describe, expect, it } from 'vitest';
import { cycleProblems, folderCycles } from './check-boundaries';

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
