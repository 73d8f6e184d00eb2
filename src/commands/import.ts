// `promptgate import promptfoo results.json`: a promptfoo output file as a promptgate run —
// run.json, results.json and the reports in reports/runs/<run-id>/, so `promptgate gate` and
// `report` work on it. promptfoo stays the runner; promptgate grades every output with its own
// graders and the suite's policy (promptfoo's own verdicts are not used), and each answer is
// kept in the response store so reports can show the documents.

import { createHash } from 'node:crypto';
import { basename, join } from 'node:path';
import { applyCellChecks, prepareGraderSet } from '../../graders/generic/set.ts';
import type { CommandModule } from '../command.ts';
import { scenariosOrThrow } from '../dataset/load.ts';
import { UsageError } from '../errors.ts';
import { readJsonFile, validate } from '../files.ts';
import { gradePolicyOf } from '../gate/policy.ts';
import { answerOf } from '../promptfoo/cells.ts';
import { mapResults } from '../promptfoo/mapping.ts';
import { PromptfooOutputSchema } from '../promptfoo/output.ts';
import { costUsd, priceOf } from '../providers/prices.ts';
import { registryOrThrow } from '../registry/load.ts';
import { writeReports } from '../report/write.ts';
import { withoutEvidence } from '../runner/grade-cache.ts';
import { gradeCacheFor, Grading } from '../runner/grading.ts';
import { planCells, type Cell } from '../runner/plan.ts';
import type { CellResult } from '../runner/results.ts';
import { buildResults, DEFAULT_OUT, DEFAULT_STORE, newRunId, runDir, writeResults, writeRunMeta, type RunMeta } from '../runner/run.ts';
import { FsStore } from '../runner/store.ts';
import { projectPath } from '../project/paths.ts';
import { loadSuite } from '../suite/load.ts';
import type { ModelConfig, Suite } from '../suite/schema.ts';

export const usage = `Usage: promptgate import promptfoo FILE [--suite FILE] [--out DIR] [--scenario-var NAME] [--json]

Turn a promptfoo output file (promptfoo eval -o FILE.json) into a promptgate run in
reports/runs/<run-id>/: run.json, results.json, report.md, report.html and junit.xml, so
\`promptgate gate --run <run-id>\` (or latest) gates it like any run. Every output is graded with
promptgate's graders and the suite's policy; answers are kept in the response store.

Each promptfoo result is mapped to a cell:
  version   its prompt label "<prompt>@<version>" (as export promptfoo writes), else the registry
            version whose text is the prompt's system text (instructions or a system message)
  scenario  vars.scenario (an id), else the scenario whose message is one of the test's vars
  model     the provider: anthropic:messages:<model>, openai:responses:<model>, openai:chat:<model>
  sample    the results of one version × scenario × model, in the file's order
Results that map to nothing are listed (one line per reason, with counts) and left out; a file
where nothing maps is an error.

Options:
  --suite FILE          the suite: prompt, grading policy, models' labels and prices, gate policy
                        (default: the project's, evals/default.yaml)
  --out DIR             where runs are written (default: the suite's out, else reports/runs)
  --store DIR           response store folder (default: the suite's store, else .promptgate/store)
  --scenario-var NAME   the var holding the scenario id (default: scenario)
  --json                print results.json's totals and summary as JSON
  -h, --help            show this help

Exit codes: 0 imported, 2 bad input (one line: file, field, what was expected).
`;

export const options: CommandModule['options'] = {
  suite: { type: 'string', default: projectPath('suite') },
  out: { type: 'string' },
  store: { type: 'string' },
  'scenario-var': { type: 'string', default: 'scenario' },
  json: { type: 'boolean' },
};

