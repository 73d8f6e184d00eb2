// The mean-score test behind the gate: a permutation test on samples, stratified by scenario.
//
// Why this test. Scores are bounded, discrete and skewed (a fifth of real documents score exactly
// 1.0, a few collapse), so nothing here assumes normality. The unit of randomness is the sample:
// within one scenario, under "no change", a baseline document and a candidate document are
// exchangeable, so shuffling the labels *within each scenario* gives the null distribution. Using
// samples rather than one mean per scenario sees a drop concentrated in two scenarios (those
// scenarios' samples all move), and keeps resolution with few scenarios (4 scenarios no longer
// cap p at 1/16). The inference is about the scenarios in the run (the ones the check chose);
// the estimate is the mean over scenarios of (candidate mean − baseline mean).
//
// One set of relabellings answers every question: each relabelling π of a location-shifted
// candidate (c − δ) gives a statistic that is linear in δ, T_π(δ) = A_π − δ·B_π, against the
// observed T(δ) = T − δ. So from (A_π, B_π) alone we get
//   - pBelow(0): one-sided p of "no drop" (small when the candidate is worse);
//   - pAbove(−m): one-sided p of "the drop is at least m" (small when non-inferiority holds);
//   - the confidence interval, by inverting both tails (bisection on δ).
// Exact (every relabelling) when there are at most EXACT_LIMIT of them; otherwise `draws` seeded
// random relabellings plus the observed one, so p ≥ 1/(draws + 1) and the test stays valid.

import { mulberry32 } from '../random.ts';

export type Rng = () => number;

export const rng: (seed: number) => Rng = mulberry32;

/** A 32-bit seed from a base seed and a label (FNV-1a), so each test gets its own stream. */
export function seedFor(seed: number, label: string): number {
  let h = (0x811c9dc5 ^ seed) >>> 0;
  for (let i = 0; i < label.length; i++) h = Math.imul(h ^ label.charCodeAt(i), 0x01000193) >>> 0;
  return h;
}

export const mean = (xs: readonly number[]) => (xs.length ? xs.reduce((s, x) => s + x, 0) / xs.length : NaN);

/** One scenario's graded samples on each side (both non-empty). */
export interface Stratum {
  before: readonly number[];
  after: readonly number[];
}

const EXACT_LIMIT = 50_000;

/** Below this many scenarios an interval says little about the prompt: none is shown as a 95% CI. */
export const MIN_CI_SCENARIOS = 5;

export interface ShiftTest {
  /** Mean over scenarios of (mean after − mean before). */
  diff: number;
  exact: boolean;
  /** Relabellings the p-values are over (the observed one included). */
  count: number;
  /** P(T_π(δ) ≤ T(δ)): small when the true difference is below δ (pBelow(0): "it dropped"). */
  pBelow(delta?: number): number;
  /** P(T_π(δ) ≥ T(δ)): small when the true difference is above δ (pAbove(−m): "it fell by less than m"). */
  pAbove(delta: number): number;
  /** The one-sided lower confidence bound at 1 − tail (the largest shift the upper tail rejects). */
  lowerBound(tail: number): number;
  /** The two-sided interval at `level`, each tail (1 − level) / 2, by inverting the test. */
  interval(level?: number): [number, number];
}

