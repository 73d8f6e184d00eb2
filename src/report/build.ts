// Builds the report model for a run, optionally compared with another run: groups, pairs with
// verdicts, flips, per-model usage, problem cells, prompt diffs, and the notes a reader needs to
// trust (or distrust) the numbers — different graders, an incomplete run, unpriced models.

import { isAbsolute, relative } from 'node:path';
import { graders as allGraders } from '../../graders/index.ts';
import { short } from '../registry/lock.ts';
import { buildAggregates, cellCounts, versionKey } from '../runner/results.ts';
import { beforeOf, flipsOf, modelPairs, promptDiffs, versionPairs } from './compare.ts';
import { isReference, modelKeyOf, type RunData } from './load.ts';
import { buildGroups, modelUsage, type ReportModel } from './model.ts';
import { notRunPlan } from './plan.ts';

export function buildReport(current: RunData, compared: RunData | null = null): ReportModel {
  const r = current.results;
  const groups = buildGroups(current, 'current');
  // Against another run, everything that sets the two side by side (verdicts, flips, grader
  // deltas, the charts) uses only the scenarios both runs have: a scenario one run lacks would
  // move its mean for no reason that has to do with the prompt.
  const shared = compared ? sharedScenarios(current, compared) : null;
  const differs = shared !== null && (shared.size !== new Set(r.suite.scenarios).size || shared.size !== new Set(compared!.results.suite.scenarios).size);
  const pairGroups = differs ? buildGroups(onScenarios(current, shared!), 'current') : groups;
  const comparedGroups = compared ? buildGroups(differs ? onScenarios(compared, shared!) : compared, 'compared') : [];
  const before = beforeOf(pairGroups, compared ? comparedGroups : null);
  const pairs = versionPairs(pairGroups, before, compared ? 'run' : 'version');
  const known = allGraders.map((g) => g.id);
  const seen = new Set([...r.cells, ...(compared?.results.cells ?? [])].flatMap((c) => Object.keys(c.grades)));
  const graderIds = [...known.filter((id) => seen.has(id)), ...[...seen].filter((id) => !known.includes(id)).sort()];

  const notes: string[] = [];
  const modelCells = r.cells.filter((c) => !isReference(c)).length;
  // With no model cell at all, the report's top says so at length (notRun); no note repeats it.
  if (r.status !== 'complete' && modelCells) notes.push(`This run is ${r.status}: ${r.totals.pending} of ${r.totals.planned} planned cells were not run, so some groups have fewer samples.`);
  if (r.totals.errors) notes.push(`${r.totals.errors} cell(s) failed and are not graded; they are listed under "Truncated, refused and errored cells".`);
  if (r.totals.unpricedCells) notes.push(`${r.totals.unpricedCells} cell(s) have no price (unknown model price): their cost is unknown, not zero.`);
  if (compared && compared.results.gradersVersion !== r.gradersVersion)
    notes.push(`The graders changed between the runs (${compared.results.gradersVersion} → ${r.gradersVersion}): part of a score change may come from the graders, not the prompt. Re-grade the older run with promptgate regrade.`);
  if (compared && differs) notes.push(`The runs share ${shared!.size} scenario(s) (this run has ${r.suite.scenarios.length}, ${compared.title} ${compared.results.suite.scenarios.length}): the verdicts, flips, grader deltas and charts that compare them use only those ${shared!.size}.`);
  if (!current.meta) notes.push('The run folder has no run.json, so the prompt text (and its diff) is not available.');
  if (r.cells.some(isReference)) notes.push('"Hand-written reference" rows are the hand-written reference answers in datasets/references/, graded like model output; they are not a model.');

  const versions = r.suite.versions.map((version) => ({ version, sha256: current.prompts.get(version)?.sha256 ?? r.cells.find((c) => c.version === version)?.promptSha256 ?? null }));
  const labels = new Map([...(current.meta?.suite.models ?? []).map((m) => [`${m.provider}:${m.model}`, m.label ?? m.model] as const), ...r.cells.filter((c) => !isReference(c)).map((c) => [modelKeyOf(c), c.label] as const)]);
  return {
    run: {
      id: r.runId,
      dir: displayPath(current.dir),
      suite: r.suite,
      status: r.status,
      startedAt: r.startedAt,
      finishedAt: r.finishedAt,
      durationMs: Math.max(0, Date.parse(r.finishedAt) - Date.parse(r.startedAt)),
      // Counted again from the cells: results.json files written before cellCounts counted the
      // references in `ok`, and a report's counts must add up whatever wrote the file.
      totals: { ...r.totals, ...cellCounts(r.cells) },
      gradersVersion: r.gradersVersion,
      versions,
      models: r.suite.models.map((key) => ({ key, label: labels.get(key) ?? key.split(':').slice(1).join(':') })),
    },
    compared: compared ? { id: compared.results.runId, title: compared.title, dir: displayPath(compared.dir), gradersVersion: compared.results.gradersVersion } : null,
    hard: current.policy.hard,
    passThreshold: current.policy.passThreshold,
    graderIds,
    groups,
    pairGroups,
    sharedScenarios: shared ? shared.size : null,
    comparedGroups,
    pairs,
    modelPairs: modelPairs(groups),
    flips: flipsOf(pairs, graderIds),
    usage: modelUsage(r),
    problems: r.cells.filter((c) => c.status !== 'ok').sort((a, b) => a.id.localeCompare(b.id, 'en', { numeric: true })),
    pending: pendingCells(current),
    notRun: notRunPlan(current.meta, r),
    diffs: promptDiffs(pairs, current, compared),
    notes,
  };
}

function sharedScenarios(a: RunData, b: RunData): Set<string> {
  const inB = new Set([...b.results.suite.scenarios, ...b.results.cells.map((c) => c.scenario)]);
  return new Set([...a.results.suite.scenarios, ...a.results.cells.map((c) => c.scenario)].filter((s) => inB.has(s)));
}

/** The run as if it had only these scenarios: its cells and summary rows, nothing else changed. */
function onScenarios(run: RunData, scenarios: Set<string>): RunData {
  const cells = run.results.cells.filter((c) => scenarios.has(c.scenario));
  return { ...run, results: { ...run.results, suite: { ...run.results.suite, scenarios: run.results.suite.scenarios.filter((s) => scenarios.has(s)) }, cells, ...buildAggregates(cells) } };
}

function pendingCells(run: RunData): ReportModel['pending'] {
  const done = new Set(run.results.cells.map((c) => c.id));
  return (run.meta?.cells ?? [])
    .filter((c) => !done.has(c.id))
    .map((c) => ({ id: c.id, version: versionKey(c), scenario: c.scenario, modelKey: `${c.model.provider}:${c.model.model}`, label: c.model.label, sample: c.sample }));
}

/** A run folder as people type it: relative to the working directory when inside it. */
function displayPath(dir: string): string {
  const rel = relative(process.cwd(), dir);
  return rel && !rel.startsWith('..') && !isAbsolute(rel) ? rel : dir;
}

export const shortSha = (sha: string | null) => (sha ? short(sha) : '—');
