// The report model: everything report.md, report.html and junit.xml show, computed once from
// results.json (its aggregates are taken as they are, never recomputed) plus what results.json
// does not hold — confidence intervals, per-group grader rates, comparisons. The three renderers
// only format this model, so the formats can never disagree about a number.

import { versionKey, type AggregateRow, type CellResult, type Results } from '../runner/results.ts';
import { isReference, modelKeyOf, type RunData } from './load.ts';
import type { NotRun } from './plan.ts';
import { bootstrapMean, groupByScenario, percentile, type Interval } from './stats.ts';
import type { JudgeSection } from './judge.ts';

export interface GraderStat {
  graded: number;
  passRate: number;
  mean: number;
}

/** One version × model of one run (or the hand-written references). */
export interface Group {
  key: string;
  /** 'current' for the reported run, 'compared' for the run it is compared with. */
  side: 'current' | 'compared';
  runId: string;
  /** "run <id>" or "the baseline (run <id>)". */
  runTitle: string;
  version: string;
  modelKey: string;
  /** The model's label; "Hand-written reference" for the references, which are never a model. */
  label: string;
  reference: boolean;
  cells: CellResult[];
  /** results.json's summary row for this version × model. */
  agg: AggregateRow;
  ci: Interval | null;
  costPerCell: number | null;
  /** Cost per cell ÷ mean score: what one full point of score costs. */
  costPerPoint: number | null;
  graders: Record<string, GraderStat>;
  /** Mean score per scenario (null: no graded sample). */
  scenarioMeans: Record<string, number | null>;
}

export interface Pair {
  kind: 'run' | 'version' | 'model';
  before: Group;
  after: Group;
  diff: number;
  /** null below 5 scenarios (see PairedDiff). */
  ci: Interval | null;
  scenarios: number;
  outcome: 'better' | 'worse' | 'inconclusive';
  verdict: string;
}

export interface Flip {
  pair: Pair;
  scenario: string;
  grader: string;
  direction: 'regressed' | 'fixed';
  before: { passed: number; of: number; cellId: string };
  after: { passed: number; of: number; cellId: string };
}

export interface ModelUsage {
  modelKey: string;
  label: string;
  cells: number;
  input: number;
  output: number;
  cacheRead: number;
  cacheWrite: number;
  costUsd: number | null;
  p50LatencyMs: number | null;
  p95LatencyMs: number | null;
}

export interface PromptDiff {
  from: { version: string; sha256: string | null; runId: string };
  to: { version: string; sha256: string | null; runId: string };
  /** Unified diff of the prompt text; null when a side's text is unknown or both are equal. */
  patch: string | null;
  identical: boolean;
  settings: string | null;
  /** The score side of the diff: each model's paired difference between the two versions. */
  pairs: Pair[];
}

export interface ReportModel {
  /** The optional model judge's summary (judge.json in the run folder), shown apart from the graders. */
  judge?: JudgeSection | null;
  run: {
    id: string;
    dir: string;
    suite: Results['suite'];
    status: Results['status'];
    startedAt: string;
    finishedAt: string;
    durationMs: number;
    totals: Results['totals'];
    gradersVersion: string;
    versions: { version: string; sha256: string | null }[];
    models: { key: string; label: string }[];
  };
  compared: { id: string; title: string; dir: string; gradersVersion: string } | null;
  hard: string[];
  passThreshold: number;
  graderIds: string[];
  groups: Group[];
  /** The reported run's groups over the scenarios both runs have (= groups without --compare, or
   * when both runs have the same scenarios): what every comparison with the other run uses. */
  pairGroups: Group[];
  /** How many scenarios the two runs share; null without a compared run. */
  sharedScenarios: number | null;
  comparedGroups: Group[];
  /** Before/after pairs: against the compared run when there is one, else version to version. */
  pairs: Pair[];
  /** Model against model, per version of the reported run. */
  modelPairs: Pair[];
  flips: Flip[];
  usage: ModelUsage[];
  problems: CellResult[];
  /** Planned cells that were not run (no credentials, interrupted, spend cap reached). */
  pending: { id: string; version: string; scenario: string; modelKey: string; label: string; sample: number }[];
  /** The not-run cells by model: how to enable each and what they would cost at most. */
  notRun: NotRun[];
  diffs: PromptDiff[];
  notes: string[];
}