export function shiftTest(strata: readonly Stratum[], draws: number, random: Rng): ShiftTest {
  const S = strata.length;
  if (S === 0) throw new RangeError('shiftTest: no scenario with samples on both sides');
  for (const s of strata) {
    if (!s.before.length || !s.after.length) throw new RangeError('shiftTest: a scenario without samples on one side');
    for (const x of [...s.before, ...s.after]) if (!Number.isFinite(x)) throw new RangeError(`shiftTest: non-finite score ${x}`);
  }
  // Each side sorted: the order cells were written in must never change a p-value or interval.
  strata = strata.map((s) => ({ before: [...s.before].sort((a, b) => a - b), after: [...s.after].sort((a, b) => a - b) }));
  const observed = strata.reduce((t, s) => t + mean(s.after) - mean(s.before), 0) / S;
  const space = strata.reduce((n, s) => n * choose(s.before.length + s.after.length, s.after.length), 1);
  const exact = space <= EXACT_LIMIT;
  const { A, B } = exact ? enumerateAll(strata) : sample(strata, draws, random);
  const count = A.length;
  // Sums are compared with a tolerance: scores are rounded decimals, and a tie counts against us.
  const tol = 1e-9;
  const pBelow = (delta = 0) => {
    let k = 0;
    for (let i = 0; i < count; i++) if (A[i]! - delta * B[i]! <= observed - delta + tol) k++;
    return k / count;
  };
  const pAbove = (delta: number) => {
    let k = 0;
    for (let i = 0; i < count; i++) if (A[i]! - delta * B[i]! >= observed - delta - tol) k++;
    return k / count;
  };
  // pAbove grows with δ: the lower bound is the largest δ still rejected by the upper tail;
  // pBelow falls with δ: the upper bound is the smallest δ rejected by the lower tail.
  const lowerBound = (tail: number) => bisect((d) => pAbove(d) <= tail, observed - 2, observed, true);
  const upperBound = (tail: number) => bisect((d) => pBelow(d) <= tail, observed, observed + 2, false);
  const interval = (level = 0.95): [number, number] => [lowerBound((1 - level) / 2), upperBound((1 - level) / 2)];
  return { diff: observed, exact, count, pBelow, pAbove, lowerBound, interval };
}

/** The boundary of a monotone predicate on [lo, hi]: true below it (lowSide) or above it. */
function bisect(rejected: (d: number) => boolean, lo: number, hi: number, lowSide: boolean): number {
  // 30 halvings of a width-2 bracket: well under the 4 decimals a verdict shows.
  for (let i = 0; i < 30; i++) {
    const mid = (lo + hi) / 2;
    if (rejected(mid) === lowSide) lo = mid;
    else hi = mid;
  }
  return lowSide ? lo : hi;
}

interface Coefficients {
  A: Float64Array;
  B: Float64Array;
}

/** Seeded random relabellings within each scenario; index 0 is the observed labelling. */
function sample(strata: readonly Stratum[], draws: number, random: Rng): Coefficients {
  const S = strata.length;
  const A = new Float64Array(draws + 1);
  const B = new Float64Array(draws + 1);
  A[0] = strata.reduce((t, s) => t + mean(s.after) - mean(s.before), 0) / S;
  B[0] = 1;
  const pools = strata.map((s) => ({ values: Float64Array.from([...s.before, ...s.after]), m: s.before.length, n: s.after.length }));
  const totals = pools.map((p) => p.values.reduce((a, x) => a + x, 0));
  const picks = picksFor(
    pools.map((p) => [p.m, p.n]),
    draws,
    Math.floor(random() * 4294967296) >>> 0,
  );
  let at = 0;
  for (let d = 1; d <= draws; d++) {
    let a = 0;
    let b = 0;
    for (let s = 0; s < S; s++) {
      const { values, m, n } = pools[s]!;
      let sum = 0;
      let k = 0; // how many of the labelled-candidate documents are candidate documents
      for (let j = 0; j < n; j++) {
        const i = picks[at++]!;
        sum += values[i]!;
        if (i >= m) k++;
      }
      a += sum / n - (totals[s]! - sum) / m;
      b += k / n - (n - k) / m;
    }
    A[d] = a / S;
    B[d] = b / S;
  }
  return { A, B };
}

/**
 * The relabellings themselves: for each draw and scenario, which n of the scenario's m + n
 * pooled documents (baseline first) are labelled "candidate". They depend only on the sizes and
 * the seed, not on the scores, so tests of the same shape on the same stream share them: a
 * report compares many pairs of groups of one shape (every model with every other), and drawing
 * the relabellings was most of each test's time. The last few sets are kept, up to MEMO_PICKS
 * entries each.
 */
