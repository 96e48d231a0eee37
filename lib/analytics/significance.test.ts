import { describe, expect, it } from 'vitest';
import {
  compareProportions,
  confidenceOf,
  fisherExactTest,
  logGamma,
  twoProportionZTest,
  twoSidedNormalP,
} from './significance';

// Reference values from scipy 1.17 (scipy.stats.norm.sf, fisher_exact, math.lgamma).
describe('significance', () => {
  it('knows the normal tails', () => {
    expect(twoSidedNormalP(1.959964)).toBeCloseTo(0.05, 6);
    expect(twoSidedNormalP(3)).toBeCloseTo(0.0026998, 6);
    expect(twoSidedNormalP(-0.5)).toBeCloseTo(0.6170751, 6);
    expect(twoSidedNormalP(0)).toBe(1);
  });

  it('computes ln Γ for small and large arguments', () => {
    expect(logGamma(0.5)).toBeCloseTo(0.5723649429, 9);
    expect(logGamma(1)).toBeCloseTo(0, 12);
    expect(logGamma(11)).toBeCloseTo(Math.log(3628800), 9);
    expect(logGamma(1_000_001) / 12815518.384658169).toBeCloseTo(1, 12);
  });

  it('gives the textbook z-test: 200/1000 against 250/1000', () => {
    expect(
      twoProportionZTest({ successes: 200, trials: 1000 }, { successes: 250, trials: 1000 }),
    ).toBeCloseTo(0.0074196, 6);
    expect(twoProportionZTest({ successes: 10, trials: 100 }, { successes: 20, trials: 100 })).toBeCloseTo(
      0.0476704,
      6,
    );
  });

  it('gives no difference when both rates are 0% or 100%', () => {
    expect(twoProportionZTest({ successes: 0, trials: 50 }, { successes: 0, trials: 80 })).toBe(1);
    expect(twoProportionZTest({ successes: 50, trials: 50 }, { successes: 80, trials: 80 })).toBe(1);
  });

  it('gives Fisher’s exact test on the lady tasting tea and Wikipedia’s example', () => {
    expect(fisherExactTest({ successes: 3, trials: 4 }, { successes: 1, trials: 4 })).toBeCloseTo(
      0.4857143,
      6,
    );
    expect(fisherExactTest({ successes: 1, trials: 10 }, { successes: 11, trials: 14 })).toBeCloseTo(
      0.0027595,
      6,
    );
    expect(fisherExactTest({ successes: 2, trials: 10 }, { successes: 9, trials: 10 })).toBeCloseTo(
      0.0054775,
      6,
    );
    expect(fisherExactTest({ successes: 200, trials: 1000 }, { successes: 250, trials: 1000 })).toBeCloseTo(
      0.0086492,
      6,
    );
  });

  it('picks Fisher when an expected cell is under 5, and nothing without trials', () => {
    expect(compareProportions({ successes: 1, trials: 10 }, { successes: 6, trials: 10 })?.method).toBe(
      'fisher',
    );
    expect(compareProportions({ successes: 5, trials: 20 }, { successes: 15, trials: 20 })?.method).toBe('z');
    expect(compareProportions({ successes: 0, trials: 0 }, { successes: 1, trials: 3 })).toBeNull();
  });

  it('reads a p-value as a confidence level', () => {
    expect(confidenceOf(0.0074)).toBe(0.99);
    expect(confidenceOf(0.03)).toBe(0.95);
    expect(confidenceOf(0.05)).toBeNull();
  });
});
