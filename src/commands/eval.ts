// `promptgate eval`: run the selected prompt versions against the scenarios on every model,
// grade every output, and leave a complete, resumable record in reports/runs/<run-id>/.

import { cachedInput, uncachedNotes } from '../providers/caching.ts';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { CommandModule, IO } from '../command.ts';
import { loadScenarios, selectScenarios } from '../dataset/load.ts';
import { allTurns } from '../dataset/turns.ts';
import type { Scenario } from '../dataset/schema.ts';
import { CheckFailed, Interrupted, UsageError, WriteFailed } from '../errors.ts';
import { readBaseline } from '../gate/baseline.ts';
import { compareWithBaseline } from '../gate/compare.ts';
import { gradePolicyOf } from '../gate/policy.ts';
import { noModelSummary, notRunPlan } from '../report/plan.ts';
import { writeReports } from '../report/write.ts';
import { table } from '../format.ts';
import { createProvider } from '../providers/index.ts';
import { priceOf } from '../providers/prices.ts';
import type { Provider, ProviderConfig } from '../providers/types.ts';
import { cancelCommand, batchPollMs } from '../batch/command.ts';
import { batchMode } from '../batch/mode.ts';
import { BATCH_FACTOR, hasBatchApi } from '../batch/price.ts';
import { registryOrThrow, suiteVersions } from '../registry/load.ts';
import { credentialsFor } from '../runner/credentials.ts';
import { gradeCacheFor, Grading } from '../runner/grading.ts';
import { estimateCost } from '../runner/cell-result.ts';
import { execute, modelKey } from '../runner/execute.ts';
import { Journal, readJournal, type SkippedLine } from '../runner/journal.ts';
import { estimateTokens, modelLabel, planCells, type Cell, type ControlPlan } from '../runner/plan.ts';
import { Progress } from '../runner/progress.ts';
import { CellResultSchema, type CellResult, type Results } from '../runner/results.ts';
import { DEFAULT_RETRY } from '../runner/retry.ts';
import { buildResults, DEFAULT_OUT, DEFAULT_STORE, newRunId, readRunMeta, referenceResults, relocateRun, runDir, spentInJournal, writeResults, writeRunMeta, type RunMeta } from '../runner/run.ts';
import { parseShard, shardOf } from '../runner/shard.ts';
import { FsStore } from '../runner/store.ts';
import { errorReasons, failedModels } from '../runner/failures.ts';
import { folderProblem, startWriting, writeFailureLine } from '../runner/write-guard.ts';
import { configureWriteFaults, describeWriteFailure, isWriteFailure } from '../runner/write-failure.ts';
import { compileSchema } from '../validators.ts';
import { loadSuite } from '../suite/load.ts';
import { projectPath } from '../project/paths.ts';
import { applyCellChecks, prepareGraderSet } from '../../graders/generic/set.ts';
import type { Suite } from '../suite/schema.ts';

export const usage = `Usage: promptgate eval [options]

Run prompt versions × scenarios × models × samples, grade every output, and write
reports/runs/<run-id>/ (run.json, journal.jsonl, results.json). Stored responses are reused,
never paid for twice. Models without a key are skipped with a line saying how to enable them.

Options:
  --suite FILE              the suite (default: evals/default.yaml)
  --versions LIST           released, candidates, all, or versions (comma-separated)
  --models LIST             provider:model,... (e.g. anthropic:claude-sonnet-5-5,openai:gpt-5.6-terra)
  --scenarios IDS|tag:NAME  scenario ids (comma-separated), tag:NAME, or all
  --samples N               samples per cell
  --concurrency N           requests in flight per provider
  --max-cost USD            never let the estimated spend pass this
  --store DIR               response store folder
  --out DIR                 where runs are written (default: reports/runs)
  --control                 also sample the baseline's version (reports/baseline.json) fresh today, as
                            same-day control cells the gate compares the candidate with
                            (provider drift then cannot look like a regression); the cells are
                            keyed by the UTC day, so one nightly control serves that day's PRs
  --no-compare              do not compare with reports/baseline.json at the end (gate --escalate)
  --shard I/N               run only share I of N of the planned cells (balanced by estimated
                            tokens; every shard plans the same cells), for a CI matrix; then
                            promptgate merge RUN_DIR... makes one run of the shares
  --batch                   send the cells through the providers' batch APIs (half the price,
                            answers within 24 h; the suite's mode: batch does the same); Ctrl-C
                            leaves the batches running, and --resume (or the next eval) collects them
  --cancel-batches          cancel the open batches on the store (a run's, with --resume RUN_ID),
                            keeping the answers they had finished
  --dry-run                 print the plan (cells, stored, estimated tokens, live and batch USD) and stop
  --resume RUN_ID           continue an interrupted run (with --out DIR if it is not in reports/runs,
                            --store DIR if its store moved); the spend cap counts every invocation
  --json                    print results.json's totals and summary as JSON
  -h, --help                show this help

Keys come only from the environment: ANTHROPIC_API_KEY, OPENAI_API_KEY (or a suite's apiKeyEnv);
endpoints from the suite or ANTHROPIC_BASE_URL / OPENAI_BASE_URL.
Exit codes: 0 done, 1 a file could not be written (disk full, read-only: what was saved is kept,
--resume continues), 2 bad input, 130 interrupted by Ctrl-C or SIGTERM (finished cells are kept;
--resume continues).
Exit 1 also when every cell of a model failed (a revoked key, a broken gateway): the summary
lists the errors by reason with counts; --resume tries the failed cells again.
When the disk refuses a write, no new cell starts and the answers in flight are held in memory
and written again for PROMPTGATE_WRITE_RETRY_SECONDS (default 60): free space meanwhile and
nothing paid for is lost.
`;

