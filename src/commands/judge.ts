// `promptgate judge [RUN]`: the optional model judge over a run's stored outputs (judge.json in
// the run folder), and `promptgate judge --calibrate` (also `calibrate --judge`): the judge over
// the labelled calibration set, with agreement and Cohen's kappa per rubric. The work is in
// src/judge/; this module reads flags and keys, and prints.

import { join } from 'node:path';
import type { CommandModule, IO, OptionValues } from '../command.ts';
import { loadLabels } from '../calibration.ts';
import { loadScenarios } from '../dataset/load.ts';
import { turnScenarios } from '../dataset/turns.ts';
import { UsageError } from '../errors.ts';
import { table } from '../format.ts';
import { loadRun, DEFAULT_RUNS } from '../gate/runs.ts';
import { calibrateJudge, loadJudgeLabels, type RubricCalibration } from '../judge/calibrate.ts';
import { judgeLabel } from '../judge/judge.ts';
import { loadRubrics, pickRubrics } from '../judge/rubric.ts';
import { judgeRun, type RunJudgements } from '../judge/run.ts';
import { projectPath } from '../project/paths.ts';
import { createProvider } from '../providers/index.ts';
import type { Provider } from '../providers/types.ts';
import { redactSecrets } from '../redact.ts';
import { writeAtomic } from '../registry/lock.ts';
import { writeReports } from '../report/write.ts';
import { credentialsFor } from '../runner/credentials.ts';
import { DEFAULT_STORE } from '../runner/run.ts';
import { FsStore } from '../runner/store.ts';
import { loadSuite } from '../suite/load.ts';
import type { ModelConfig } from '../suite/schema.ts';

export const usage = `Usage: promptgate judge [RUN_ID|latest] [options]
       promptgate judge --calibrate [options]        (also: promptgate calibrate --judge)

An optional model judge for questions patterns cannot decide well (is the design over-engineered
for this team; does the stated latency path reach the target). Each rubric (judges/<id>.yaml) is
put to a model of another family than the one that wrote the document (Claude judges GPT and
the reverse) when the suite names one; the answer is JSON checked against a schema, its quoted
lines must be in the document, a malformed answer is asked once more and then counted as an
error. Answers are kept in the response store, so judging again pays nothing. Judgements are a
model's opinion: shown with their cost in judge.json, never part of a score or the gate.

A run: writes judge.json into the run folder and prints pass rates per rubric, version and model.
--calibrate: judges the labelled calibration documents and prints, per rubric, agreement with
the labels, Cohen's kappa and the confusion matrix — check a judge this way before trusting it.

Options:
  --judges LIST        provider:model,... (default: the suite's judge: models)
  --rubrics IDS        rubric ids, comma-separated (default: the suite's, else all in judges/)
  --suite FILE         where the judge settings come from for --calibrate (default: the default suite)
  --runs DIR           where run ids are looked up (default: ${DEFAULT_RUNS})
  --store DIR          the response store (default: the suite's)
  --concurrency N      judgements in flight (default: the suite's, else 4)
  --calibrate          judge the calibration set instead of a run
  --dir DIR            (--calibrate) the calibration folder (default: datasets/calibration)
  --json               print the outcome as JSON
  -h, --help           show this help

Keys: ANTHROPIC_API_KEY / OPENAI_API_KEY (or a judge model's apiKeyEnv). A judge model without
its key is skipped with one line; with none left, nothing is judged (exit 0).
Exit codes: 0 judged (or skipped for lack of keys), 2 bad input.
`;

export const options: CommandModule['options'] = {
  judges: { type: 'string' },
  rubrics: { type: 'string' },
  suite: { type: 'string' },
  runs: { type: 'string', default: DEFAULT_RUNS },
  store: { type: 'string' },
  concurrency: { type: 'string' },
  calibrate: { type: 'boolean' },
  dir: { type: 'string' },
  json: { type: 'boolean' },
};