export const run: CommandModule['run'] = async (positionals, values, io) => {
  const [format, file, extra] = positionals;
  if (format !== 'promptfoo') throw new UsageError(`import: expected the format "promptfoo", got ${format === undefined ? 'nothing' : `"${format}"`} (see promptgate import --help)`);
  if (file === undefined) throw new UsageError('import promptfoo: expected the promptfoo output file (promptfoo eval -o FILE.json)');
  if (extra !== undefined) throw new UsageError(`import: unexpected "${extra}" (options start with --; see promptgate import --help)`);
  const str = (k: string) => values[k] as string | undefined;
  const suiteFile = str('suite')!;
  const suite = loadSuite(suiteFile, { ...(str('out') && { out: str('out') }), ...(str('store') && { store: str('store') }) });
  const output = validate(PromptfooOutputSchema, readJsonFile(file), file);
  const scenarioVar = str('scenario-var')!;
  if (!/^[\w.-]+$/.test(scenarioVar)) throw new UsageError(`--scenario-var: "${scenarioVar}" is not a var name; expected letters, digits, _ . -`);
  const versions = registryOrThrow().filter((v) => v.meta.id === suite.prompt);
  const scenarios = scenariosOrThrow();
  const mapping = mapResults(output.results.results, { promptId: suite.prompt, versions, scenarios, models: suite.models, scenarioVar });
  if (!mapping.mapped.length) {
    const [first, ...others] = mapping.unmapped;
    throw new UsageError(`${file}: /results/results: none of the ${output.results.results.length} results maps to a version of ${suite.prompt}, a scenario and a model (${first ? `${first.count}: ${first.reason}` : 'the file has no results'}${others.length ? `; and ${others.length} other reason(s)` : ''}); expected the output of a config from promptgate export promptfoo --suite ${suiteFile}`);
  }
  for (const u of mapping.unmapped) io.err(`not imported: ${u.count} result(s): ${u.reason}\n`);
  for (const m of mapping.extraModels) io.err(`note: ${m} is not in ${suiteFile}; imported with promptgate's price table and no label\n`);

  // The run as promptgate would have planned it for what was imported: same cells, same ids.
  const used = <T>(items: T[], key: (t: T) => string, seen: Set<string>) => items.filter((t) => seen.has(key(t)));
  const mappedVersions = used(versions, (v) => v.meta.version, new Set(mapping.mapped.map((m) => m.version.meta.version)));
  const mappedScenarios = used(scenarios, (s) => s.id, new Set(mapping.mapped.map((m) => m.scenario.id)));
  const models = uniqueModels([...suite.models, ...mapping.mapped.map((m) => m.model)], new Set(mapping.mapped.map((m) => `${m.model.provider}:${m.model.model}`)));
  const samples = Math.max(...mapping.mapped.map((m) => m.sample + 1));
  // Reports and results.json say where the answers came from.
  const source = `imported from promptfoo: ${basename(file)}${output.evalId ? `, eval ${output.evalId}` : ''}`;
  const runSuite: Suite = { ...suite, description: `${suite.description ?? suite.prompt} (${source})`, versions: mappedVersions.map((v) => v.meta.version), scenarios: mappedScenarios.map((s) => s.id), models, samples, references: false };
  // promptfoo runs a scenario's first turn only (export sends no follow-ups): later turns are not planned here.
  const cells = planCells(runSuite, mappedVersions, mappedScenarios).filter((c) => !c.chain).map(importedCell);
  const byId = new Map(cells.map((c) => [c.id, c]));
  const runId = newRunId();
  const meta: RunMeta = { runId, suiteFile, suite: runSuite, startedAt: new Date().toISOString(), versions: runSuite.versions as string[], scenarios: runSuite.scenarios as string[], cells };

  const warn = (w: string) => io.err(`warning: ${w}\n`);
  const store = new FsStore(suite.store ?? DEFAULT_STORE, warn);
  const grades = gradeCacheFor(store, warn);
  // The suite's grader set, as eval grades with it (modules loaded, checks known to the reports).
  const policy = await prepareGraderSet(gradePolicyOf(suite), suiteFile);
  const grading = new Grading({ policy, cache: grades, expected: mapping.mapped.length, warn });
  let results: CellResult[];
  try {
    results = await Promise.all(
      mapping.mapped.map(async (m): Promise<CellResult> => {
        const cell = byId.get(`${m.version.meta.version}|${m.scenario.id}|${m.model.provider}:${m.model.model}|${m.sample}`)!;
        const answer = answerOf(m.result, m.model.model);
        const identity = identityOf(cell);
        const finishedAt = new Date().toISOString();
        if (!answer.ok) return { ...identity, status: 'error', error: answer.error, stopReason: null, usage: { input: 0, output: 0, cacheRead: 0, cacheWrite: 0 }, costUsd: 0, latencyMs: null, cached: false, score: null, pass: null, grades: {}, finishedAt };
        const c = answer.completion;
        await store.put({ key: cell.storeKey, provider: cell.model.provider, model: cell.model.model, sample: cell.sample, completion: c, storedAt: finishedAt, runId });
        const graded = await grading.grade(c.text, m.scenario);
        const empty = c.text.trim() === '';
        return {
          ...identity,
          status: c.stopReason === 'refusal' || empty ? 'refused' : c.stopReason === 'max_tokens' ? 'truncated' : 'ok',
          ...(empty && { error: 'empty output' }),
          stopReason: c.rawStopReason,
          usage: c.usage,
          costUsd: answer.cached ? 0 : costUsd(c.usage, priceOf(cell.model.model, cell.model.price)),
          latencyMs: answer.cached ? null : c.latencyMs,
          cached: answer.cached,
          score: graded.score,
          pass: graded.pass,
          grades: withoutEvidence(graded),
          finishedAt,
        };
      }),
    );
  } finally {
    await grading.close();
  }
  // Cost and latency ceilings are facts of a cell, added to its grades here, as eval does.
  results = results.map((c) => applyCellChecks(c, policy));
  const pending = cells.length - results.length;
  const spent = results.reduce((s, r) => s + (r.costUsd ?? 0), 0);
  const built = buildResults(meta, results, pending, pending ? 'incomplete' : 'complete', spent);
  const out = suite.out ?? DEFAULT_OUT;
  const dir = runDir(out, runId);
  writeRunMeta(dir, meta);
  const resultsFile = writeResults(out, built, warn);
  let reports;
  try {
    reports = await writeReports(dir, { gradeCaches: new Map([[store.dir, grades]]), written: { results: built, meta } });
  } finally {
    grades.close?.();
  }
  const t = built.totals;
  if (values.json) return void io.out(`${JSON.stringify({ runId, status: built.status, totals: t, summary: built.summary, unmapped: mapping.unmapped, files: [resultsFile, reports.md, reports.html, reports.junit] }, null, 2)}\n`);
  io.out(`imported ${mapping.mapped.length} of ${output.results.results.length} promptfoo results as run ${runId} · ${built.status} · ${t.finished}/${t.planned} cells (${t.errors} errors${pending ? `, ${pending} missing` : ''})\n`);
  for (const s of built.summary) io.out(`  ${s.version}  ${s.label}: mean score ${s.meanScore ?? '–'}, pass rate ${s.passRate === null ? '–' : `${Math.round(s.passRate * 100)}%`}, ${s.cells} cells\n`);
  io.out(`wrote:\n  ${join(dir, 'run.json')}\n  ${resultsFile}\n  ${reports.md}\n  ${reports.html}\n  ${reports.junit}\ngate it with: promptgate gate --run ${runId}${out !== DEFAULT_OUT ? ` --runs ${out}` : ''}\n`);
};

/**
 * An imported cell's store key is its planned key marked as promptfoo's: the answer is kept
 * (reports show it, `regrade` regrades it) but `eval` never takes it for one of its own — the
 * request promptfoo sent need not be exactly the one promptgate would send.
 */
function importedCell(cell: Cell): Cell {
  return { ...cell, storeKey: createHash('sha256').update(`${cell.storeKey}\u0000imported from promptfoo`).digest('hex') };
}

function identityOf(cell: Cell) {
  return { id: cell.id, promptId: cell.promptId, version: cell.version, promptSha256: cell.promptSha256, scenario: cell.scenario, provider: cell.model.provider, model: cell.model.model, label: cell.model.label, sample: cell.sample, storeKey: cell.storeKey };
}

/** The models results were imported for, the suite's first (in its order), once each. */
function uniqueModels(all: ModelConfig[], wanted: Set<string>): ModelConfig[] {
  const seen = new Set<string>();
  return all.filter((m) => {
    const key = `${m.provider}:${m.model}`;
    if (!wanted.has(key) || seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