// The project's files (src/project/), from any subfolder.
const BASELINE = projectPath('baseline');

export const options: CommandModule['options'] = {
  suite: { type: 'string', default: projectPath('suite') },
  versions: { type: 'string' },
  models: { type: 'string' },
  scenarios: { type: 'string' },
  samples: { type: 'string' },
  concurrency: { type: 'string' },
  'max-cost': { type: 'string' },
  store: { type: 'string' },
  out: { type: 'string' },
  control: { type: 'boolean' },
  'no-compare': { type: 'boolean' },
  shard: { type: 'string' },
  batch: { type: 'boolean' },
  'cancel-batches': { type: 'boolean' },
  'dry-run': { type: 'boolean' },
  resume: { type: 'string' },
  json: { type: 'boolean' },
};

export const run: CommandModule['run'] = async (positionals, values, io) => {
  if (positionals.length) throw new UsageError(`eval: unexpected "${positionals[0]}" (options start with --; see promptgate eval --help)`);
  const str = (k: string) => values[k] as string | undefined;
  const out = str('out');
  const warn = (w: string) => io.err(`warning: ${w}\n`);
  if (str('resume')) {
    // --store and --out may change on a resume: they say where the run and its answers are now.
    const conflicting = ['versions', 'models', 'scenarios', 'samples', 'concurrency', 'max-cost', 'control', 'shard'].filter((k) => values[k] !== undefined);
    if (conflicting.length) throw new UsageError(`eval --resume continues a run as it was planned; drop --${conflicting.join(', --')} (or start a new run)`);
  }
  // Test hook (write-failure.ts): injected disk faults, read here at the edge.
  configureWriteFaults(process.env.PROMPTGATE_TEST_WRITE_FAULT);
  const writeRetryMs = writeRetryWindow(process.env.PROMPTGATE_WRITE_RETRY_SECONDS);
  const dataset = loadScenarios();
  if (dataset.problems.length) throw new UsageError(dataset.problems[0]!);
  const meta = str('resume') ? relocateRun(readRunMeta(out ?? DEFAULT_OUT, str('resume')!), out ?? DEFAULT_OUT, str('store'), warn) : freshMeta(str('suite')!, values, dataset.scenarios);
  // --batch is part of the run's plan: run.json keeps it, so --resume goes on collecting batches.
  if (values.batch) meta.suite.mode = 'batch';
  const suite = meta.suite;
  const storeDir = suite.store ?? DEFAULT_STORE;
  // Before anything is paid for: a store that cannot be a folder would lose every answer.
  const storeProblem = folderProblem(storeDir);
  if (storeProblem) throw new UsageError(`${str('store') !== undefined ? '--store' : suite.store !== undefined ? `${meta.suiteFile}: /store` : 'the default store'} ${storeDir}: ${storeProblem}; expected a folder promptgate can write the response store in`);
  // The suite's grader set (graders/generic/set.ts): its modules loaded, its ids known to the reports and gate.
  const policy = await prepareGraderSet(gradePolicyOf(suite), meta.suiteFile);
  // Every turn of a multi-turn scenario is graded as its own scenario, <id>@t<k> (dataset/turns.ts).
  const scenarios = new Map(allTurns(dataset.scenarios).map((s) => [s.id, s as Scenario]));

  // Credentials at the edge: one line per model that cannot run live.
  const providers = new Map<string, Provider | null>();
  const configs = new Map<string, ProviderConfig | null>();
  for (const m of suite.models) {
    const { config, missing } = credentialsFor(m, process.env);
    if (missing) io.err(`${missing}\n`);
    providers.set(`${m.provider}:${m.model}`, config ? createProvider(config) : null);
    configs.set(`${m.provider}:${m.model}`, config);
  }
  const store = new FsStore(storeDir, warn);
  if (values['cancel-batches']) return cancelCommand({ suite, configs, store, storeDir, ...(str('resume') && { runId: meta.runId, runDir: runDir(suite.out ?? DEFAULT_OUT, meta.runId) }), pollMs: batchPollMs(suite, process.env), say: (l) => io.err(`${l}\n`) });
  const journalFile = join(runDir(suite.out ?? DEFAULT_OUT, meta.runId), 'journal.jsonl');
  const journalled = readCellJournal(journalFile, new Set(meta.cells.map((c) => c.id)), warn);
  const done = new Map(journalled.map((r) => [r.id, r]));
  // On --resume, finished cells stay finished; failed ones are tried again.
  const todo = meta.cells.filter((c) => (done.get(c.id)?.status ?? 'error') === 'error');
  // Which cells the store already holds, checked once (existence only; execute reads them).
  const stored = new Set(todo.filter((c) => store.has(c.storeKey)).map((c) => c.id));
  const live = todo.filter((c) => providers.get(modelKey(c)) && !stored.has(c.id));
  if (suite.budgetUsd !== undefined) {
    const unpriced = [...new Set(live.filter((c) => !priceOf(c.model.model, c.model.price)).map((c) => c.model.label))];
    if (unpriced.length) throw new UsageError(`${meta.suiteFile}: /models: no price for ${unpriced.join(', ')}, so the spend cap cannot be enforced; add price: { input, output } to the model or drop the cap`);
  }

  if (values['dry-run']) return void io.out(planTable(meta, todo, providers, stored));
  const skipped = todo.filter((c) => !providers.get(modelKey(c)) && !stored.has(c.id));
  if (skipped.length) io.err(`not run for lack of credentials:\n${planTable(meta, skipped, providers, stored)}`);

  const dir = runDir(suite.out ?? DEFAULT_OUT, meta.runId);
  const resume = resumeHint(meta.runId, suite.out);
  // Nothing is paid for yet: a refused write here ends the command before the first request.
  const journal = startWriting(dir, () => (writeRunMeta(dir, meta), new Journal(journalFile)));
  const progress = new Progress(todo, io.err, io.tty);
  const stop = new AbortController();
  const controller = new AbortController();
  // SIGTERM (CI cancelling a job, `timeout`) is a Ctrl-C too: finish what is paid for, then stop.
  const onSignal = () => {
    if (!stop.signal.aborted) {
      io.err('\ninterrupted: starting no more cells, dropping retry waits; waiting for requests in flight (Ctrl-C again to abandon them)\n');
      stop.abort(new Interrupted('interrupted'));
    } else {
      io.err('abandoning requests in flight\n');
      controller.abort(new Interrupted('interrupted'));
      offSignals();
    }
  };
  const offSignals = () => (process.off('SIGINT', onSignal), process.off('SIGTERM', onSignal));
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  // A resumed run's spend so far: the cap and every total count it (spentInJournal).
  const planned = new Map(meta.cells.map((c) => [c.id, c]));
  const spentBefore = spentInJournal(journalled, (id) => (planned.has(id) ? estimateCost(planned.get(id)!) : null));
  io.err(`run ${meta.runId}: ${todo.length} cells (${meta.cells.length - todo.length} already done${spentBefore > 0 ? `, $${spentBefore.toFixed(2)} spent so far` : ''})\n`);
  // Batch mode (src/batch/): answers into the store first, then the runner grades them as usual.
  // A later turn needs the answer before it, so it is always sent live, after the batches.
  const toRun = suite.mode === 'batch' ? (await batchMode({ cells: todo.filter((c) => !c.chain), configs, suite, store, storeDir, runId: meta.runId, runDir: dir, pollMs: batchPollMs(suite, process.env), stop: stop.signal, say: (l) => io.err(`${l}\n`), warn, spentBeforeUsd: spentBefore, resume }).catch((e: unknown) => (closeQuietly(journal), offSignals(), Promise.reject(e)))).cells.concat(todo.filter((c) => c.chain)) : todo;
  progress.start();
  // One grade cache for the run's outputs, the references and the report's evidence lines.
  const grades = gradeCacheFor(store, warn);
  let execution;
  try {
    execution = await execute({
      cells: toRun,
      providers,
      store,
      grades,
      scenarios,
      policy,
      retry: DEFAULT_RETRY,
      ...(suite.budgetUsd !== undefined && { maxCostUsd: suite.budgetUsd }),
      stop: stop.signal,
      signal: controller.signal,
      record: (r) => journal.append(r),
      recordWhere: journalFile,
      runId: meta.runId,
      spentBeforeUsd: spentBefore,
      writeRetryMs,
      onEvent: (e) => progress.event(e),
      warn,
    });
  } finally {
    progress.stop();
    closeQuietly(journal);
    offSignals();
  }

  for (const r of execution.results) done.set(r.id, r);
  // A handful of documents, graded once and cached: inline.
  const references = suite.references === false ? [] : await referenceResults(meta.scenarios.map((id) => scenarios.get(id)!).filter(Boolean), projectPath('references'), new Grading({ policy, cache: grades, workers: 0 }), suite.prompt);
  // Cost and latency ceilings are facts of a cell, added to its grades here (graders/generic/cell-checks.ts).
  const cells = [...done.values(), ...references].map((c) => applyCellChecks(c, policy));
  // A model with no result at all (every cell failed) leaves the run incomplete, as cells not run do.
  const dead = failedModels(cells);
  const status: Results['status'] = stop.signal.aborted ? 'interrupted' : execution.budgetReached ? 'budget-reached' : execution.pending.length || dead.length ? 'incomplete' : 'complete';
  const results = buildResults(meta, cells, execution.pending.length, status, execution.spentUsd);
  // A refused write that the disk later took, with every cell done, needs no resume: a warning.
  const failed = execution.writeFailure && (execution.pending.length || execution.unsaved || execution.unrecorded) ? execution.writeFailure : null;
  if (execution.writeFailure && !failed) warn(`${execution.writeFailure.where} refused writes for a while (${execution.writeFailure.reason}); every answer was written once it took them again`);
  let file: string;
  let reports: Awaited<ReturnType<typeof writeReports>>;
  try {
    file = writeResults(suite.out ?? DEFAULT_OUT, results, warn);
    io.err('writing report.md, report.html and junit.xml…\n');
    reports = await writeReports(dir, { gradeCaches: new Map([[store.dir, grades]]), written: { results, meta } });
  } catch (error) {
    if (!isWriteFailure(error)) throw error;
    // Every finished cell is in the journal (or said below not to be): resuming writes these.
    throw new WriteFailed(
      failed
        ? writeFailureLine(failed, execution, results, resume)
        : `cannot write ${(error as NodeJS.ErrnoException).path ?? dir} (${describeWriteFailure(error)}): the ${results.totals.finished} finished cells are saved in ${journalFile}, but results.json and the reports are not written; free space and run: ${resume}`,
    );
  } finally {
    grades.close?.();
  }
  if (failed) throw new WriteFailed(writeFailureLine(failed, execution, results, resume));
  printSummary(io, results, [file, reports.md, reports.html, reports.junit], Boolean(values.json), meta);
  // Compare with the committed baseline when there is one; `promptgate gate` decides exit codes.
  // A shard is a share of a run: it is compared (and gated) once merged.
  if (meta.shard && !values.json) io.out(`\nshard ${meta.shard.index}/${meta.shard.count} of a ${meta.shard.planned}-cell plan; when every shard is done: promptgate merge <run folders>\n`);
  const compared = status === 'complete' && !values['no-compare'] && !meta.shard ? compareWithBaseline(results, BASELINE, suite) : null;
  if (compared && !values.json) io.out(compared.unrelated ? `\n${BASELINE}: not comparable with this run (${compared.unrelated}); not gated\n` : `\ncompared with ${BASELINE}: ${compared.verdict.status}\n${compared.markdown}`);
  if (status === 'interrupted') throw new Interrupted(`interrupted; resume with: ${resume}`);
  if (dead.length) throw new CheckFailed(`every cell of ${dead.join(', ')} failed (reasons above), so the run has no result for ${dead.length > 1 ? 'them' : 'it'}; fix the cause and run: ${resume}`);
};

