import { performance } from 'node:perf_hooks';
import { median, round } from './common';

/**
 * The yardstick every figure of a run carries: a fixed deterministic workload of about 1 MB (records from a
 * linear congruential generator, serialised to JSON, parsed back and sorted), median of 5 runs, in ms. The
 * same workload as the mail bench's calib_ms, so figures from machines of different speed compare.
 */
export function calibMs(): number {
  const run = (): number => {
    const start = performance.now();
    let seed = 12345;
    const next = () => (seed = (seed * 1103515245 + 12345) % 2147483648);
    const rows = Array.from({ length: 12_000 }, (_, i) => ({
      id: i,
      key: next().toString(36),
      value: next() / 2147483648,
      tags: [next() % 97, next() % 89, next() % 83],
      note: 'lorem ipsum dolor sit amet',
    }));
    const json = JSON.stringify(rows);
    if (json.length < 900_000) throw new Error(`bench: calibration structure is only ${json.length} bytes`);
    const back = JSON.parse(json) as typeof rows;
    back.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : a.id - b.id));
    return performance.now() - start;
  };
  run();
  return round(median([run(), run(), run(), run(), run()]), 2);
}
