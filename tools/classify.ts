/**
 * `npm run -s classify -- FILE.eml...`: one JSON line per file on stdout,
 * `{ file, kind, bounce?: { recipient, permanent, reason, status? }, returnDate? }`. A file that cannot be read
 * or parsed still gets its line, `{ file, kind: "unreadable", error }`, and the others go on; the exit code is
 * non-zero only for a usage error (no file named).
 */
import { readFile } from 'node:fs/promises';
import { pathToFileURL } from 'node:url';
import { classify } from '../lib/replies/classify';
import { parseInbound } from '../lib/replies/parse';

export interface ClassifyLine {
  file: string;
  kind: string;
  bounce?: { recipient: string; permanent: boolean; reason: string; status?: string };
  returnDate?: string;
  error?: string;
}

export async function classifyFile(file: string): Promise<ClassifyLine> {
  let raw: Uint8Array;
  try {
    raw = new Uint8Array(await readFile(file));
  } catch (e) {
    return { file, kind: 'unreadable', error: e instanceof Error ? e.message : String(e) };
  }
  try {
    const c = classify(await parseInbound(raw), {});
    const line: ClassifyLine = { file, kind: c.kind };
    if (c.bounce) {
      const { recipient, permanent, reason, status } = c.bounce;
      line.bounce = status ? { recipient, permanent, reason, status } : { recipient, permanent, reason };
    }
    if (c.returnDate) line.returnDate = c.returnDate;
    return line;
  } catch (e) {
    return { file, kind: 'unreadable', error: e instanceof Error ? e.message : String(e) };
  }
}

export async function main(
  args: string[],
  out: (line: string) => void = (l) => process.stdout.write(`${l}\n`),
  err: (line: string) => void = (l) => process.stderr.write(`${l}\n`),
): Promise<number> {
  if (args.length === 0) {
    err('usage: npm run -s classify -- FILE.eml...');
    return 2;
  }
  for (const file of args) out(JSON.stringify(await classifyFile(file)));
  return 0;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  main(process.argv.slice(2).filter((a, i) => !(i === 0 && a === '--'))).then(
    (code) => (process.exitCode = code),
    (e: unknown) => {
      process.stderr.write(`${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
      process.exitCode = 1;
    },
  );
}