/** The command that resumes a run: with --out whenever the run is not in the default folder. */
function resumeHint(runId: string, out: string | undefined): string {
  const quote = (p: string) => (/^[\w@%+=:,./-]+$/.test(p) ? p : `'${p.replace(/'/g, `'\\''`)}'`);
  return `promptgate eval --resume ${runId}${out !== undefined && resolve(out) !== resolve(DEFAULT_OUT) ? ` --out ${quote(out)}` : ''}`;
}

/** PROMPTGATE_WRITE_RETRY_SECONDS: how long answers are held when the disk refuses them (default 60). */
function writeRetryWindow(raw: string | undefined): number {
  if (raw === undefined || raw === '') return 60_000;
  if (!/^\d+(\.\d+)?$/.test(raw) || Number(raw) > 86_400) throw new UsageError(`PROMPTGATE_WRITE_RETRY_SECONDS: "${raw}" is not a number of seconds from 0 to 86400`);
  return Number(raw) * 1000;
}

/**
 * The journal's cells, each line checked against the cell schema and the plan: a line that is
 * not a valid cell of this run is skipped (its cell runs again), with one warning for them all.
 * Every valid line is kept, a cell tried twice included: together they are the run's spend.
 */
function readCellJournal(file: string, planned: Set<string>, warn: (w: string) => void): CellResult[] {
  const valid = compileSchema(CellResultSchema);
  const skipped: SkippedLine[] = [];
  const all = readJournal<CellResult>(
    file,
    (r) => (!valid(r) ? `${valid.errors?.[0]?.instancePath || '/'} ${valid.errors?.[0]?.message ?? 'is not a cell result'}` : planned.has(r.id) ? null : `cell ${JSON.stringify(r.id)} is not in this run's plan`),
    skipped,
  );
  if (skipped.length) {
    const first = skipped[0]!;
    warn(`${file}: ${skipped.length} line(s) are not valid cell results and were skipped (line ${first.line}: ${first.problem}); their cells run again`);
  }
  return all;
}