function picksFor(sizes: Array<[number, number]>, draws: number, seedState: number): Uint16Array | Uint32Array {
  const key = `${seedState}|${draws}|${sizes.join(';')}`;
  const kept = memo.get(key);
  if (kept) return kept;
  const total = draws * sizes.reduce((t, [, n]) => t + n, 0);
  const picks = sizes.some(([m, n]) => m + n > 0xffff) ? new Uint32Array(total) : new Uint16Array(total);
  const idx = sizes.map(([m, n]) => Uint32Array.from({ length: m + n }, (_, i) => i));
  // The hot loop draws from its own mulberry32 state, seeded from `random`: the same stream for
  // the same seed, without a function call per draw.
  let state = seedState;
  let at = 0;
  for (let d = 1; d <= draws; d++) {
    for (let s = 0; s < sizes.length; s++) {
      const [m, n] = sizes[s]!;
      const order = idx[s]!;
      const N = m + n;
      // A partial Fisher–Yates shuffle picks n of N uniformly, from whatever order idx is in.
      for (let j = 0; j < n; j++) {
        state = (state + 0x6d2b79f5) >>> 0;
        let x = state;
        x = Math.imul(x ^ (x >>> 15), x | 1);
        x ^= x + Math.imul(x ^ (x >>> 7), x | 61);
        const r = j + Math.floor((((x ^ (x >>> 14)) >>> 0) / 4294967296) * (N - j));
        const swap = order[j]!;
        order[j] = order[r]!;
        order[r] = swap;
        picks[at++] = order[j]!;
      }
    }
  }
  if (total <= MEMO_PICKS) {
    memo.set(key, picks);
    if (memo.size > MEMO_SETS) memo.delete(memo.keys().next().value!);
  }
  return picks;
}
const MEMO_PICKS = 4_000_000;
const MEMO_SETS = 4;
const memo = new Map<string, Uint16Array | Uint32Array>();

/** Every relabelling: the product over scenarios of each scenario's ways to choose n of m + n. */
function enumerateAll(strata: readonly Stratum[]): Coefficients {
  const S = strata.length;
  const per = strata.map((s) => {
    const values = [...s.before, ...s.after];
    const m = s.before.length;
    const n = s.after.length;
    const total = values.reduce((a, x) => a + x, 0);
    const out: { a: number; b: number }[] = [];
    combinations(values.length, n, (chosen) => {
      let sum = 0;
      let k = 0;
      for (const i of chosen) (sum += values[i]!), (k += i >= m ? 1 : 0);
      out.push({ a: sum / n - (total - sum) / m, b: k / n - (n - k) / m });
    });
    return out;
  });
  const size = per.reduce((n, p) => n * p.length, 1);
  const A = new Float64Array(size);
  const B = new Float64Array(size);
  let at = 0;
  const walk = (s: number, a: number, b: number) => {
    if (s === S) {
      A[at] = a / S;
      B[at++] = b / S;
      return;
    }
    for (const x of per[s]!) walk(s + 1, a + x.a, b + x.b);
  };
  walk(0, 0, 0);
  return { A, B };
}

function combinations(N: number, n: number, visit: (chosen: readonly number[]) => void): void {
  const chosen: number[] = [];
  const rec = (start: number) => {
    if (chosen.length === n) return visit(chosen);
    for (let i = start; i <= N - (n - chosen.length); i++) {
      chosen.push(i);
      rec(i + 1);
      chosen.pop();
    }
  };
  rec(0);
}

/** C(N, k) as a float (exact for the sizes a gate sees; only compared with a limit). */
function choose(N: number, k: number): number {
  let c = 1;
  for (let i = 1; i <= k; i++) c = (c * (N - k + i)) / i;
  return Math.round(c);
}
