// @vitest-environment node
import { execFile } from 'node:child_process';
import { writeFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const run = async (...args: string[]) =>
  promisify(execFile)('npx', ['tsx', 'tools/simulate.ts', ...args]).then(
    (r) => ({ code: 0, ...r }),
    (e: { code: number; stdout: string; stderr: string }) => e,
  );

describe('npm run -s simulate, as a real process', { timeout: 90_000 }, () => {
  it('prints only JSON lines on stdout, one per action', async () => {
    const { code, stdout } = await run('examples/two-week.json');
    expect(code).toBe(0);
    const lines = stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { action: string });
    expect(lines.length).toBeGreaterThan(10);
    expect(new Set(lines.map((l) => l.action))).toEqual(
      new Set(['send', 'task_due', 'unenrolled', 'finished']),
    );
  });

  it('exits 1 naming the field of a bad scenario, and 2 without a file', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sim-'));
    writeFileSync(join(dir, 'bad.json'), JSON.stringify({ start: '2026-03-02T00:00:00Z', until: 'soon' }));
    const bad = await run(join(dir, 'bad.json'));
    expect(bad.code).toBe(1);
    expect(bad.stdout).toBe('');
    expect(bad.stderr).toContain('scenario.until: must be an ISO instant');
    writeFileSync(join(dir, 'broken.json'), '{ "start": ');
    expect((await run(join(dir, 'broken.json'))).stderr).toMatch(/broken\.json: .*JSON/);
    expect((await run()).code).toBe(2);
  });
});