function closeQuietly(journal: Journal): void {
  try {
    journal.close();
  } catch (error) {
    // The last fsync refused: the lines were handed to the kernel; the outcome is reported below.
    if (!isWriteFailure(error)) throw error;
  }
}

function freshMeta(suiteFile: string, values: Record<string, unknown>, all: Scenario[]): RunMeta {
  const str = (k: string) => values[k] as string | undefined;
  const suite = loadSuite(suiteFile, {
    ...(str('versions') && { versions: str('versions') }),
    ...(str('models') && { models: str('models') }),
    ...(str('scenarios') && { scenarios: str('scenarios') }),
    ...(str('samples') && { samples: str('samples') }),
    ...(str('concurrency') && { concurrency: str('concurrency') }),
    ...(str('max-cost') && { maxCost: str('max-cost') }),
    ...(str('store') && { store: str('store') }),
    ...(str('out') && { out: str('out') }),
  });
  const versions = suiteVersions(suite);
  const scenarios = selectScenarios(all, Array.isArray(suite.scenarios) ? suite.scenarios.join(',') : suite.scenarios, suite.prompt);
  const runId = newRunId();
  const cells = planCells(suite, versions, scenarios, values.control || suite.gate?.control ? controlPlan(suite, Boolean(values.control)) : undefined);
  const share = str('shard') ? shardOf(cells, parseShard(str('shard')!)) : null;
  return {
    runId,
    suiteFile,
    suite,
    startedAt: new Date().toISOString(),
    versions: versions.map((v) => v.meta.version),
    scenarios: scenarios.map((s) => s.id),
    cells: share ? share.cells : cells,
    ...(share && { shard: share.info }),
  };
}