export const run: CommandModule['run'] = async (positionals, values, io) => {
  if (values.calibrate) {
    if (positionals.length) throw new UsageError(`judge --calibrate: unexpected "${positionals[0]}" (it judges the calibration set, not a run)`);
    return calibrateWithJudge(values, io);
  }
  if (values.dir !== undefined) throw new UsageError('judge: --dir goes with --calibrate');
  if (positionals.length > 1) throw new UsageError(`judge: one run at a time; unexpected "${positionals[1]}"`);
  const { dir, results, meta } = loadRun(values.runs as string, positionals[0] ?? 'latest');
  const settings = meta?.suite.judge;
  const judges = live(judgeModels(values, settings?.models, `${meta?.suiteFile ?? 'the run'}: /judge/models`), io);
  if (!judges.length) return;
  const rubrics = pickRubrics(loadRubrics(projectPath('judges')), list(values.rubrics) ?? settings?.rubrics, values.rubrics ? '--rubrics' : `${meta?.suiteFile}: /judge/rubrics`);
  if (!rubrics.length) throw new UsageError(`${projectPath('judges')}: no rubrics; add judges/<id>.yaml (see docs/judge.md)`);
  const store = new FsStore((values.store as string | undefined) ?? meta?.suite.store ?? DEFAULT_STORE, (w) => io.err(`warning: ${w}\n`));
  const { scenarios } = loadScenarios();
  const outcome = await judgeRun({
    runId: results.runId,
    cells: results.cells,
    rubrics,
    judges: judges.map((j) => j.model),
    providers: new Map(judges.map((j) => [judgeLabel(j.model), j.provider])),
    store,
    scenarios: turnScenarios(scenarios),
    concurrency: concurrencyOf(values, settings?.concurrency),
    onJudged: progress(io),
  });
  const file = join(dir, 'judge.json');
  writeAtomic(file, redactSecrets(`${JSON.stringify(outcome, null, 2)}\n`));
  // The run's reports gain the judge's section (apart from the graders; report/judge.ts).
  await writeReports(dir, { ...(values.store !== undefined && { store: values.store as string }) });
  if (values.json) return void io.out(`${JSON.stringify({ file, ...outcome, judgements: undefined }, null, 2)}\n`);
  printRun(outcome, file, io);
};

async function calibrateWithJudge(values: OptionValues, io: IO): Promise<void> {
  const suiteFile = (values.suite as string | undefined) ?? projectPath('suite');
  const suite = values.judges && !values.suite ? null : loadSuite(suiteFile, {});
  const judges = live(judgeModels(values, suite?.judge?.models, `${suiteFile}: /judge/models`), io);
  if (!judges.length) return;
  const dir = (values.dir as string | undefined) ?? projectPath('calibration');
  const rubrics = pickRubrics(loadRubrics(projectPath('judges')), list(values.rubrics) ?? suite?.judge?.rubrics, values.rubrics ? '--rubrics' : `${suiteFile}: /judge/rubrics`);
  const store = new FsStore((values.store as string | undefined) ?? suite?.store ?? DEFAULT_STORE, (w) => io.err(`warning: ${w}\n`));
  const labels = loadLabels(dir);
  const judgeLabels = loadJudgeLabels(dir);
  const out: Array<RubricCalibration & { judge: string }> = [];
  // Every judge model separately: the point is to see which one can be trusted.
  for (const j of judges) {
    const rows = await calibrateJudge({ dir, labels, judgeLabels, rubrics, judge: j.model, provider: j.provider, store, concurrency: concurrencyOf(values, suite?.judge?.concurrency) });
    out.push(...rows.map((r) => ({ judge: judgeLabel(j.model), ...r })));
  }
  if (values.json) return void io.out(`${JSON.stringify(out, null, 2)}\n`);
  const f = (x: number | null, d = 2) => (x === null ? '–' : x.toFixed(d));
  io.out(`judges over the labelled documents in ${dir} (positive = pass)\n\n`);
  io.out(
    table(
      ['judge', 'rubric', 'label', 'n', 'TP', 'FP', 'FN', 'TN', 'errors', 'agreement', 'kappa', 'cost'],
      out.map((r) => [r.judge, r.rubric, r.label, String(r.n), String(r.tp), String(r.fp), String(r.fn), String(r.tn), String(r.errors), r.agreement === null ? '–' : `${Math.round(r.agreement * 100)}%`, f(r.kappa), r.costUsd === null ? 'unknown' : `$${r.costUsd.toFixed(3)}`]),
    ),
  );
  for (const r of out) for (const d of r.disagreements.slice(0, 10)) io.out(`✗ ${r.judge} · ${r.rubric} · ${d.document}: labelled ${d.expected ? 'pass' : 'fail'}, judged ${d.verdict ?? `no verdict (${d.error})`}${d.reason ? ` — ${d.reason}` : ''}\n`);
  io.out('\nA judge is worth gating on only with high agreement and kappa well above 0 on enough documents; judges never gate by default.\n');
}

