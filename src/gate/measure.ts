// What the gate measures for one model, before any decision: the scenarios both sides graded,
// the mean-score shift test (stats.ts) and, per grader, the pass rates before and after with the
// stratified exact test (exact.ts). gate.ts turns these into verdicts under one alpha budget.

import { stratifiedFailureTest, type FailureTable } from './exact.ts';
import type { Samples } from './sides.ts';
import { mean, rng, seedFor, shiftTest, type ShiftTest } from './stats.ts';

export interface GraderMeasure {
  grader: string;
  /** Pass rate (0..1): the mean over the paired scenarios of each scenario's pass rate. */
  before: number;
  after: number;
  /** after − before, in percentage points. */
  points: number;
  /** One-sided exact p that the candidate fails it more often (stratified by scenario). */
  p: number;
}

export interface ModelMeasure {
  /** Scenarios with enough graded samples on both sides, sorted. */
  paired: string[];
  before: { mean: number; samples: number };
  after: { mean: number; samples: number };
  test: ShiftTest;
  graders: GraderMeasure[];
  /** Scenarios whose majority verdict changed. */
  flipped: { scenario: string; before: number; after: number; from: 'pass' | 'fail'; to: 'pass' | 'fail' }[];
}

export interface MeasureOptions {
  minSamples: number;
  permutations: number;
  seed: number;
  /** A label that gives this comparison its own random stream (the model id, and the comparison). */
  stream: string;
}

function pairedScenarios(reference: ReadonlyMap<string, Samples>, candidate: ReadonlyMap<string, Samples>, scenarios: readonly string[], minSamples: number): string[] {
  return [...scenarios].sort().filter((s) => (reference.get(s)?.score.length ?? 0) >= minSamples && (candidate.get(s)?.score.length ?? 0) >= minSamples);
}

export function measureModel(reference: ReadonlyMap<string, Samples>, candidate: ReadonlyMap<string, Samples>, scenarios: readonly string[], o: MeasureOptions): ModelMeasure | null {
  const paired = pairedScenarios(reference, candidate, scenarios, o.minSamples);
  if (!paired.length) return null;
  const ref = paired.map((s) => reference.get(s)!);
  const cand = paired.map((s) => candidate.get(s)!);
  const test = shiftTest(
    paired.map((_, i) => ({ before: ref[i]!.score, after: cand[i]!.score })),
    o.permutations,
    rng(seedFor(o.seed, `mean|${o.stream}`)),
  );
  const graders = [...new Set([...ref, ...cand].flatMap((x) => Object.keys(x.graders)))].sort().flatMap((g) => {
    const tables: FailureTable[] = [];
    const rates: [number, number][] = [];
    paired.forEach((_, i) => {
      const b = ref[i]!.graders[g] ?? [];
      const a = cand[i]!.graders[g] ?? [];
      if (!b.length || !a.length) return;
      tables.push({ before: b.length, beforeFailed: b.filter((x) => !x).length, after: a.length, afterFailed: a.filter((x) => !x).length });
      rates.push([passRate(b), passRate(a)]);
    });
    if (!rates.length) return [];
    const before = mean(rates.map((r) => r[0]));
    const after = mean(rates.map((r) => r[1]));
    return [{ grader: g, before, after, points: (after - before) * 100, p: stratifiedFailureTest(tables) }];
  });
  const flipped: ModelMeasure['flipped'] = [];
  paired.forEach((scenario, i) => {
    const before = passRate(ref[i]!.pass);
    const after = passRate(cand[i]!.pass);
    const from = before >= 0.5 ? 'pass' : 'fail';
    const to = after >= 0.5 ? 'pass' : 'fail';
    if (from !== to) flipped.push({ scenario, before, after, from, to });
  });
  flipped.sort((x, y) => (x.from === y.from ? x.scenario.localeCompare(y.scenario) : x.from === 'pass' ? -1 : 1));
  return {
    paired,
    before: { mean: mean(ref.map((x) => mean(x.score))), samples: ref.reduce((n, x) => n + x.score.length, 0) },
    after: { mean: mean(cand.map((x) => mean(x.score))), samples: cand.reduce((n, x) => n + x.score.length, 0) },
    test,
    graders,
    flipped,
  };
}

const passRate = (xs: readonly boolean[]) => xs.filter(Boolean).length / xs.length;