/**
 * The baseline's version, sampled fresh today (eval --control, or the suite's gate: control):
 * see ControlPlan in plan.ts. Without a baseline there is nothing to control for: asked for
 * with --control that is an error; asked for by the suite, the run goes on without one.
 */
function controlPlan(suite: Suite, asked: boolean): ControlPlan | undefined {
  if (!existsSync(BASELINE)) {
    if (asked) throw new UsageError(`--control: no ${BASELINE} to take the control's version from; make one with promptgate baseline update`);
    return undefined;
  }
  const baseline = readBaseline(BASELINE);
  if (baseline.prompt.id !== suite.prompt) throw new UsageError(`--control: ${BASELINE} is a baseline of prompt "${baseline.prompt.id}", the suite runs "${suite.prompt}"`);
  const version = registryOrThrow().find((v) => v.meta.id === suite.prompt && v.meta.version === baseline.prompt.version);
  if (!version) throw new UsageError(`--control: ${BASELINE}: /prompt/version: version ${baseline.prompt.version} is not in the registry (prompts/${suite.prompt}/)`);
  return { version, nonce: `control:${new Date().toISOString().slice(0, 10)}`, samples: suite.gate?.controlSamples ?? suite.samples };
}

function planTable(meta: RunMeta, cells: Cell[], providers: Map<string, Provider | null>, stored: Set<string>): string {
  const rows = meta.suite.models.map((m) => {
    const mine = cells.filter((c) => modelKey(c) === `${m.provider}:${m.model}`);
    const inStore = mine.filter((c) => stored.has(c.id)).length;
    const toRequest = mine.length - inStore;
    const input = mine.reduce((s, c) => s + estimateTokens(c.request.system + c.request.user), 0);
    const output = mine.reduce((s, c) => s + c.request.maxTokens, 0);
    const costs = mine.filter((c) => !stored.has(c.id)).map(estimateCost);
    const usd = costs.includes(null) ? null : costs.reduce<number>((s, c) => s + c!, 0);
    const batch = meta.suite.mode === 'batch' && hasBatchApi(m.provider);
    const mode = providers.get(`${m.provider}:${m.model}`) ? (batch ? 'batch' : 'live') : 'no key';
    // Both prices, whichever mode runs: the batch APIs bill at the price file's batch discount.
    const batchUsd = !hasBatchApi(m.provider) ? 'no batch API' : usd === null ? 'unknown' : `≤$${(usd * BATCH_FACTOR).toFixed(2)}`;
    return [modelLabel(m), mode, String(mine.length), String(inStore), String(toRequest), `${Math.round(input / 1000)}k`, `≤${Math.round(output / 1000)}k`, usd === null ? 'unknown' : `≤$${usd.toFixed(2)}`, batchUsd];
  });
  return table(['model', 'mode', 'cells', 'stored', 'to request', 'input tokens', 'output tokens', 'USD (max)', 'batch USD (max)'], rows) + uncachedNotes(cells);
}

