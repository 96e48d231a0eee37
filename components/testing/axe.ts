import axe from 'axe-core';

/**
 * Runs axe-core on a rendered container and returns the serious and critical violations, one line each.
 * happy-dom has no layout, so axe reports colour contrast as "incomplete" rather than checking it; the
 * themes' contrast is checked by the screenshots in a real browser instead.
 */
export async function seriousViolations(container: Element): Promise<string[]> {
  const result = await axe.run(container, { resultTypes: ['violations'] });
  return result.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id} (${v.impact}): ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
}
