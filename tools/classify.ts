/**
 * `npm run -s classify -- FILE.eml...`: one JSON line per file on stdout
 * ({ file, kind, bounce?, returnDate? }); unreadable files are reported on stderr and make the exit code 1.
 */
import { readFile } from 'node:fs/promises';
import { pathToFileURL } from 'node:url';
import { classify } from '../lib/replies/classify';
import { parseInbound } from '../lib/replies/parse';

export interface ClassifyLine {
  file: string;
  kind: string;
  bounce?: { recipient: string; permanent: boolean; status?: string };
  returnDate?: string;
}

export async function classifyFile(file: string): Promise<ClassifyLine> {
  const msg = await parseInbound(new Uint8Array(await readFile(file)));
  const c = classify(msg, {});
  const line: ClassifyLine = { file, kind: c.kind };
  if (c.bounce) {
    line.bounce = { recipient: c.bounce.recipient, permanent: c.bounce.permanent };
    if (c.bounce.status) line.bounce.status = c.bounce.status;
  }
  if (c.returnDate) line.returnDate = c.returnDate;
  return line;
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
  let failed = 0;
  for (const file of args) {
    try {
      out(JSON.stringify(await classifyFile(file)));
    } catch (e) {
      failed++;
      err(`${file}: ${e instanceof Error ? e.message : String(e)}`);
    }
  }
  return failed > 0 ? 1 : 0;
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