function printSummary(io: IO, results: Results, files: string[], json: boolean, meta: RunMeta): void {
  const errors = errorReasons(results.cells);
  const notRun = notRunPlan(meta, results);
  if (json) return void io.out(`${JSON.stringify({ runId: results.runId, status: results.status, totals: results.totals, summary: results.summary, errors, ...(notRun.length && { notRun }), files }, null, 2)}\n`);
  // No model ran (a first run without keys): that, how to run them and the references come first.
  const first = noModelSummary(meta, results);
  if (first) return void io.out(`\nrun ${results.runId} · ${results.status}\n${first}\nwrote:\n${files.map((f) => `  ${f}\n`).join('')}`);
  const pct = (x: number | null) => (x === null ? '–' : `${Math.round(x * 100)}%`);
  const rows = results.summary.map((s) => [s.version, s.label, String(s.cells), s.meanScore === null ? '–' : s.meanScore.toFixed(3), pct(s.passRate), s.errors ? String(s.errors) : '', s.costUsd === null ? 'unknown' : `$${s.costUsd.toFixed(2)}`, cachedInput(results.cells, s.version, s.label), s.p50LatencyMs === null ? '–' : `${(s.p50LatencyMs / 1000).toFixed(1)}s`]);
  const t = results.totals;
  io.out(`\nrun ${results.runId} · ${results.status} · ${t.finished}/${t.planned} cells (${t.cached} from the store, ${t.errors} errors, ${t.pending} not run) · spent $${t.costUsd.toFixed(2)}${t.unpricedCells ? ` + unknown (${t.unpricedCells} cells without a price or token counts)` : ''}\n\n`);
  io.out(table(['version', 'model', 'cells', 'mean score', 'pass rate', 'errors', 'cost', 'cached input', 'p50 latency'], rows));
  if (errors.length) io.out(`\nerrors by reason:\n${table(['model', 'cells', 'reason'], errors.map((e) => [e.label, String(e.cells), e.reason]))}`);
  io.out(`\nwrote:\n${files.map((f) => `  ${f}\n`).join('')}`);
}
