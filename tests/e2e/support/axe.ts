import { createRequire } from 'node:module';
import fs from 'node:fs';
import type { Page } from 'playwright-core';

const axeSource = fs.readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

/**
 * Runs axe-core in the real browser on what matches `selector` (open shadow roots included) and returns the
 * serious and critical violations, one line each. Unlike the component tests in happy-dom, this checks colour
 * contrast with real layout and the host page's theme.
 */
export async function seriousViolationsIn(page: Page, selector: string): Promise<string[]> {
  // Evaluated through the DevTools protocol, which extension pages' CSP (script-src 'self') does not block.
  if (!(await page.evaluate(() => 'axe' in window))) await page.evaluate(axeSource);
  return page.evaluate(async (sel) => {
    type Result = { violations: { id: string; impact?: string; nodes: { target: unknown[] }[] }[] };
    const axe = (window as unknown as { axe: { run(c: unknown, o: unknown): Promise<Result> } }).axe;
    const result = await axe.run({ include: [sel] }, { resultTypes: ['violations'] });
    return result.violations
      .filter((v) => v.impact === 'serious' || v.impact === 'critical')
      .map((v) => `${v.id} (${v.impact}): ${v.nodes.map((n) => JSON.stringify(n.target)).join(', ')}`);
  }, selector);
}
