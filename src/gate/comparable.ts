// Which runs the gate may compare with a baseline, and the one line that says how to fix it
// when it may not. Scores are comparable when they were produced the same way: the same prompt,
// the same graders (graders' version), the same grading policy (weights, hard graders, pass
// threshold), on scenarios the baseline has. The suite *file* need not be the same: a pull
// request's smoke run (4 scenarios, 1 sample) is compared with a baseline from the full suite on
// those 4 scenarios — one committed baseline serves both the PR gate and the nightly run.

import semver from 'semver';
import { canonicalJson } from '../canonical.ts';
import type { GradePolicy } from '../../graders/grade.ts';
import type { Results } from '../runner/results.ts';
import { DEFAULT_BASELINE, type Baseline } from './baseline.ts';

export interface ComparableOptions {
  /** The run's grading policy, when known (run.json); not checked when absent. */
  gradePolicy?: GradePolicy;
  /** The graders' version of the code now: says which side a regrade should refresh. */
  currentGraders?: string;
  /** The baseline's file name, for messages. */
  baselineFile?: string;
}

/** Why the run cannot be compared with the baseline (one line with the fix), or null. */
export function incomparable(results: Results, baseline: Baseline, opts: ComparableOptions = {}): string | null {
  const file = opts.baselineFile ?? DEFAULT_BASELINE;
  const run = results.runId;
  const out = file === DEFAULT_BASELINE ? '' : ` --out ${file}`;
  const update = (from?: string) => `promptgate baseline update${from ? ` --run ${from}` : ''}${out}`;
  if (results.suite.prompt !== baseline.prompt.id) {
    return `${file}: /prompt/id: the baseline is of prompt "${baseline.prompt.id}", run ${run} of "${results.suite.prompt}"; gate a run of "${baseline.prompt.id}", or make a baseline from this run: ${update(run)}`;
  }
  if (results.gradersVersion !== baseline.gradersVersion) {
    const fix =
      opts.currentGraders === results.gradersVersion
        ? `re-grade the baseline's run with the current graders and refresh the baseline: promptgate regrade ${baseline.run} && ${update()} (then commit ${file})`
        : opts.currentGraders === baseline.gradersVersion
          ? `re-grade this run with the current graders and gate that: promptgate regrade ${run} && promptgate gate`
          : `re-grade both with the current graders: promptgate regrade ${baseline.run} && ${update()}, then promptgate regrade ${run} && promptgate gate`;
    return `${file}: /gradersVersion: the graders changed (baseline graded by ${baseline.gradersVersion}, run ${run} by ${results.gradersVersion}), so the scores are not comparable; ${fix}`;
  }
  if (opts.gradePolicy) {
    const mine = normalise(opts.gradePolicy);
    if (canonicalJson(mine) !== canonicalJson(normalise(baseline.gradePolicy))) {
      return `${file}: /gradePolicy: run ${run} was graded with ${canonicalJson(mine)}, the baseline with ${canonicalJson(normalise(baseline.gradePolicy))}; give the suite the baseline's graders: section, or make a baseline from this run: ${update(run)}`;
    }
  }
  const extra = results.suite.scenarios.filter((s) => !baseline.scenarios.includes(s));
  if (extra.length) {
    return `${file}: /scenarios: run ${run} has scenarios the baseline lacks (${list(extra)}); run only the baseline's scenarios (eval --scenarios), or refresh the baseline from a run that has them: ${update('<run-id>')}`;
  }
  return null;
}

/** The version of the run to compare: the one asked for, else the newest (semver) in the run. */
export function candidateVersion(results: Results, wanted?: string): { version: string | null; problem: string | null } {
  const versions = [...new Set(results.cells.filter((c) => c.provider !== 'reference').map((c) => c.version))];
  if (wanted) {
    return versions.includes(wanted)
      ? { version: wanted, problem: null }
      : { version: null, problem: `--version ${wanted}: run ${results.runId} has no output of that version (${versions.length ? `it has ${versions.join(', ')}` : 'it has no model output'})` };
  }
  const newest = versions.sort((a, b) => (semver.valid(a) && semver.valid(b) ? semver.rcompare(a, b) : b.localeCompare(a, 'en', { numeric: true })))[0];
  return { version: newest ?? null, problem: null };
}

function normalise(p: Pick<GradePolicy, 'weights' | 'hard' | 'passThreshold'>) {
  return { weights: p.weights, hard: [...p.hard].sort(), passThreshold: p.passThreshold };
}

export function list(items: readonly string[], max = 4): string {
  return items.length > max ? `${items.slice(0, max).join(', ')} and ${items.length - max} more` : items.join(', ');
}
