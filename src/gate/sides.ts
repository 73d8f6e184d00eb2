// The two sides a gate compares, in one plain shape whatever they come from: per model, per
// scenario, every graded sample's overall score, overall pass, and each grader's pass. The
// reference side is the committed baseline (reports/baseline.json) or same-day control cells of
// the baseline's version in the run; the candidate side is the run's cells of the version gated.

import type { Results } from '../runner/results.ts';
import { modelId, type Baseline } from './baseline.ts';

export interface Samples {
  score: number[];
  pass: boolean[];
  /** Grader id → pass of each sample that grader graded. */
  graders: Record<string, boolean[]>;
}

/** model id ("provider:model") → scenario id → samples. */
export type Side = Map<string, Map<string, Samples>>;

type Cell = Results['cells'][number];

export function sideFromBaseline(baseline: Baseline): Side {
  const side: Side = new Map();
  for (const [model, scenarios] of Object.entries(baseline.results)) {
    const byScenario = new Map<string, Samples>();
    for (const [scenario, s] of Object.entries(scenarios)) {
      byScenario.set(scenario, { score: s.score, pass: s.pass, graders: Object.fromEntries(Object.entries(s.graders).map(([g, r]) => [g, r.pass])) });
    }
    side.set(model, byScenario);
  }
  return side;
}

/** The graded cells grouped by model and scenario (cells without a score are not samples). */
export function sideFromCells(cells: readonly Cell[]): Side {
  const side: Side = new Map();
  for (const c of cells) {
    if (c.score === null) continue;
    const model = modelId(c);
    const byScenario = side.get(model) ?? side.set(model, new Map()).get(model)!;
    const s = byScenario.get(c.scenario) ?? byScenario.set(c.scenario, { score: [], pass: [], graders: {} }).get(c.scenario)!;
    s.score.push(c.score);
    s.pass.push(c.pass === true);
    for (const [g, grade] of Object.entries(c.grades)) (s.graders[g] ??= []).push(grade.pass);
  }
  return side;
}

/** Cells whose score is not a finite number in [0, 1] (only the in-memory API can make them). */
export function badScores(cells: readonly Cell[]): Cell[] {
  return cells.filter((c) => c.score !== null && !(Number.isFinite(c.score) && c.score >= 0 && c.score <= 1));
}
