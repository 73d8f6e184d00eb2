// Statistics for reports: bootstrap confidence intervals over scenarios and samples, and the
// percentiles the latency table needs. Every resample draws from a PRNG seeded by the caller
// (a hash of the run ids and the group), so the same inputs always give the same report — a CI
// that moves between two renders of one run would make people distrust every number in it.

import { createHash } from 'node:crypto';
import { GATE_DEFAULTS } from '../gate/policy.ts';
import { MIN_CI_SCENARIOS, rng as gateRng, seedFor, shiftTest } from '../gate/stats.ts';
import { mulberry32 } from '../random.ts';

export const BOOTSTRAP_RESAMPLES = 2000;

export interface Interval {
  lo: number;
  hi: number;
}

/** The shared seeded generator, seeded from a string (run ids and a group name). */
export function rng(seed: string): () => number {
  return mulberry32(createHash('sha256').update(seed).digest().readUInt32LE(0));
}

/** Scores grouped by scenario: the unit a bootstrap resamples first. */
export type ByScenario = Map<string, number[]>;

export function groupByScenario<T>(items: T[], scenario: (t: T) => string, value: (t: T) => number | null): ByScenario {
  const map: ByScenario = new Map();
  for (const item of items) {
    const v = value(item);
    if (v === null) continue;
    const s = scenario(item);
    const list = map.get(s);
    if (list) list.push(v);
    else map.set(s, [v]);
  }
  return map;
}

function resampleMean(xs: number[], next: () => number): number {
  let sum = 0;
  for (let i = 0; i < xs.length; i++) sum += xs[Math.floor(next() * xs.length)]!;
  return sum / xs.length;
}

function percentileInterval(stats: number[]): Interval {
  stats.sort((a, b) => a - b);
  const at = (q: number) => stats[Math.min(stats.length - 1, Math.max(0, Math.floor(q * stats.length)))]!;
  return { lo: at(0.025), hi: at(0.975) };
}

/**
 * 95% CI of the mean over all samples, by a two-level bootstrap: scenarios with replacement,
 * then each chosen scenario's samples with replacement. Scenarios differ far more than samples
 * of one scenario do, so resampling samples alone would give intervals that are too narrow.
 */
export function bootstrapMean(data: ByScenario, seed: string, resamples = BOOTSTRAP_RESAMPLES): Interval | null {
  const groups = [...data.values()].filter((xs) => xs.length > 0);
  if (!groups.length) return null;
  const next = rng(seed);
  const stats: number[] = [];
  for (let b = 0; b < resamples; b++) {
    let sum = 0;
    let n = 0;
    for (let i = 0; i < groups.length; i++) {
      const xs = groups[Math.floor(next() * groups.length)]!;
      sum += resampleMean(xs, next) * xs.length;
      n += xs.length;
    }
    stats.push(sum / n);
  }
  return percentileInterval(stats);
}

export interface PairedDiff {
  /** Mean over the shared scenarios of (mean after − mean before). */
  diff: number;
  /** The 95% interval; null below MIN_CI_SCENARIOS scenarios, where it says little. */
  ci: Interval | null;
  scenarios: number;
  /** The two-sided test at 5% (each tail 2.5%): which way, if any, the difference is clear. */
  outcome: 'better' | 'worse' | 'inconclusive';
}

/**
 * Paired difference (after − before) over the scenarios both sides graded, with the gate's own
 * test (src/gate/stats.ts: a permutation test of the samples stratified by scenario, seeded by
 * `stream` as the gate seeds a model's mean test). So where report.md and the gate compare the
 * same two things — a model's candidate against the baseline — they print the same interval.
 * `draws`: the gate's 10,000 unless the caller compares what no gate compares (two models, or
 * two prompt versions within one run).
 */
export function pairedDiff(before: ByScenario, after: ByScenario, stream: string, draws: number = GATE_DEFAULTS.permutations): PairedDiff | null {
  const shared = [...after.keys()].filter((s) => (before.get(s)?.length ?? 0) > 0 && (after.get(s)?.length ?? 0) > 0).sort();
  if (!shared.length) return null;
  const test = shiftTest(
    shared.map((s) => ({ before: before.get(s)!, after: after.get(s)! })),
    draws,
    gateRng(seedFor(GATE_DEFAULTS.seed, `mean|${stream}`)),
  );
  const [lo, hi] = test.interval(0.95);
  const outcome = test.pAbove(0) <= 0.025 ? 'better' : test.pBelow(0) <= 0.025 ? 'worse' : 'inconclusive';
  return { diff: test.diff, ci: shared.length >= MIN_CI_SCENARIOS ? { lo, hi } : null, scenarios: shared.length, outcome };
}

/** Nearest-rank percentile (p in 0..1) of unsorted numbers; null when there are none. */
export function percentile(values: number[], p: number): number | null {
  if (!values.length) return null;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(p * sorted.length) - 1))]!;
}
