// Grading a whole document: run every grader over one parse, then combine. The overall score is
// the weighted mean of the grader scores; the document passes when that score reaches the
// threshold and every hard grader passes. Defaults below; eval suites override them.

import { type Grade, type GraderContext } from './core.ts';
import { parseDocument, type Document } from './document.ts';
import { graders as allGraders } from './index.ts';

export interface GradePolicy {
  /** Weight per grader id; a grader missing here keeps its own default weight. */
  weights: Record<string, number>;
  /** Graders that must pass for the document to pass. */
  hard: string[];
  /** Minimum overall score for the document to pass. */
  passThreshold: number;
}

/**
 * Defaults: the document must reach 0.8 overall and must have all seven sections, the asked-for
 * length and a cost table that adds up — the three things the prompt states as hard requirements.
 */
export const DEFAULT_POLICY: GradePolicy = {
  weights: {},
  hard: ['sections', 'word-count', 'cost-table'],
  passThreshold: 0.8,
};

export interface DocumentGrade {
  score: number;
  pass: boolean;
  graders: Record<string, Grade>;
}

export function gradeDocument(input: string | Document, ctx: GraderContext = {}, policy: GradePolicy = DEFAULT_POLICY, graders = allGraders): DocumentGrade {
  const doc = typeof input === 'string' ? parseDocument(input) : input;
  const results: Record<string, Grade> = {};
  let weighted = 0;
  let total = 0;
  for (const g of graders) {
    if (g.needsScenario && !ctx.scenario) continue;
    const result = g.grade(doc, ctx);
    results[g.id] = result;
    const weight = policy.weights[g.id] ?? g.weight;
    weighted += weight * result.score;
    total += weight;
  }
  const score = total > 0 ? Math.round((weighted / total) * 1000) / 1000 : 0;
  const hardPass = policy.hard.every((id) => results[id]?.pass ?? true);
  return { score, pass: hardPass && score >= policy.passThreshold, graders: results };
}
