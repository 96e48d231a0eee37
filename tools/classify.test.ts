import { execFile } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
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
  // Only the fields the command prints: the complaint details stay in the library's own output.
  const [kind = '', name = ''] = file.split('/').slice(-2);
  try {
    const all = JSON.parse(readFileSync(join(ROOT, kind, 'expected.json'), 'utf8')) as Record<
      string,
      { returnDate?: string; bounce?: object }
    >;
    const e = all[name] ?? {};
    return {
      ...(e.returnDate ? { returnDate: e.returnDate } : {}),
      ...(e.bounce ? { bounce: e.bounce } : {}),
    };
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

  it('prints an unreadable line for a file it cannot read or parse, carries on, and exits 0', async () => {
    const good = files[0] ?? '';
    const dir = mkdtempSync(join(tmpdir(), 'classify-'));
    const deep = join(dir, 'deep.eml');
    // Multipart nesting deeper than any real mail: postal-mime refuses it, the tool says so per file.
    let nested = 'From: a@example.org\r\nContent-Type: multipart/mixed; boundary=b0\r\n\r\n';
    for (let i = 1; i < 60; i++)
      nested += `--b${i - 1}\r\nContent-Type: multipart/mixed; boundary=b${i}\r\n\r\n`;
    writeFileSync(deep, nested);
    const { code, out, err } = await run(['does/not/exist.eml', deep, good]);
    expect(code).toBe(0);
    expect(err).toEqual([]);
    const lines = out.map((l) => JSON.parse(l) as { file: string; kind: string; error?: string });
    expect(lines.map((l) => [l.file, l.kind])).toEqual([
      ['does/not/exist.eml', 'unreadable'],
      [deep, 'unreadable'],
      [good, good.split('/').slice(-2)[0]],
    ]);
    expect(lines[0]?.error).toMatch(/ENOENT|no such file/i);
    expect(lines[1]?.error).toMatch(/nesting/i);
  });

  it('prints the bounce reason and the new kinds', async () => {
    const pick = (k: string, n: string) => files.find((f) => f.endsWith(`${k}/${n}`)) ?? '';
    const { out } = await run([
      pick('bounce', 'gmail-mailbox-full.eml'),
      pick('complaint', 'hotmail-jmrp.eml'),
      pick('challenge', 'boxbe-guest-list.eml'),
    ]);
    expect(out.map((l) => JSON.parse(l))).toEqual([
      {
        file: pick('bounce', 'gmail-mailbox-full.eml'),
        kind: 'bounce',
        bounce: { recipient: 'nia@example.org', permanent: false, reason: 'mailboxfull', status: '5.2.2' },
      },
      { file: pick('complaint', 'hotmail-jmrp.eml'), kind: 'complaint' },
      { file: pick('challenge', 'boxbe-guest-list.eml'), kind: 'challenge' },
    ]);
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