/** The judge models, from --judges or the suite. */
function judgeModels(values: OptionValues, fromSuite: ModelConfig[] | undefined, where: string): ModelConfig[] {
  const spec = list(values.judges);
  if (spec) {
    return spec.map((s) => {
      const m = /^(anthropic|openai|openai-compatible):(.+)$/.exec(s);
      if (!m) throw new UsageError(`--judges: "${s}" is not provider:model; expected e.g. openai:gpt-5.6-terra`);
      return fromSuite?.find((j) => judgeLabel(j) === s) ?? { provider: m[1] as ModelConfig['provider'], model: m[2]! };
    });
  }
  if (!fromSuite?.length) throw new UsageError(`${where}: no judge models; name them in the suite (judge: { models: [...] }) or with --judges provider:model`);
  return fromSuite;
}

/** The judge models that have a key; one line for each that does not. */
function live(models: ModelConfig[], io: IO): Array<{ model: ModelConfig; provider: Provider }> {
  const out: Array<{ model: ModelConfig; provider: Provider }> = [];
  for (const m of models) {
    const { config, missing } = credentialsFor(m, process.env);
    if (config) out.push({ model: m, provider: createProvider(config) });
    else io.err(`judge ${judgeLabel(m)} skipped: ${missing!.replace(/^skipping [^:]+: /, '')}\n`);
  }
  if (!out.length) io.err('no judge has a key: nothing judged\n');
  return out;
}

const list = (v: unknown) => (typeof v === 'string' ? v.split(',').map((s) => s.trim()).filter(Boolean) : undefined);

function concurrencyOf(values: OptionValues, fromSuite: number | undefined): number {
  const raw = values.concurrency as string | undefined;
  if (raw === undefined) return fromSuite ?? 4;
  if (!/^\d+$/.test(raw) || Number(raw) < 1 || Number(raw) > 64) throw new UsageError(`--concurrency: "${raw}" is not a whole number from 1 to 64`);
  return Number(raw);
}

/** A line at every tenth of the work, so a long judging run shows it is alive. */
function progress(io: IO) {
  let shown = -1;
  return (done: number, total: number) => {
    const tenth = Math.floor((10 * done) / total);
    if (tenth !== shown) {
      shown = tenth;
      io.err(`judged ${done}/${total}\n`);
    }
  };
}

function printRun(outcome: RunJudgements, file: string, io: IO): void {
  const pct = (x: number | null) => (x === null ? '–' : `${Math.round(x * 100)}%`);
  io.out(`model judgements of run ${outcome.run} (opinions with their cost; they do not gate)\n\n`);
  io.out(table(['rubric', 'version', 'model', 'judged', 'pass rate', 'errors', 'cost'], outcome.summary.map((r) => [r.rubric, r.version, r.model, String(r.judged), pct(r.passRate), r.errors ? String(r.errors) : '', r.costUsd === null ? 'unknown' : `$${r.costUsd.toFixed(3)}`])));
  if (outcome.skipped.length) io.out(`\nnot judged: ${outcome.skipped.length} output(s) (first: ${outcome.skipped[0]})\n`);
  io.out(`\ntotal $${outcome.costUsd === null ? 'unknown' : outcome.costUsd.toFixed(3)} · wrote ${file}; report.md and report.html now show it\n`);
}
