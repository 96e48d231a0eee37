import { execFile } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { main } from './classify';

const ROOT = 'tests/fixtures/mail';
const kinds = readdirSync(ROOT, { withFileTypes: true }).filter((d) => d.isDirectory());
const files = kinds.flatMap((d) =>
  readdirSync(join(ROOT, d.name))
    .filter((f) => f.endsWith('.eml'))
    .map((f) => join(ROOT, d.name, f)),
);

function expectedFor(file: string): { returnDate?: string; bounce?: object } {
  const [kind = '', name = ''] = file.split('/').slice(-2);
  try {
    const all = JSON.parse(readFileSync(join(ROOT, kind, 'expected.json'), 'utf8')) as Record<string, object>;
    return all[name] ?? {};
  } catch {
    return {};
  }
}

async function run(args: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(
    args,
    (l) => out.push(l),
    (l) => err.push(l),
  );
  return { code, out, err };
}

describe('npm run classify', () => {
  it('prints one JSON line per fixture with the folder’s kind, bounce details and return date', async () => {
    const { code, out, err } = await run(files);
    expect(code).toBe(0);
    expect(err).toEqual([]);
    expect(out).toHaveLength(files.length);
    for (const [i, line] of out.entries()) {
      const file = files[i] ?? '';
      const kind = file.split('/').slice(-2)[0];
      const expected = expectedFor(file);
      expect({ file, ...JSON.parse(line) }).toEqual({ file, kind, ...expected });
    }
  });

  it('reports an unreadable file on stderr, carries on, and exits non-zero', async () => {
    const good = files[0] ?? '';
    const { code, out, err } = await run(['does/not/exist.eml', good]);
    expect(code).toBe(1);
    expect(out).toHaveLength(1);
    expect(JSON.parse(out[0] ?? '{}').file).toBe(good);
    expect(err.join('\n')).toContain('does/not/exist.eml');
  });

  it('prints usage and exits 2 without arguments, as a real process', async () => {
    const result = await promisify(execFile)('npx', ['tsx', 'tools/classify.ts']).catch(
      (e: { code: number; stdout: string; stderr: string }) => e,
    );
    expect('code' in result ? result.code : 0).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr).toContain('usage');
  });

  it('prints only JSON lines on stdout as a real process', async () => {
    const { stdout } = await promisify(execFile)('npx', ['tsx', 'tools/classify.ts', '--', files[0] ?? '']);
    expect(
      stdout
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l).kind),
    ).toHaveLength(1);
  });
});
