// `promptgate regrade RUN_ID`: grade a run's stored outputs again with the current graders,
// calling no model, into a NEW run (a new id next to the original, with run.json, journal.jsonl
// and results.json; reports/latest points at it). A new run rather than in place: a run is a
// record of what the graders of its day said — the baseline names its run, and overwriting it
// would silently change what that name means. `promptgate baseline update` then takes the
// re-graded run (it is the latest).
//
// `promptgate regrade --baseline [FILE]`: grade the baseline's outputs again from the store by
// the keys the baseline keeps, and rewrite the baseline (scores, passes, graders' version). No
// run folder needed — run folders are git-ignored, so in CI, after a grader change in a pull
// request, the committed baseline plus the cached store are all there is. In place, unlike a
// run: the baseline is the repository's current yardstick, not a record, and its diff in the
// pull request shows what the grader change did to it.

import { existsSync, mkdirSync, realpathSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { gradersVersion } from '../../graders/version.ts';
import type { CommandModule, IO } from '../command.ts';
import { loadScenarios } from '../dataset/load.ts';
import { UsageError } from '../errors.ts';
import { readYaml } from '../files.ts';
import { table } from '../format.ts';
import { formatBaseline, readBaseline, type Baseline } from '../gate/baseline.ts';
import { gradePolicyOf } from '../gate/policy.ts';
import { baselineKeyProblem, regradeBaseline, regradeCells } from '../gate/regrade.ts';
import { loadRun } from '../gate/runs.ts';
import { projectPath } from '../project/paths.ts';
import { applyCellChecks, prepareGraderSet } from '../../graders/generic/set.ts';
import { graderSetOf } from '../suite/load.ts';
import { Journal } from '../runner/journal.ts';
import { gradeCacheFor, Grading } from '../runner/grading.ts';
import type { CellResult, Results } from '../runner/results.ts';
import { buildResults, newRunId, referenceResults, runDir, writeResults, writeRunMeta, type RunMeta } from '../runner/run.ts';
import { FsStore } from '../runner/store.ts';
import { turnScenarios } from '../dataset/turns.ts';

// The project's folders (src/project/), from any subfolder.
const DEFAULT_STORE = projectPath('store');
const DEFAULT_RUNS = projectPath('runs');
const DEFAULT_BASELINE = projectPath('baseline');

export const usage = `Usage: promptgate regrade RUN_ID|latest [--store DIR] [--runs DIR]
       promptgate regrade --baseline [FILE] [--store DIR] [--out FILE]

Grade stored outputs again with the current graders, without calling any model.

A run: into a new run (a new id beside the original; the original is left as it was). Use it
after changing a grader, then refresh the baseline:

  promptgate regrade <baseline run> && promptgate baseline update

The baseline (--baseline): its outputs are read from the store by the store keys the baseline
keeps, and the baseline file is rewritten with the new grades and graders' version. No run
folder is needed, so CI can re-grade the committed baseline after a grader change.

Options:
  --baseline    re-grade a baseline file (default: ${DEFAULT_BASELINE}) instead of a run
  --out FILE    (--baseline) where to write the re-graded baseline (default: over FILE)
  --runs DIR    where run ids are looked up (default: ${DEFAULT_RUNS})
  --store DIR   the response store (default: the suite's store, else ${DEFAULT_STORE})
  --json        print the outcome (files written, graders' versions, mean before/after) as JSON
  -h, --help    show this help

Exit codes: 0 re-graded, 2 bad input (no such run or baseline, a baseline without store keys,
outputs missing from the store, a scenario no longer in the dataset).
`;

export const options: CommandModule['options'] = {
  runs: { type: 'string', default: DEFAULT_RUNS },
  store: { type: 'string' },
  baseline: { type: 'boolean' },
  out: { type: 'string' },
  json: { type: 'boolean' },
};

export const run: CommandModule['run'] = async (positionals, values, io) => {
  const [ref, ...extra] = positionals;
  if (values.baseline) {
    if (extra.length) throw new UsageError(`regrade --baseline: one baseline file at a time; unexpected "${extra[0]}"`);
    return regradeBaselineFile(ref ?? DEFAULT_BASELINE, (values.out as string | undefined) ?? ref ?? DEFAULT_BASELINE, values.store as string | undefined, io, values.json === true);
  }
  if (values.out !== undefined) throw new UsageError('regrade: --out goes with --baseline (a run is re-graded into a new run)');
  if (!ref) throw new UsageError('regrade: missing the run to re-grade (promptgate regrade RUN_ID, or promptgate regrade --baseline)');
  if (extra.length) throw new UsageError(`regrade: one run at a time; unexpected "${extra[0]}"`);
  const { dir, results, meta } = loadRun(values.runs as string, ref);
  if (!meta) throw new UsageError(`${join(dir, 'run.json')}: missing; regrade needs the run's plan (its suite and scenarios)`);
  const storeDir = (values.store as string | undefined) ?? meta.suite.store ?? DEFAULT_STORE;
  const store = new FsStore(storeDir, (w) => io.err(`warning: ${w}\n`));

  const scenarios = datasetScenarios(results.suite.scenarios, `run ${results.runId}`);

  const policy = await prepareGraderSet(gradePolicyOf(meta.suite), meta.suiteFile);
  const grades = gradeCacheFor(store, (w) => io.err(`warning: ${w}\n`));
  const grading = new Grading({ policy, cache: grades, expected: results.cells.length, warn: (w) => io.err(`warning: ${w}\n`) });
  let regraded: Awaited<ReturnType<typeof regradeCells>>;
  let references: CellResult[];
  try {
    regraded = await regradeCells(results.cells, store, scenarios, grading);
    references = meta.suite.references === false ? [] : await referenceResults(meta.scenarios.map((id) => scenarios.get(id)!).filter(Boolean), projectPath('references'), grading, meta.suite.prompt);
  } finally {
    await grading.close();
    grades.close?.();
  }
  const { cells, missing } = regraded;
  if (missing.length) {
    throw new UsageError(`${storeDir}: ${missing.length} output(s) of run ${results.runId} are not in the store (first: ${missing[0]!.id}, key ${missing[0]!.storeKey}); point --store at the store the run used`);
  }

  const out = dirname(realpathSync(dir));
  const fresh: RunMeta & { regradedFrom: string } = { ...meta, runId: newRunId(), startedAt: new Date().toISOString(), regradedFrom: results.runId };
  const target = runDir(out, fresh.runId);
  writeRunMeta(target, fresh);
  const journal = new Journal(join(target, 'journal.jsonl'));
  try {
    for (const c of cells) journal.append(c);
  } finally {
    journal.close();
  }
  const after = buildResults(fresh, [...cells, ...references].map((c) => applyCellChecks(c, policy)), results.totals.pending, results.status, 0);
  const file = writeResults(out, after);

  const same = results.gradersVersion === after.gradersVersion;
  if (values.json) {
    const regraded = cells.filter((c) => c.score !== null).length;
    io.out(`${JSON.stringify({ file, run: fresh.runId, regradedFrom: results.runId, gradersBefore: results.gradersVersion, gradersAfter: after.gradersVersion, regraded, models: meanRows(results, after) }, null, 2)}\n`);
    return;
  }
  io.out(`${same ? `graders unchanged since run ${results.runId} (${after.gradersVersion}); ` : `graders ${results.gradersVersion} → ${gradersVersion()}; `}re-graded ${cells.filter((c) => c.score !== null).length} stored outputs, no model called\n\n`);
  io.out(changes(results, after));
  io.out(`\nwrote ${file} (run ${fresh.runId}, re-graded from ${results.runId})\nnext, if this was the baseline's run: promptgate baseline update --run ${fresh.runId}\n`);
};

function meanRows(before: Results, after: Results) {
  const key = (s: Results['summary'][number]) => `${s.version}\u0000${s.model}`;
  const old = new Map(before.summary.map((s) => [key(s), s]));
  return after.summary.map((s) => ({ version: s.version, model: s.label, meanBefore: old.get(key(s))?.meanScore ?? null, meanAfter: s.meanScore ?? null }));
}

function changes(before: Results, after: Results): string {
  const f = (x: number | null) => (x === null ? '–' : x.toFixed(3));
  return table(['version', 'model', 'mean before', 'mean after'], meanRows(before, after).map((r) => [r.version, r.model, f(r.meanBefore), f(r.meanAfter)]));
}

async function regradeBaselineFile(file: string, out: string, storeOption: string | undefined, io: IO, json: boolean): Promise<void> {
  const before = readBaseline(file);
  const problem = baselineKeyProblem(before);
  if (problem) {
    throw new UsageError(`${file}: ${problem}; regrade --baseline reads each sample's output by its store key — remake the baseline with promptgate baseline update (after promptgate regrade <its run>, if the graders changed)`);
  }
  const storeDir = storeOption ?? suiteStore(before.suite.file) ?? DEFAULT_STORE;
  const store = new FsStore(storeDir, (w) => io.err(`warning: ${w}\n`));
  const scenarios = datasetScenarios([...new Set([...before.scenarios, ...Object.values(before.results).flatMap(Object.keys)])], `${file}`);

  const samples = Object.values(before.results).reduce((n, byScenario) => n + Object.values(byScenario).reduce((k, s) => k + s.score.length, 0), 0);
  const grades = gradeCacheFor(store, (w) => io.err(`warning: ${w}\n`));
  // A baseline keeps weights, hard graders and threshold; the suite says which graders (checks, modules).
  const policy = await prepareGraderSet({ ...before.gradePolicy, ...graderSetOf(before.suite.file) }, before.suite.file);
  const grading = new Grading({ policy, cache: grades, expected: samples, warn: (w) => io.err(`warning: ${w}\n`) });
  let regraded: Awaited<ReturnType<typeof regradeBaseline>>;
  try {
    regraded = await regradeBaseline(before, store, scenarios, grading, gradersVersion());
  } finally {
    await grading.close();
    grades.close?.();
  }
  const { baseline: after, missing } = regraded;
  if (missing.length) {
    const m = missing[0]!;
    throw new UsageError(
      `${storeDir}: ${missing.length} of the baseline's ${samples} outputs are not in the store (first: ${m.model} ${m.scenario} sample ${m.sample}, key ${m.key}); ` +
        `point --store at the store the baseline's run used (in CI: the store cache the baseline workflow saved)`,
    );
  }
  mkdirSync(dirname(out), { recursive: true });
  writeFileSync(out, formatBaseline(after));

  const same = before.gradersVersion === after.gradersVersion;
  if (json) {
    io.out(`${JSON.stringify({ file: out, from: file, prompt: after.prompt.id, version: after.prompt.version, run: after.run, gradersBefore: before.gradersVersion, gradersAfter: after.gradersVersion, samples }, null, 2)}\n`);
    return;
  }
  io.out(`${same ? `graders unchanged (${after.gradersVersion}); ` : `graders ${before.gradersVersion} → ${after.gradersVersion}; `}re-graded the baseline's ${samples} stored outputs, no model called\n\n`);
  io.out(baselineChanges(before, after));
  io.out(`\nwrote ${out}${out === file ? '' : ` (from ${file})`}: ${after.prompt.id} ${after.prompt.version}, run ${after.run}; commit it with the grader change\n`);
}

/** The scenarios, by id, from datasets/scenarios; every id in `ids` must still be there. */
function datasetScenarios(ids: readonly string[], what: string) {
  const { scenarios: all, problems } = loadScenarios();
  if (problems.length) throw new UsageError(problems[0]!);
  // Later turns of multi-turn scenarios go by <id>@t<k> (dataset/turns.ts).
  const scenarios = turnScenarios(all);
  const gone = ids.filter((id) => !scenarios.has(id));
  if (gone.length) throw new UsageError(`${what}: scenario ${gone[0]} is no longer in datasets/scenarios; the scenario-aware graders need it`);
  return scenarios;
}

/** The store a suite file names, when the file is still there and names one. */
function suiteStore(file: string): string | undefined {
  if (!existsSync(file)) return undefined;
  const data = readYaml(file);
  const store = data !== null && typeof data === 'object' ? (data as { store?: unknown }).store : undefined;
  return typeof store === 'string' ? store : undefined;
}

function baselineChanges(before: Baseline, after: Baseline): string {
  const f = (xs: number[]) => (xs.length ? (xs.reduce((a, b) => a + b, 0) / xs.length).toFixed(3) : '–');
  const pct = (xs: boolean[]) => (xs.length ? `${Math.round((100 * xs.filter(Boolean).length) / xs.length)}%` : '–');
  const rows = after.models.map((m) => {
    const old = Object.values(before.results[m.id] ?? {});
    const fresh = Object.values(after.results[m.id] ?? {});
    const changed = fresh.reduce((n, s, i) => n + s.score.filter((x, j) => x !== old[i]?.score[j]).length, 0);
    return [m.label, f(old.flatMap((s) => s.score)), f(fresh.flatMap((s) => s.score)), pct(old.flatMap((s) => s.pass)), pct(fresh.flatMap((s) => s.pass)), String(changed)];
  });
  return table(['model', 'mean before', 'mean after', 'pass before', 'pass after', 'samples changed'], rows);
}
