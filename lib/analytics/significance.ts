/**
 * Is one reply rate really better than another? Two-sided tests on a 2x2 table (replied / not, per variant):
 * Fisher's exact test when the counts are small (an expected cell under 5, where the normal approximation
 * fails), else the pooled two-proportion z-test (equivalent to the chi-square test without correction).
 */

export interface Proportion {
  successes: number;
  trials: number;
}

export interface Significance {
  pValue: number;
  method: 'fisher' | 'z';
}

/** Lanczos approximation (g = 7, n = 9): ln Γ(x) to about 15 significant digits. */
const LANCZOS = [
  0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059,
  12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7,
];

export function logGamma(x: number): number {
  if (x < 0.5) return Math.log(Math.PI / Math.abs(Math.sin(Math.PI * x))) - logGamma(1 - x);
  const z = x - 1;
  let a = LANCZOS[0]!;
  const t = z + 7.5;
  for (let i = 1; i < 9; i++) a += LANCZOS[i]! / (z + i);
  return 0.5 * Math.log(2 * Math.PI) + (z + 0.5) * Math.log(t) - t + Math.log(a);
}

const logChoose = (n: number, k: number) => logGamma(n + 1) - logGamma(k + 1) - logGamma(n - k + 1);

/** erfc by Chebyshev fitting (Numerical Recipes' erfcc): relative error under 1.2e-7 everywhere. */
function erfc(x: number): number {
  const z = Math.abs(x);
  const t = 1 / (1 + 0.5 * z);
  const r =
    t *
    Math.exp(
      -z * z -
        1.26551223 +
        t *
          (1.00002368 +
            t *
              (0.37409196 +
                t *
                  (0.09678418 +
                    t *
                      (-0.18628806 +
                        t *
                          (0.27886807 +
                            t * (-1.13520398 + t * (1.48851587 + t * (-0.82215223 + t * 0.17087277)))))))),
    );
  return x >= 0 ? r : 2 - r;
}

/** P(|Z| >= |z|) for a standard normal Z. */
export const twoSidedNormalP = (z: number): number => Math.min(1, erfc(Math.abs(z) / Math.SQRT2));

export function twoProportionZTest(a: Proportion, b: Proportion): number {
  const pooled = (a.successes + b.successes) / (a.trials + b.trials);
  const se = Math.sqrt(pooled * (1 - pooled) * (1 / a.trials + 1 / b.trials));
  if (!(se > 0)) return 1; // both 0% or both 100%: no difference to test
  return twoSidedNormalP((a.successes / a.trials - b.successes / b.trials) / se);
}

/** Two-sided Fisher's exact test: the probability of every table with the same margins no likelier than this one. */
export function fisherExactTest(a: Proportion, b: Proportion): number {
  const n1 = a.trials;
  const n2 = b.trials;
  const k = a.successes + b.successes;
  const base = logChoose(n1 + n2, k);
  const logP = (x: number) => logChoose(n1, x) + logChoose(n2, k - x) - base;
  const observed = logP(a.successes);
  let p = 0;
  for (let x = Math.max(0, k - n2), last = Math.min(k, n1); x <= last; x++) {
    const l = logP(x);
    // The relative tolerance keeps tables exactly as likely as the observed one despite rounding.
    if (l <= observed + 1e-7) p += Math.exp(l);
  }
  return Math.min(1, p);
}

export function compareProportions(a: Proportion, b: Proportion): Significance | null {
  if (a.trials <= 0 || b.trials <= 0) return null;
  const n = a.trials + b.trials;
  const successes = a.successes + b.successes;
  const smallestExpected = (Math.min(a.trials, b.trials) * Math.min(successes, n - successes)) / n;
  return smallestExpected < 5
    ? { pValue: fisherExactTest(a, b), method: 'fisher' }
    : { pValue: twoProportionZTest(a, b), method: 'z' };
}

/** The confidence level a p-value reaches, among those a manager acts on. */
export function confidenceOf(pValue: number): 0.99 | 0.95 | null {
  if (pValue < 0.01) return 0.99;
  if (pValue < 0.05) return 0.95;
  return null;
}
