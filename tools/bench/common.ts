import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

export const round = (x: number, digits = 2) => Number(x.toFixed(digits));

/**
 * The yardstick every figure carries (calib_ms): a fixed deterministic workload of about 1 MB (12,000 records
 * from a linear congruential generator, serialised to JSON, parsed back and sorted), one warm-up then the
 * median of 5 runs, in ms. Kept as source text so that Node (calibMs) and the extension's pages in Chromium
 * (calibInPage) run exactly the same code: a function handed to page.evaluate would first pass through tsx's
 * transform, which may add helpers the page lacks.
 */
export const CALIB_SOURCE = `(() => {
  const run = () => {
    const start = performance.now();
    let seed = 12345;
    const next = () => (seed = (seed * 1103515245 + 12345) % 2147483648);
    const rows = Array.from({ length: 12000 }, (_, i) => ({
      id: i,
      key: next().toString(36),
      value: next() / 2147483648,
      tags: [next() % 97, next() % 89, next() % 83],
      note: 'lorem ipsum dolor sit amet',
    }));
    const json = JSON.stringify(rows);
    if (json.length < 900000) throw new Error('bench: calibration structure is only ' + json.length + ' bytes');
    const back = JSON.parse(json);
    back.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : a.id - b.id));
    return performance.now() - start;
  };
  run();
  const runs = [run(), run(), run(), run(), run()].sort((a, b) => a - b);
  return runs[2];
})()`;

/** calib_ms in this Node process (engine, mail and server figures). */
export function calibMs(): number {
  const ms = new Function(`return ${CALIB_SOURCE};`)() as number;
  return round(ms, 2);
}

/** calib_ms in an extension page in Chromium (UI figures): the same source, evaluated by the page itself. */
export async function calibInPage(page: { evaluate(source: string): Promise<unknown> }): Promise<number> {
  return round((await page.evaluate(CALIB_SOURCE)) as number, 2);
}

/**
 * calib_ms on the machine where the absolute goals were first set (2 cores, AMD EPYC, Node 20, quiet), so an
 * absolute goal becomes a ratio: goalOver(500) is the ratio a 500 ms goal meant there.
 */
export const REFERENCE_CALIB_MS = 40;
export const goalOver = (goalMs: number) => `<= ${round(goalMs / REFERENCE_CALIB_MS, 2)}`;

/** A figure over its yardstick, for the printed table and the README: the same on any machine, roughly. */
export const ratio = (figure: number, yardstick: number) => round(figure / yardstick, 2);

export function machine() {
  return {
    cpu: os.cpus()[0]?.model ?? 'unknown',
    cores: os.cpus().length,
    memoryGiB: round(os.totalmem() / 2 ** 30, 1),
    node: process.version,
    platform: `${os.platform()} ${os.release()}`,
  };
}

/**
 * A figure's yardstick and its goal as a ratio: `over` names the yardstick figure of the same run (calib_ms,
 * pixel_bare_rps, queue_10_ms...), `goal` says what the ratio figure / yardstick must meet ("<= 3", ">= 0.4").
 */
export type Ratio = { over: string; goal?: string };

/**
 * Prints a table and writes `.bench/<name>.json` with the figures, their ratios to their yardsticks and the
 * machine they ran on. Every timing (a name ending in _ms or _us) without an explicit ratio is shown over
 * calib_ms when the run has one, so figures from different machines and different days compare.
 */
export function report(
  name: string,
  figures: Record<string, number>,
  goals: Record<string, string> = {},
  ratios: Record<string, Ratio> = {},
): void {
  const all: Record<string, Ratio> = {};
  // A yardstick (pixel_bare_p99_ms, queue_10_ms) is not itself put over calib_ms.
  const yardsticks = new Set(['calib_ms', ...Object.values(ratios).map((r) => r.over)]);
  for (const key of Object.keys(figures)) {
    if (ratios[key]) all[key] = ratios[key];
    else if ('calib_ms' in figures && !yardsticks.has(key) && /_(ms|us)(_|$)/.test(key))
      all[key] = { over: 'calib_ms' };
  }
  const ratioOf = (key: string, r: Ratio) => {
    const yardstick = figures[r.over];
    if (yardstick === undefined)
      throw new Error(`bench ${name}: ${key} is measured over ${r.over}, not in the run`);
    // A per-unit figure in µs against a yardstick in ms: the ratio compares like with like.
    const scale = /_us(_|$)/.test(key) && /_ms(_|$)/.test(r.over) ? 1 / 1000 : 1;
    return round((figures[key]! * scale) / yardstick, 4);
  };
  const computed = Object.fromEntries(Object.entries(all).map(([k, r]) => [k, ratioOf(k, r)]));
  const dir = path.resolve('.bench');
  fs.mkdirSync(dir, { recursive: true });
  const out = { ...figures, ratios: computed, machine: machine(), at: new Date().toISOString() };
  fs.writeFileSync(path.join(dir, `${name}.json`), `${JSON.stringify(out, null, 2)}\n`);
  console.log(
    `\n${name} (.bench/${name}.json), load average ${os
      .loadavg()
      .map((l) => round(l, 1))
      .join(' ')}`,
  );
  console.table(
    Object.fromEntries(
      Object.entries(figures).map(([k, v]) => [
        k,
        {
          value: v,
          yardstick: all[k]?.over ?? '',
          ratio: computed[k] ?? '',
          'goal (ratio)': all[k]?.goal ?? '',
          note: goals[k] ?? '',
        },
      ]),
    ),
  );
}
