// Cost and latency ceilings per cell. They are facts of a cell (what the call cost, how long it
// took), not of its text, so they cannot be graded with the text: the grade cache is keyed by the
// text, and the same answer from the store keeps the latency it had. They are added to each
// graded cell's grades when results are built, and the cell's score and pass are recomputed with
// the same rule as graders/grade.ts (weighted mean; every hard grader must pass; the threshold).

import type { GradePolicy } from '../grade.ts';
import { checkId, isCellCheck, type CellCheck, type Check } from './schema.ts';

/** What a cell result holds that these checks read and write (src/runner/results.ts). */
export interface GradedCell {
  provider: string;
  costUsd: number | null;
  latencyMs: number | null;
  score: number | null;
  pass: boolean | null;
  grades: Record<string, { pass: boolean; score: number; reason: string }>;
}

export interface CellCheckOptions {
  checks: readonly Check[];
  policy: GradePolicy;
  /** A grader's own weight when the policy does not set one. */
  weightOf(id: string): number;
}

/** The cell with its cost and latency grades added (an ungraded or reference cell unchanged). */
export function withCellChecks<C extends GradedCell>(cell: C, o: CellCheckOptions): C {
  const checks = o.checks.filter(isCellCheck);
  if (!checks.length || cell.score === null || cell.provider === 'reference') return cell;
  const grades = { ...cell.grades };
  for (const check of checks) {
    const g = gradeCell(check, cell);
    if (g) grades[checkId(check)] = g;
  }
  let weighted = 0;
  let total = 0;
  for (const [id, g] of Object.entries(grades)) {
    const w = o.policy.weights[id] ?? o.weightOf(id);
    weighted += w * g.score;
    total += w;
  }
  const score = total > 0 ? Math.round((weighted / total) * 1000) / 1000 : 0;
  const pass = o.policy.hard.every((id) => grades[id]?.pass ?? true) && score >= o.policy.passThreshold;
  return { ...cell, grades, score, pass };
}

function gradeCell(check: CellCheck, cell: GradedCell): { pass: boolean; score: number; reason: string } | null {
  if (check.type === 'cost') {
    if (cell.costUsd === null) return { pass: false, score: 0, reason: `cost unknown (no price or token counts); ceiling $${check.maxUsd}` };
    const pass = cell.costUsd <= check.maxUsd;
    return { pass, score: pass ? 1 : round(check.maxUsd / cell.costUsd), reason: `$${cell.costUsd.toFixed(4)} ${pass ? 'within' : 'over'} the $${check.maxUsd} ceiling` };
  }
  // A cell with no latency (never timed) is not judged on it.
  if (cell.latencyMs === null) return null;
  const pass = cell.latencyMs <= check.maxMs;
  return { pass, score: pass ? 1 : round(check.maxMs / cell.latencyMs), reason: `${Math.round(cell.latencyMs)} ms ${pass ? 'within' : 'over'} the ${check.maxMs} ms ceiling` };
}

function round(x: number): number {
  return Math.round(Math.min(1, Math.max(0, x)) * 1000) / 1000;
}
