// Re-grading a run's stored outputs with the current graders, without calling a model: after a
// grader change, the baseline's run is re-graded and the baseline refreshed, so the gate again
// compares scores the same graders produced. Every output comes from the response store by the
// cell's store key; a failed cell stays failed (it has no output), and a cell whose output is
// not in the store stops the regrade — a run half graded by old graders and half by new ones
// would be exactly the incomparable mixture the graders' version exists to prevent.

import type { Scenario } from '../dataset/schema.ts';
import { withoutEvidence } from '../runner/grade-cache.ts';
import type { Grading } from '../runner/grading.ts';
import type { CellResult } from '../runner/results.ts';
import type { ResponseStore } from '../runner/store.ts';

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
  const out: CellResult[] = new Array(models.length);
  let next = 0;
  const lane = async () => {
    while (next < models.length) {
      const i = next++;
      const cell = models[i]!;
      const stored = cell.status === 'error' || cell.storeKey === null ? null : store.get(cell.storeKey);
      if (!stored) {
        if (cell.status !== 'error' && cell.storeKey !== null) missing.push(cell); // unreadable (a warning said why)
        out[i] = cell;
        continue;
      }
      const graded = await grading.grade(stored.completion.text, scenarios.get(cell.scenario) ?? null);
      out[i] = { ...cell, cached: true, score: graded.score, pass: graded.pass, grades: withoutEvidence(graded), finishedAt: now.toISOString() };
    }
  };
  await Promise.all(Array.from({ length: WINDOW }, lane));
  return { cells: out, missing };
}
