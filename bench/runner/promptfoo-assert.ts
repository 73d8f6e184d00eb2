// promptfoo's side of the runner benchmark, grading: the same graders and default policy that
// promptgate runs on every output, as a promptfoo javascript assertion (loaded through tsx).

import { join } from 'node:path';
import { DEFAULT_POLICY, gradeDocument } from '../../graders/grade.ts';
import { resolveScenario } from '../../src/dataset/load.ts';
import type { Scenario } from '../../src/dataset/schema.ts';

const scenarios = new Map<string, Scenario>();

export default function grade(output: string, context: { vars: Record<string, unknown> }) {
  const id = String(context.vars.scenario);
  let scenario = scenarios.get(id);
  if (!scenario) scenarios.set(id, (scenario = resolveScenario(id, join(import.meta.dirname, '../../datasets/scenarios'))));
  const graded = gradeDocument(output, { scenario }, DEFAULT_POLICY);
  return { pass: graded.pass, score: graded.score, reason: `score ${graded.score}` };
}
