// `promptgate baseline update`: write reports/baseline.json from a run — the scores the gate
// compares pull requests with. Which prompt version becomes the baseline: --version, else the
// run's only version, else the newest version of the run that the registry marks released (a
// baseline is what is live; candidates are what a pull request proposes).

import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import semver from 'semver';
import type { CommandModule } from '../command.ts';
import { UsageError } from '../errors.ts';
import { checkOutputFile } from '../files.ts';
import { buildBaseline, describeVersions, formatBaseline } from '../gate/baseline.ts';
import { gradePolicyOf } from '../gate/policy.ts';
import { loadRun } from '../gate/runs.ts';
import { projectPath } from '../project/paths.ts';
import { DEFAULT_PROMPTS_DIR, loadRegistry } from '../registry/load.ts';
import type { Results } from '../runner/results.ts';

// The project's folders (src/project/), from any subfolder.
const DEFAULT_RUNS = projectPath('runs');
const DEFAULT_BASELINE = projectPath('baseline');

export const usage = `Usage: promptgate baseline update [--run RUN_ID|latest] [--version V] [--out FILE]

Write the baseline the gate compares runs with: suite, prompt id, version and sha256, models,
scenarios, graders' version and grading policy, and per (model, scenario) each sample's overall
score and pass and every grader's result. No documents: it is small and meant to be committed.

Options:
  --run RUN_ID|latest  the run to take it from (default: latest); a run folder's path also works
  --runs DIR           where run ids are looked up (default: ${DEFAULT_RUNS})
  --version V          the prompt version to take (default: the run's only version, else its
                       newest released version per the registry)
  --prompts DIR        the registry, to tell released versions (default: ${DEFAULT_PROMPTS_DIR})
  --out FILE           where to write it (default: ${DEFAULT_BASELINE})
  --json               print what was written as JSON on stdout (notes stay on stderr)
  -h, --help           show this help

After a grader change: promptgate regrade <baseline run> && promptgate baseline update.
Exit codes: 0 written, 2 bad input (no such run or version, nothing graded).
`;

export const options: CommandModule['options'] = {
  run: { type: 'string', default: 'latest' },
  runs: { type: 'string', default: DEFAULT_RUNS },
  version: { type: 'string' },
  prompts: { type: 'string', default: DEFAULT_PROMPTS_DIR },
  out: { type: 'string', default: DEFAULT_BASELINE },
  json: { type: 'boolean' },
};

export const run: CommandModule['run'] = async (positionals, values, io) => {
  const [action, ...extra] = positionals;
  if (action !== 'update') throw new UsageError(`baseline: expected "update", got ${action ? `"${action}"` : 'nothing'} (promptgate baseline update --run RUN_ID)`);
  if (extra.length) throw new UsageError(`baseline update: unexpected "${extra[0]}" (the run is --run RUN_ID)`);
  const str = (k: string) => values[k] as string | undefined;
  const { results, meta } = loadRun(str('runs')!, str('run')!);
  const version = str('version') ?? pickVersion(results, str('prompts')!);
  const baseline = buildBaseline(results, version, gradePolicyOf(meta?.suite));
  const file = str('out')!;
  checkOutputFile(file, '--out');
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, formatBaseline(baseline));

  const samples = Object.values(baseline.results).reduce((n, byScenario) => n + Object.values(byScenario).reduce((k, s) => k + s.score.length, 0), 0);
  if (results.status !== 'complete') io.err(`note: run ${results.runId} is ${results.status} (${results.totals.pending} cells not run, ${results.totals.errors} failed); the baseline holds what was graded\n`);
  if (values.json) {
    const summary = { file, prompt: baseline.prompt.id, version, sha256: baseline.prompt.sha256, run: results.runId, models: baseline.models.map((m) => m.label), scenarios: baseline.scenarios.length, samples, gradersVersion: baseline.gradersVersion };
    io.out(`${JSON.stringify(summary, null, 2)}\n`);
    return;
  }
  io.out(
    `wrote ${file}: ${baseline.prompt.id} ${version} (${baseline.prompt.sha256.slice(0, 8)}) from run ${results.runId}; ` +
      `${baseline.models.map((m) => m.label).join(', ')} × ${baseline.scenarios.length} scenarios, ${samples} graded samples, graders ${baseline.gradersVersion}\n` +
      `commit it so that pull requests are gated against it\n`,
  );
};

function pickVersion(results: Results, promptsDir: string): string {
  const versions = [...new Set(results.cells.filter((c) => c.provider !== 'reference' && c.score !== null).map((c) => c.version))];
  if (versions.length === 1) return versions[0]!;
  if (!versions.length) throw new UsageError(`run ${results.runId}: no graded model output (${describeVersions(results)}); nothing to make a baseline from`);
  const released = new Set(
    loadRegistry(promptsDir)
      .versions.filter((v) => v.meta.id === results.suite.prompt && v.meta.status === 'released')
      .map((v) => v.meta.version),
  );
  const newest = versions.filter((v) => released.has(v)).sort((a, b) => semver.rcompare(a, b))[0];
  if (!newest) throw new UsageError(`run ${results.runId} has versions ${versions.join(', ')} and none is released in ${promptsDir}; pick one with --version`);
  return newest;
}
