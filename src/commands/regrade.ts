// `promptgate regrade RUN_ID`: grade a run's stored outputs again with the current graders,
// calling no model, into a NEW run (a new id next to the original, with run.json, journal.jsonl
// and results.json; reports/latest points at it). A new run rather than in place: a run is a
// record of what the graders of its day said — the baseline names its run, and overwriting it
// would silently change what that name means. `promptgate baseline update` then takes the
// re-graded run (it is the latest).

import { realpathSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { gradersVersion } from '../../graders/version.ts';
import type { CommandModule } from '../cli.ts';
import { loadScenarios } from '../dataset/load.ts';
import { UsageError } from '../errors.ts';
import { table } from '../format.ts';
import { gradePolicyOf } from '../gate/policy.ts';
import { regradeCells } from '../gate/regrade.ts';
import { DEFAULT_RUNS, loadRun } from '../gate/runs.ts';
import { Journal } from '../runner/journal.ts';
import { gradeCacheFor, Grading } from '../runner/grading.ts';
import type { CellResult, Results } from '../runner/results.ts';
import { buildResults, newRunId, referenceResults, runDir, writeResults, writeRunMeta, type RunMeta } from '../runner/run.ts';
import { FsStore } from '../runner/store.ts';

export const usage = `Usage: promptgate regrade RUN_ID|latest [--store DIR] [--runs DIR]

Grade a run's stored outputs again with the current graders, without calling any model, into a
new run (a new id beside the original; the original is left as it was). Use it after changing
a grader, then refresh the baseline:

  promptgate regrade <baseline run> && promptgate baseline update

Options:
  --runs DIR    where run ids are looked up (default: ${DEFAULT_RUNS})
  --store DIR   the response store (default: the run's suite store, else .promptgate/store)
  -h, --help    show this help

Exit codes: 0 re-graded, 2 bad input (no such run, no run.json, outputs missing from the store).
`;

export const options: CommandModule['options'] = {
  runs: { type: 'string', default: DEFAULT_RUNS },
  store: { type: 'string' },
};

export const run: CommandModule['run'] = async (positionals, values, io) => {
  const [ref, ...extra] = positionals;
  if (!ref) throw new UsageError('regrade: missing the run to re-grade (promptgate regrade RUN_ID)');
  if (extra.length) throw new UsageError(`regrade: one run at a time; unexpected "${extra[0]}"`);
  const { dir, results, meta } = loadRun(values.runs as string, ref);
  if (!meta) throw new UsageError(`${join(dir, 'run.json')}: missing; regrade needs the run's plan (its suite and scenarios)`);
  const storeDir = (values.store as string | undefined) ?? meta.suite.store ?? '.promptgate/store';
  const store = new FsStore(storeDir, (w) => io.err(`warning: ${w}\n`));

  const { scenarios: all, problems } = loadScenarios();
  if (problems.length) throw new UsageError(problems[0]!);
  const scenarios = new Map(all.map((s) => [s.id, s]));
  const gone = results.suite.scenarios.filter((id) => !scenarios.has(id));
  if (gone.length) throw new UsageError(`run ${results.runId}: scenario ${gone[0]} is no longer in datasets/scenarios; the scenario-aware graders need it`);

  const policy = gradePolicyOf(meta.suite);
  const grades = gradeCacheFor(store, (w) => io.err(`warning: ${w}\n`));
  const grading = new Grading({ policy, cache: grades, expected: results.cells.length, warn: (w) => io.err(`warning: ${w}\n`) });
  let regraded: Awaited<ReturnType<typeof regradeCells>>;
  let references: CellResult[];
  try {
    regraded = await regradeCells(results.cells, store, scenarios, grading);
    references = meta.suite.references === false ? [] : await referenceResults(meta.scenarios.map((id) => scenarios.get(id)!).filter(Boolean), 'datasets/references', grading, meta.suite.prompt);
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
  const after = buildResults(fresh, [...cells, ...references], results.totals.pending, results.status, 0);
  const file = writeResults(out, after);

  const same = results.gradersVersion === after.gradersVersion;
  io.out(`${same ? `graders unchanged since run ${results.runId} (${after.gradersVersion}); ` : `graders ${results.gradersVersion} → ${gradersVersion()}; `}re-graded ${cells.filter((c) => c.score !== null).length} stored outputs, no model called\n\n`);
  io.out(changes(results, after));
  io.out(`\nwrote ${file} (run ${fresh.runId}, re-graded from ${results.runId})\nnext, if this was the baseline's run: promptgate baseline update --run ${fresh.runId}\n`);
};

function changes(before: Results, after: Results): string {
  const key = (s: Results['summary'][number]) => `${s.version}\u0000${s.model}`;
  const old = new Map(before.summary.map((s) => [key(s), s]));
  const f = (x: number | null | undefined) => (x === null || x === undefined ? '–' : x.toFixed(3));
  const rows = after.summary.map((s) => [s.version, s.label, f(old.get(key(s))?.meanScore), f(s.meanScore)]);
  return table(['version', 'model', 'mean before', 'mean after'], rows);
}
