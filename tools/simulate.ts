import { readFileSync } from 'node:fs';
import { simulate } from './simulator/simulate';

/** `npm run -s simulate -- scenario.json`: one JSON line per action on stdout, nothing else. */
async function main(argv: string[]): Promise<number> {
  const file = argv[0];
  if (!file || argv.length > 1) {
    process.stderr.write('usage: npm run -s simulate -- scenario.json\n');
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
    const { lines, db } = await simulate(input);
    for (const line of lines) process.stdout.write(`${JSON.stringify(line)}\n`);
    db.close();
    return 0;
  } catch (error) {
    process.stderr.write(`${file}: ${error instanceof Error ? error.message : String(error)}\n`);
    return 1;
  }
}

main(process.argv.slice(2)).then((code) => process.exit(code));