export function buildGroups(run: RunData, side: Group['side']): Group[] {
  const byKey = new Map<string, CellResult[]>();
  for (const c of run.results.cells) {
    const k = `${versionKey(c)}\u0000${modelKeyOf(c)}`;
    byKey.set(k, [...(byKey.get(k) ?? []), c]);
  }
  const scenarios = [...new Set([...run.results.suite.scenarios, ...run.results.cells.map((c) => c.scenario)])];
  return run.results.summary.map((row) => {
    const cells = byKey.get(`${row.version}\u0000${row.model}`) ?? [];
    const key = `${side}|${row.version}|${row.model}`;
    const byScenario = groupByScenario(cells, (c) => c.scenario, (c) => c.score);
    const costPerCell = row.costUsd === null || !row.cells ? null : row.costUsd / row.cells;
    return {
      key,
      side,
      runId: run.results.runId,
      runTitle: run.title,
      version: row.version,
      modelKey: row.model,
      label: cells.some(isReference) ? 'Hand-written reference' : row.label,
      reference: cells.some(isReference),
      cells,
      agg: row,
      ci: bootstrapMean(byScenario, `${run.results.runId}|${key}`),
      costPerCell,
      costPerPoint: costPerCell === null || !row.meanScore ? null : costPerCell / row.meanScore,
      graders: graderStats(cells),
      scenarioMeans: Object.fromEntries(scenarios.map((s) => [s, byScenario.get(s) ? mean(byScenario.get(s)!) : null])),
    };
  });
}

function graderStats(cells: CellResult[]): Record<string, GraderStat> {
  const out: Record<string, GraderStat> = {};
  for (const c of cells) {
    for (const [id, g] of Object.entries(c.grades)) {
      const s = (out[id] ??= { graded: 0, passRate: 0, mean: 0 });
      s.graded++;
      s.passRate += g.pass ? 1 : 0;
      s.mean += g.score;
    }
  }
  for (const s of Object.values(out)) {
    s.passRate /= s.graded;
    s.mean /= s.graded;
  }
  return out;
}

export function modelUsage(results: Results): ModelUsage[] {
  const models = new Map<string, CellResult[]>();
  for (const c of results.cells.filter((c) => !isReference(c))) models.set(modelKeyOf(c), [...(models.get(modelKeyOf(c)) ?? []), c]);
  return [...models].map(([key, cells]) => {
    const agg = results.aggregates.byModel[key];
    const sum = (f: (c: CellResult) => number) => cells.reduce((s, c) => s + f(c), 0);
    // Same cells as results.json's p50: live (not cached) cells with a latency.
    const latencies = cells.filter((c) => c.latencyMs !== null && !c.cached).map((c) => c.latencyMs!);
    return {
      modelKey: key,
      label: cells[0]!.label,
      cells: cells.length,
      input: sum((c) => c.usage.input),
      output: sum((c) => c.usage.output),
      cacheRead: sum((c) => c.usage.cacheRead),
      cacheWrite: sum((c) => c.usage.cacheWrite),
      costUsd: agg?.costUsd ?? null,
      p50LatencyMs: agg?.p50LatencyMs ?? null,
      p95LatencyMs: percentile(latencies, 0.95),
    };
  }).sort((a, b) => a.label.localeCompare(b.label));
}

/** The hand-written references graded in the run (never counted among its cells). */
export const references = (m: ReportModel) => m.groups.filter((g) => g.reference).reduce((s, g) => s + g.cells.length, 0);

/** True when no model produced a cell: a run without keys, or stopped before its first answer. */
export const noModelRan = (m: ReportModel) => !m.groups.some((g) => !g.reference);

/** What the problem-cell list says when it is empty: never "every cell finished" of cells that did not run. */
export function noProblems(m: ReportModel): string {
  const notRun = m.run.totals.planned - m.run.totals.finished;
  if (!m.run.totals.finished) return `No cell ran (${m.run.totals.planned} planned), so none was truncated, refused or failed.`;
  return notRun > 0 ? `None of the ${m.run.totals.finished} cells that ran was truncated, refused or failed; ${notRun} planned cells did not run.` : 'None: every cell finished normally.';
}

export const NOTHING_TO_COMPARE = 'Nothing to compare: no two versions or models have graded cells on shared scenarios, and no run was given to --compare.';

export function mean(xs: number[]): number {
  return xs.reduce((s, x) => s + x, 0) / xs.length;
}
