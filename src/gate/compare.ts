// The gate as a library call, for `eval` to compare a fresh run with the committed baseline at
// its end ("npm run eval compares with the baseline automatically when one exists, and says
// so"). It never throws for an incomparable run — the verdict says "refused" and why — so an
// eval is never lost to a stale baseline; a baseline file that is not valid JSON or fails its
// schema is a UsageError naming the file, as everywhere else.

import { existsSync } from 'node:fs';
import { gradersVersion } from '../../graders/version.ts';
import type { Results } from '../runner/results.ts';
import type { Suite } from '../suite/schema.ts';
import { readBaseline } from './baseline.ts';
import { gate, type Verdict } from './gate.ts';
import { verdictMarkdown } from './markdown.ts';
import { gradePolicyOf, suiteGatePolicy } from './policy.ts';

/**
 * Compare `results` with the baseline in `baselineFile` under the suite's gate policy.
 * Returns null when there is no baseline file. `markdown` is the same text `promptgate gate`
 * prints. `unrelated` says why the run has nothing to do with the baseline (another prompt,
 * graders or scenarios, none of its models): a local experiment, to be told so once and quietly,
 * not shown a gate FAIL.
 */
export function compareWithBaseline(results: Results, baselineFile: string, suite?: Suite): { verdict: Verdict; markdown: string; unrelated: string | null } | null {
  if (!existsSync(baselineFile)) return null;
  const baseline = readBaseline(baselineFile);
  const policy = suiteGatePolicy(suite, results.suite.file);
  const verdict = gate(results, baseline, policy, {
    ...(suite && { gradePolicy: gradePolicyOf(suite) }),
    currentGraders: gradersVersion(),
    baselineFile,
  });
  const shared = baseline.models.some((m) => results.suite.models.includes(m.id));
  const unrelated = verdict.status === 'refused' ? verdict.refusal!.replace(/^[^:]*: /, '').split(';')[0]! : shared ? null : `none of its models (${baseline.models.map((m) => m.id).join(', ')}) ran`;
  return { verdict, markdown: verdictMarkdown(verdict), unrelated };
}
