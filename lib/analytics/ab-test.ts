import { ratio } from './counters';
import { compareProportions, confidenceOf } from './significance';
import type { AbTestRow, VariantComparison, VariantRow } from './types';

const letter = (variant: number) => String.fromCharCode(65 + variant);

/** One step's A/B test: each variant's reply rate, the leader, and how sure it leads each other variant. */
export function abTestOf(
  sequenceId: string,
  stepIndex: number,
  tallies: readonly { variant: number; reached: number; replied: number }[],
): AbTestRow {
  const variants: VariantRow[] = [...tallies]
    .sort((a, b) => a.variant - b.variant)
    .map(({ variant, reached, replied }) => ({
      variant,
      label: letter(variant),
      reached,
      replied,
      replyRate: ratio(replied, reached),
    }));
  const leader = variants.reduce((best, v) => ((v.replyRate ?? -1) > (best.replyRate ?? -1) ? v : best));
  const comparisons: VariantComparison[] = [];
  for (const other of variants) {
    if (other === leader) continue;
    const test = compareProportions(
      { successes: leader.replied, trials: leader.reached },
      { successes: other.replied, trials: other.reached },
    );
    if (!test) continue;
    const confidence = leader.replyRate === other.replyRate ? null : confidenceOf(test.pValue);
    comparisons.push({
      leader: leader.label,
      other: other.label,
      ...test,
      confidence,
      summary: confidence
        ? `${Math.round(confidence * 100)}% confident ${leader.label} beats ${other.label}`
        : 'not enough data yet',
    });
  }
  const decided = comparisons.length === variants.length - 1 && comparisons.every((c) => c.confidence);
  const level = Math.min(...comparisons.map((c) => c.confidence ?? 0));
  return {
    sequenceId,
    stepIndex,
    variants,
    comparisons,
    summary: decided
      ? `${Math.round(level * 100)}% confident ${leader.label} beats ${comparisons.map((c) => c.other).join(' and ')}`
      : 'not enough data yet',
  };
}
