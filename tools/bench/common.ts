import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

export const round = (x: number, digits = 2) => Number(x.toFixed(digits));

export function machine() {
  return {
    cpu: os.cpus()[0]?.model ?? 'unknown',
    cores: os.cpus().length,
    memoryGiB: round(os.totalmem() / 2 ** 30, 1),
    node: process.version,
    platform: `${os.platform()} ${os.release()}`,
  };
}

/** Prints a table and writes `.bench/<name>.json` with the figures and the machine they ran on. */
export function report(
  name: string,
  figures: Record<string, number>,
  goals: Record<string, string> = {},
): void {
  const dir = path.resolve('.bench');
  fs.mkdirSync(dir, { recursive: true });
  const out = { ...figures, machine: machine(), at: new Date().toISOString() };
  fs.writeFileSync(path.join(dir, `${name}.json`), `${JSON.stringify(out, null, 2)}\n`);
  console.log(`\n${name} (.bench/${name}.json)`);
  console.table(
    Object.fromEntries(Object.entries(figures).map(([k, v]) => [k, { value: v, goal: goals[k] ?? '' }])),
  );
}
