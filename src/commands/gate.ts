// `promptgate gate`: compare a run with the committed baseline and fail (exit 1) on a
// regression. The decision is src/gate/gate.ts, a pure function; this command only resolves
// the inputs at the edge (files, --policy, $GITHUB_STEP_SUMMARY), prints the verdict as
// markdown, keeps a copy in the run folder (gate.md, gate.json: CI uploads the folder and
// posts the comment from it), and maps the verdict to an exit code.

import { appendFileSync, realpathSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DEFAULT_POLICY } from '../../graders/grade.ts';
import { gradersVersion } from '../../graders/version.ts';
import type { CommandModule } from '../cli.ts';
import { CheckFailed, UsageError } from '../errors.ts';
import { DEFAULT_BASELINE, readBaseline } from '../gate/baseline.ts';
import { gate } from '../gate/gate.ts';
import { verdictMarkdown } from '../gate/markdown.ts';
import { gradePolicyOf, readPolicyFile, suiteGatePolicy } from '../gate/policy.ts';
import { DEFAULT_RUNS, loadRun } from '../gate/runs.ts';

export const usage = `Usage: promptgate gate [--run RUN_ID|latest] [--baseline FILE] [--policy FILE] [--version V] [--json]

Compare a run with the baseline, per model, paired by scenario: the mean score difference with a
seeded 95% bootstrap CI and a one-sided permutation p-value. Fails when a model's mean falls by
more than maxDrop (0.03) with p ≤ alpha (0.05), when a hard grader's pass rate falls by more
than its allowance (points), or when the run has no graded output. Prints a markdown verdict,
appends it to $GITHUB_STEP_SUMMARY when set, and writes gate.md and gate.json into the run.

Options:
  --run RUN_ID|latest  the candidate run (default: latest); a run folder's path also works
  --runs DIR           where run ids are looked up (default: ${DEFAULT_RUNS})
  --baseline FILE      the baseline (default: ${DEFAULT_BASELINE}; make it with promptgate baseline update)
  --policy FILE        the gate policy: a suite file (its gate: section) or a file with maxDrop,
                       alpha, minSamples, hard (default: the suite the run used, from run.json)
  --version V          the run's prompt version to compare (default: the newest in the run)
  --json               print the verdict object instead of markdown
  -h, --help           show this help

Exit codes: 0 pass, 1 a regression (or nothing graded), 2 bad input or runs that cannot be
compared (other prompt, graders, grading policy or scenarios; the line says how to fix it).
`;

export const options: CommandModule['options'] = {
  run: { type: 'string', default: 'latest' },
  runs: { type: 'string', default: DEFAULT_RUNS },
  baseline: { type: 'string', default: DEFAULT_BASELINE },
  policy: { type: 'string' },
  version: { type: 'string' },
  json: { type: 'boolean' },
};

export const run: CommandModule['run'] = async (positionals, values, io) => {
  if (positionals.length) throw new UsageError(`gate: unexpected "${positionals[0]}" (the run is --run RUN_ID; see promptgate gate --help)`);
  const str = (k: string) => values[k] as string | undefined;
  const { dir, results, meta } = loadRun(str('runs')!, str('run')!);
  const baselineFile = str('baseline')!;
  const baseline = readBaseline(baselineFile);
  const suite = meta?.suite;
  const policy = str('policy') ? readPolicyFile(str('policy')!, suite?.graders?.hard ?? DEFAULT_POLICY.hard) : suiteGatePolicy(suite, meta?.suiteFile ?? results.suite.file);
  const verdict = gate(results, baseline, policy, {
    ...(str('version') && { version: str('version') }),
    ...(suite && { gradePolicy: gradePolicyOf(suite) }),
    currentGraders: gradersVersion(),
    baselineFile,
  });

  const markdown = verdictMarkdown(verdict);
  io.out(values.json ? `${JSON.stringify(verdict, null, 2)}\n` : markdown);
  const summary = process.env.GITHUB_STEP_SUMMARY;
  if (summary) appendFileSync(summary, `${markdown}\n`);
  const runDir = realpathSync(dir);
  writeFileSync(join(runDir, 'gate.md'), markdown);
  writeFileSync(join(runDir, 'gate.json'), `${JSON.stringify(verdict, null, 2)}\n`);

  if (verdict.status === 'refused') throw new UsageError(verdict.refusal!);
  if (verdict.status === 'fail') {
    const [first, ...more] = verdict.reasons;
    throw new CheckFailed(`gate failed: ${first}${more.length ? ` (and ${more.length} more reason${more.length > 1 ? 's' : ''} above)` : ''}`);
  }
};
