// The statistics behind the gate, on paired differences (one per scenario: candidate mean minus
// baseline mean). Why these: a model never writes the same document twice, so one run's mean
// is noisy; pairing by scenario removes the (large) spread between scenarios, and both methods
// below make no normality assumption. Everything random is seeded, so the same inputs always
// give the same numbers — a gate must not flip on a re-run.
//
// - Permutation p-value (sign flip): under "no difference", each scenario's difference is as
//   likely negative as positive. The p-value is the share of the 2^n sign patterns whose mean is
//   at most the observed one (one-sided: the gate asks "is the candidate worse?"). Exact up to
//   20 scenarios (a Gray-code walk, one addition per pattern); sampled above that. The smallest
//   attainable p is 2^-n: with 4 scenarios it is 0.0625, so no mean drop can be significant at
//   alpha 0.05 — the verdict says so rather than pretending.
// - Bootstrap CI: resample scenarios with replacement, take the 2.5th and 97.5th percentiles of
//   the resampled mean difference (the percentile method).

import { mulberry32 } from '../random.ts';

export type Rng = () => number;

export const rng: (seed: number) => Rng = mulberry32;

/** A 32-bit seed from a base seed and a label (FNV-1a), so each model gets its own stream. */
export function seedFor(seed: number, label: string): number {
  let h = (0x811c9dc5 ^ seed) >>> 0;
  for (let i = 0; i < label.length; i++) h = Math.imul(h ^ label.charCodeAt(i), 0x01000193) >>> 0;
  return h;
}

export const mean = (xs: readonly number[]) => (xs.length ? xs.reduce((s, x) => s + x, 0) / xs.length : NaN);

const EXACT_UP_TO = 20;
const SAMPLED_PERMUTATIONS = 50_000;

export interface PermutationResult {
  /** One-sided: the probability, under no difference, of a mean difference at most the observed one. */
  p: number;
  /** The smallest p this many pairs can give (2^-n when exact). */
  minP: number;
  exact: boolean;
}

export function signFlipPValue(diffs: readonly number[], random: Rng): PermutationResult {
  const n = diffs.length;
  if (n === 0) return { p: 1, minP: 1, exact: true };
  const observed = diffs.reduce((s, d) => s + d, 0);
  // Sums are compared with a tolerance: scores are rounded decimals, and a tie counts as "at most".
  const tol = 1e-9 * Math.max(1, Math.abs(observed));
  if (n <= EXACT_UP_TO) {
    const signs = new Int8Array(n).fill(1);
    let sum = observed;
    let atMost = 1; // the identity pattern
    const total = 2 ** n;
    for (let i = 1; i < total; i++) {
      const j = 31 - Math.clz32(i & -i); // the bit that changes in the Gray code
      sum -= 2 * signs[j]! * diffs[j]!;
      signs[j] = -signs[j]!;
      if (sum <= observed + tol) atMost++;
    }
    return { p: atMost / total, minP: 1 / total, exact: true };
  }
  let atMost = 0;
  for (let k = 0; k < SAMPLED_PERMUTATIONS; k++) {
    let sum = 0;
    for (let i = 0; i < n; i++) sum += random() < 0.5 ? -diffs[i]! : diffs[i]!;
    if (sum <= observed + tol) atMost++;
  }
  return { p: (atMost + 1) / (SAMPLED_PERMUTATIONS + 1), minP: 1 / (SAMPLED_PERMUTATIONS + 1), exact: false };
}

/** The 95% percentile-bootstrap interval of the mean of `diffs`. */
export function bootstrapCI(diffs: readonly number[], resamples: number, random: Rng, level = 0.95): [number, number] {
  const n = diffs.length;
  if (n === 0) return [NaN, NaN];
  if (n === 1) return [diffs[0]!, diffs[0]!];
  const means = new Float64Array(resamples);
  for (let b = 0; b < resamples; b++) {
    let sum = 0;
    for (let i = 0; i < n; i++) sum += diffs[Math.floor(random() * n)]!;
    means[b] = sum / n;
  }
  means.sort();
  const tail = (1 - level) / 2;
  return [means[Math.floor(tail * resamples)]!, means[Math.min(resamples - 1, Math.ceil((1 - tail) * resamples) - 1)]!];
}
