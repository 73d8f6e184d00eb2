// Re-grading a run's stored outputs with the current graders, without calling a model: after a
// grader change, the baseline's run is re-graded and the baseline refreshed, so the gate again
// compares scores the same graders produced. Every output comes from the response store by the
// cell's store key; a failed cell stays failed (it has no output), and a cell whose output is
// not in the store stops the regrade — a run half graded by old graders and half by new ones
// would be exactly the incomparable mixture the graders' version exists to prevent.
//
// A baseline is re-graded the same way from its own store keys (reports/baseline.json plus the
// store, no run folder): what CI has after a grader change in a pull request.

import type { Scenario } from '../dataset/schema.ts';
import { withoutEvidence } from '../runner/grade-cache.ts';
import type { Grading } from '../runner/grading.ts';
import type { CellResult } from '../runner/results.ts';
import type { ResponseStore } from '../runner/store.ts';
import type { Baseline, BaselineSamples } from './baseline.ts';
import { previousTurnCell, previousTurnId, withPrevious } from '../dataset/turns.ts';

export interface Regraded {
  cells: CellResult[];
  /** Model cells with output whose output is not in the store. */
  missing: CellResult[];
}

/** Outputs read from the store and waiting for (or in) grading at once: a bounded window. */
const WINDOW = 32;

/**
 * The run's model cells re-graded (reference cells are left out: the caller grades them afresh),
 * through `grading`: from its cache when an output was graded by these graders before, else on
 * every core. Nothing is graded when an output is missing.
 */
export async function regradeCells(cells: readonly CellResult[], store: ResponseStore, scenarios: ReadonlyMap<string, Scenario>, grading: Grading, now = new Date()): Promise<Regraded> {
  const models = cells.filter((c) => c.provider !== 'reference');
  const missing = models.filter((c) => c.status !== 'error' && c.storeKey !== null && !store.has(c.storeKey));
  if (missing.length) return { cells: [], missing };
  // A later turn is graded with the answer it revises: the same conversation's turn before.
  const keys = new Map(models.map((c) => [c.id, c.storeKey]));
  const previousText = (id: string) => {
    const key = keys.get(previousTurnCell(id) ?? '');
    return key ? store.get(key)?.completion.text : undefined;
  };
  const out = await inWindow(models, async (cell) => {
    const stored = cell.status === 'error' || cell.storeKey === null ? null : store.get(cell.storeKey);
    if (!stored) {
      if (cell.status !== 'error' && cell.storeKey !== null) missing.push(cell); // unreadable (a warning said why)
      return cell;
    }
    const graded = await grading.grade(stored.completion.text, withPrevious(scenarios.get(cell.scenario) ?? null, previousText(cell.id)));
    return { ...cell, cached: true, score: graded.score, pass: graded.pass, grades: withoutEvidence(graded), finishedAt: now.toISOString() };
  });
  return { cells: out, missing };
}

/** One baseline sample whose output is not in the store. */
export interface MissingSample {
  model: string;
  scenario: string;
  sample: number;
  key: string;
}

export interface RegradedBaseline {
  baseline: Baseline;
  missing: MissingSample[];
}

/**
 * The first (model, scenario) of a baseline that has no usable store keys, as a JSON pointer
 * with what is wrong; null when every sample has a key. Baselines written before they kept keys
 * have none, and then only a run can be re-graded (promptgate regrade RUN_ID).
 */
export function baselineKeyProblem(baseline: Baseline): string | null {
  for (const [model, byScenario] of Object.entries(baseline.results)) {
    for (const [scenario, s] of Object.entries(byScenario)) {
      const at = `/results/${model}/${scenario}/keys`;
      if (!s.keys) return `${at}: missing (this baseline was written before baselines kept store keys)`;
      if (s.keys.length !== s.score.length) return `${at}: ${s.keys.length} keys for ${s.score.length} scores (expected one key per sample)`;
      const i = s.keys.findIndex((k) => k === null);
      if (i >= 0) return `${at}/${i}: null (the sample's output was never stored)`;
    }
  }
  return null;
}

/**
 * The baseline with every sample graded again, by `grading`, from the store by its key: overall
 * score, pass and each grader's result, and the graders' version `gradersVersion`. Everything
 * else (run, prompt, policy, models, scenarios, keys) is kept. Nothing is graded when an output
 * is missing. The caller checks the keys first (baselineKeyProblem) and that every scenario is
 * still in the dataset (the scenario-aware graders need it).
 */
export async function regradeBaseline(baseline: Baseline, store: ResponseStore, scenarios: ReadonlyMap<string, Scenario>, grading: Grading, gradersVersion: string): Promise<RegradedBaseline> {
  const problem = baselineKeyProblem(baseline);
  if (problem) throw new Error(`regradeBaseline: ${problem}`);
  const samples = Object.entries(baseline.results).flatMap(([model, byScenario]) =>
    Object.entries(byScenario).flatMap(([scenario, s]) => s.keys!.map((key, sample) => ({ model, scenario, sample, key: key! }))),
  );
  const missing = samples.filter((s) => !store.has(s.key));
  if (missing.length) return { baseline, missing };
  const graded = await inWindow(samples, async (s) => {
    const stored = store.get(s.key);
    if (!stored) return (missing.push(s), null); // unreadable (a warning said why)
    const before = previousTurnId(s.scenario);
    const previousKey = before === null ? undefined : baseline.results[s.model]?.[before]?.keys?.[s.sample];
    return grading.grade(stored.completion.text, withPrevious(scenarios.get(s.scenario) ?? null, previousKey ? store.get(previousKey)?.completion.text : undefined));
  });
  if (missing.length) return { baseline, missing };

  const results: Baseline['results'] = {};
  let i = 0;
  for (const [model, byScenario] of Object.entries(baseline.results)) {
    results[model] = {};
    for (const [scenario, old] of Object.entries(byScenario)) {
      const grades = old.keys!.map(() => graded[i++]!);
      const graders: BaselineSamples['graders'] = {};
      for (const g of [...new Set(grades.flatMap((x) => Object.keys(x.grades)))].sort()) {
        const mine = grades.map((x) => x.grades[g]).filter((x) => x !== undefined);
        graders[g] = { pass: mine.map((x) => x.pass), score: mine.map((x) => x.score) };
      }
      results[model][scenario] = { score: grades.map((x) => x.score), pass: grades.map((x) => x.pass), keys: old.keys, graders };
    }
  }
  return { baseline: { ...baseline, gradersVersion, results }, missing: [] };
}

/** `work` over every item, at most WINDOW at once (outputs read and waiting for grading), in order. */
async function inWindow<T, R>(items: readonly T[], work: (item: T) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array(items.length);
  let next = 0;
  const lane = async () => {
    while (next < items.length) {
      const i = next++;
      out[i] = await work(items[i]!);
    }
  };
  await Promise.all(Array.from({ length: Math.min(WINDOW, items.length) }, lane));
  return out;
}
