// Re-grading a run's stored outputs with the current graders, without calling a model: after a
// grader change, the baseline's run is re-graded and the baseline refreshed, so the gate again
// compares scores the same graders produced. Every output comes from the response store by the
// cell's store key; a failed cell stays failed (it has no output), and a cell whose output is
// not in the store stops the regrade — a run half graded by old graders and half by new ones
// would be exactly the incomparable mixture the graders' version exists to prevent.

import { gradeDocument, type GradePolicy } from '../../graders/grade.ts';
import type { Scenario } from '../dataset/schema.ts';
import type { CellResult } from '../runner/results.ts';
import type { ResponseStore } from '../runner/store.ts';

export interface Regraded {
  cells: CellResult[];
  /** Model cells with output whose output is not in the store. */
  missing: CellResult[];
}

/** The run's model cells re-graded (reference cells are left out: the caller grades them afresh). */
export function regradeCells(cells: readonly CellResult[], store: ResponseStore, scenarios: ReadonlyMap<string, Scenario>, policy: GradePolicy, now = new Date()): Regraded {
  const out: CellResult[] = [];
  const missing: CellResult[] = [];
  for (const cell of cells) {
    if (cell.provider === 'reference') continue;
    if (cell.status === 'error' || cell.storeKey === null) {
      out.push(cell);
      continue;
    }
    const stored = store.get(cell.storeKey);
    if (!stored) {
      missing.push(cell);
      continue;
    }
    const graded = gradeDocument(stored.completion.text, { scenario: scenarios.get(cell.scenario) ?? null }, policy);
    out.push({
      ...cell,
      cached: true,
      score: graded.score,
      pass: graded.pass,
      grades: Object.fromEntries(Object.entries(graded.graders).map(([id, g]) => [id, { pass: g.pass, score: g.score, reason: g.reason }])),
      finishedAt: now.toISOString(),
    });
  }
  return { cells: out, missing };
}
