import path from 'node:path';

/** When CI asks (THREADLINE_REPORT_DIR), each vitest run also writes a JSON report for .ci/run's totals. */
export function ciReporters(name: string) {
  const dir = process.env.THREADLINE_REPORT_DIR;
  if (!dir) return {};
  return { reporters: ['default', 'json'], outputFile: { json: path.join(dir, `${name}.json`) } };
}
