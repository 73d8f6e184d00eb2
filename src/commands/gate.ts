// `promptgate gate`: compare a run with the committed baseline (or its same-day control) and
// fail (exit 1) on a regression or missing data, exit 4 when it cannot decide. The decision is
// src/gate/gate.ts, a pure function; this command only resolves the inputs at the edge (files,
// --policy, $GITHUB_STEP_SUMMARY), runs a planned second batch when asked (--escalate), prints
// the verdict as markdown, keeps a copy in the run folder (gate.md, gate.json: CI uploads the
// folder and posts the comment from it), and maps the verdict to an exit code.

import { appendFileSync, existsSync, readdirSync, realpathSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DEFAULT_POLICY } from '../../graders/grade.ts';
import { gradersVersion } from '../../graders/version.ts';
import type { CommandModule, IO } from '../command.ts';
import { CheckFailed, Inconclusive, UsageError } from '../errors.ts';
import { readBaseline } from '../gate/baseline.ts';
import { gate, type Verdict } from '../gate/gate.ts';
import { verdictMarkdown } from '../gate/markdown.ts';
import { gradePolicyOf, readPolicyFile, suiteGatePolicy } from '../gate/policy.ts';
import { loadRun, type LoadedRun } from '../gate/runs.ts';
import { projectPath } from '../project/paths.ts';
import { prepareGraderSet } from '../../graders/generic/set.ts';

// The project's folders (src/project/), from any subfolder.
const DEFAULT_RUNS = projectPath('runs');
const DEFAULT_BASELINE = projectPath('baseline');

export const usage = `Usage: promptgate gate [--run RUN_ID|latest] [--baseline FILE] [--policy FILE] [--version V] [--escalate] [--json]

Compare a run with the baseline — or with its same-day control cells (eval --control) — per
model, on the scenarios both sides graded. One family of tests per check, sharing alpha (0.05):
  mean score    FAIL on a significant drop (one-sided permutation test of the samples, stratified
                by scenario); PASS when the drop is shown to be under maxDrop; else INCONCLUSIVE
  hard graders  FAIL when the pass rate fell by more than the allowance (points) AND an exact test
                stratified by scenario says the fall is significant; a fall that is not, is a warning
  missing data  a scenario without graded candidate samples, or more than maxMissing (5%) of a
                model's cells errored, refused or not run: INCOMPLETE, never a pass
Prints a markdown verdict, appends it to $GITHUB_STEP_SUMMARY when set, and writes gate.md and
gate.json into the run.

Options:
  --run RUN_ID|latest  the candidate run (default: latest); a run folder's path also works
  --runs DIR           where run ids are looked up (default: ${DEFAULT_RUNS})
  --baseline FILE      the baseline (default: ${DEFAULT_BASELINE}; make it with promptgate baseline update)
  --policy FILE        the gate policy: a suite file (its gate: section) or a file with maxDrop,
                       alpha, hard, ... (default: the suite the run used, from run.json)
  --version V          the run's prompt version to compare (default: the newest in the run)
  --escalate           when INCONCLUSIVE and the suite plans a second batch (gate.escalate), run
                       it (eval: the same cells with more samples; stored ones are not paid again)
                       and test again with the rest of alpha
  --json               print the verdict object instead of markdown
  -h, --help           show this help

Exit codes: 0 pass; 1 FAIL, INCOMPLETE, or INCONCLUSIVE when the suite says onInconclusive: fail;
4 INCONCLUSIVE (onInconclusive: pass, or a planned second batch not run yet): let it pass with a
warning; 2 bad input or runs that cannot be compared (other prompt, graders, grading policy or
scenarios; the line says how to fix it).
`;

export const options: CommandModule['options'] = {
  run: { type: 'string', default: 'latest' },
  runs: { type: 'string', default: DEFAULT_RUNS },
  baseline: { type: 'string', default: DEFAULT_BASELINE },
  policy: { type: 'string' },
  version: { type: 'string' },
  escalate: { type: 'boolean' },
  json: { type: 'boolean' },
};

