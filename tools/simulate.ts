import { readFileSync } from 'node:fs';
import { simulate } from './simulator/simulate';

/**
 * `npm run -s simulate -- scenario.json [--mail=sandbox]`: one JSON line per action on stdout, nothing else.
 * --mail=sandbox runs against the mail sandbox over HTTP, contact events becoming real inbound messages.
 */
async function main(argv: string[]): Promise<number> {
  const flags = argv.filter((a) => a.startsWith('--'));
  const files = argv.filter((a) => !a.startsWith('--'));
  const file = files[0];
  const mail = flags.includes('--mail=sandbox') ? 'sandbox' : 'fake';
  const unknown = flags.filter((f) => f !== '--mail=sandbox' && f !== '--mail=fake');
  if (!file || files.length > 1 || unknown.length) {
    process.stderr.write(
      `${unknown.length ? `unknown option ${unknown.join(' ')}\n` : ''}usage: npm run -s simulate -- scenario.json [--mail=sandbox]\n`,
    );
    return 2;
  }
  let input: unknown;
  try {
    input = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    process.stderr.write(`${file}: ${error instanceof Error ? error.message : String(error)}\n`);
    return 1;
  }
  try {
    const { lines, db } = await simulate(input, { mail });
    for (const line of lines) process.stdout.write(`${JSON.stringify(line)}\n`);
    db.close();
    return 0;
  } catch (error) {
    process.stderr.write(`${file}: ${error instanceof Error ? error.message : String(error)}\n`);
    return 1;
  }
}

// main reports its own errors on stderr and answers with the exit code.
void main(process.argv.slice(2)).then((code) => process.exit(code));
