// Grading a whole document: run every grader over one parse, then combine. The overall score is
// the weighted mean of the grader scores; the document passes when that score reaches the
// threshold and every hard grader passes. Defaults below; eval suites override them.

import { type Grade, type GraderContext } from './core.ts';
import { parseDocument, type Document } from './document.ts';
import { graders as allGraders } from './index.ts';
import { checkDocumentSize, Deadline } from './limits.ts';

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

/**
 * Throws GradingLimit for a document over the size cap, or when parsing and grading it pass the
 * time limit (graders/limits.ts): checked between the parse's pieces and between graders.
 */
export function gradeDocument(input: string | Document, ctx: GraderContext = {}, policy: GradePolicy = DEFAULT_POLICY, graders = allGraders, deadline = new Deadline()): DocumentGrade {
  if (typeof input === 'string') checkDocumentSize(input);
  const doc = typeof input === 'string' ? parseDocument(input, deadline) : input;
  const results: Record<string, Grade> = {};
  let weighted = 0;
  let total = 0;
  for (const g of graders) {
    if (g.needsScenario && !ctx.scenario) continue;
    if (g.needsRevision && !(ctx.scenario as { revision?: unknown } | null | undefined)?.revision) continue;
    deadline.check(`grading ${g.id}`);
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