export const run: CommandModule['run'] = async (positionals, values, io) => {
  if (positionals.length) throw new UsageError(`gate: unexpected "${positionals[0]}" (the run is --run RUN_ID; see promptgate gate --help)`);
  const str = (k: string) => values[k] as string | undefined;
  const runs = str('runs')!;
  const baselineFile = str('baseline')!;
  const baseline = readBaseline(baselineFile);
  let loaded = loadRun(runs, str('run')!);
  const suite = loaded.meta?.suite;
  // A suite's own checks and grader modules: known by id, so they can be hard graders of the gate.
  if (suite) await prepareGraderSet(gradePolicyOf(suite), loaded.meta!.suiteFile);
  const policy = str('policy') ? readPolicyFile(str('policy')!, suite?.graders?.hard ?? DEFAULT_POLICY.hard) : suiteGatePolicy(suite, loaded.meta?.suiteFile ?? loaded.results.suite.file);
  const judge = (stage: 1 | 2) =>
    gate(loaded.results, baseline, policy, {
      ...(str('version') && { version: str('version') }),
      ...(suite && { gradePolicy: gradePolicyOf(suite) }),
      currentGraders: gradersVersion(),
      baselineFile,
      stage,
    });
  let verdict = judge(1);
  if (verdict.outcome === 'escalate' && values.escalate) {
    io.err(`gate: INCONCLUSIVE on the first batch; running the planned second batch (${policy.escalate!.samples} more sample(s) per cell)\n`);
    const next = await secondBatch(loaded, verdict.run.version!, policy.escalate!.samples, runs, io);
    loaded = loadRun(runs, next);
    verdict = judge(2);
  }
  report(verdict, loaded.dir, Boolean(values.json), io);

  if (verdict.status === 'refused') throw new UsageError(verdict.refusal!);
  const [first, ...more] = verdict.reasons.length ? verdict.reasons : verdict.warnings;
  const rest = more.length ? ` (and ${more.length} more above)` : '';
  if (verdict.outcome === 'fail') throw new CheckFailed(`gate ${verdict.status === 'fail' ? 'failed' : verdict.status.toUpperCase()}: ${first ?? 'see the verdict above'}${rest}`);
  if (verdict.outcome === 'escalate') throw new Inconclusive(`gate INCONCLUSIVE: ${first ?? 'see the verdict above'}${rest}; the suite plans a second batch: promptgate gate --run ${verdict.run.id} --escalate`);
  if (verdict.status === 'inconclusive') throw new Inconclusive(`gate INCONCLUSIVE (onInconclusive: pass): ${first ?? 'see the verdict above'}${rest}`);
};

function report(verdict: Verdict, dir: string, json: boolean, io: IO): void {
  const markdown = verdictMarkdown(verdict);
  io.out(json ? `${JSON.stringify(verdict, null, 2)}\n` : markdown);
  const summary = process.env.GITHUB_STEP_SUMMARY;
  if (summary) appendFileSync(summary, `${markdown}\n`);
  const runDir = realpathSync(dir);
  writeFileSync(join(runDir, 'gate.md'), markdown);
  writeFileSync(join(runDir, 'gate.json'), `${JSON.stringify(verdict, null, 2)}\n`);
}

/**
 * The planned second batch: the same cells (version, models, scenarios, control or not) with
 * `extra` more samples each, as a new run — the first batch's samples come from the store, so
 * only the new ones are paid. Returns the new run's id.
 */
async function secondBatch(first: LoadedRun, version: string, extra: number, runs: string, io: IO): Promise<string> {
  if (!first.meta) throw new UsageError(`${first.dir}: no run.json, so the second batch cannot be planned; re-run the eval`);
  const { results, meta } = first;
  const before = new Set(existsSync(runs) ? readdirSync(runs) : []);
  const evalCommand = await import('./eval.ts');
  await evalCommand.run(
    [],
    {
      suite: meta.suiteFile,
      versions: version,
      models: results.suite.models.join(','),
      scenarios: results.suite.scenarios.join(','),
      samples: String(results.suite.samples + extra),
      out: runs,
      ...(results.cells.some((c) => c.control) && { control: true }),
      'no-compare': true,
    },
    io,
  );
  const made = readdirSync(runs).filter((id) => !before.has(id)).sort().at(-1);
  if (!made) throw new UsageError(`gate --escalate: the second batch wrote no run in ${runs}`);
  return made;
}
