// The CI gate as a pure function: (results, baseline, policy) in, a verdict object out. It reads
// no file and no environment, prints nothing and exits nothing — src/commands/gate.ts turns the
// verdict into markdown and an exit code, and `eval` can call it too (compare.ts).
//
// Per model in scope, on the scenarios both sides graded (measure.ts):
//   - the mean score: FAIL when the stratified permutation test of "no drop" rejects at the
//     test's share of alpha; PASS when non-inferiority is shown (it fell by less than maxDrop,
//     one-sided at alpha); INCONCLUSIVE otherwise;
//   - each hard grader: FAIL when its pass rate fell by more than its allowance AND the exact
//     stratified test rejects at its share of alpha; a fall past the allowance that is not
//     significant is a warning.
// All tests of the check — models × (mean + hard graders) — are one family under weighted Holm
// at alpha (exact.ts), split between the two looks when a second batch is planned. Missing data
// is never a pass: a scenario the reference graded with no graded candidate sample, more than
// maxMissing of a model's cells without a grade, fewer than minScenarios scenarios, or a score
// that is not a number make the verdict INCOMPLETE. The whole verdict is the worst of its models:
// fail, then incomplete, then inconclusive, then pass; "refused" when the run is not comparable.

import type { Results } from '../runner/results.ts';
import { modelId, type Baseline } from './baseline.ts';
import { candidateVersion, incomparable, list, type ComparableOptions } from './comparable.ts';
import { holm, type FamilyTest } from './exact.ts';
import { measureModel, type GraderMeasure, type ModelMeasure } from './measure.ts';
import type { GatePolicy } from './policy.ts';
import { badScores, sideFromBaseline, sideFromCells, type Side } from './sides.ts';
import { MIN_CI_SCENARIOS } from './stats.ts';

export type Status = 'pass' | 'fail' | 'inconclusive' | 'incomplete';

export interface MeanVerdict {
  status: 'pass' | 'fail' | 'inconclusive';
  /** Mean over scenarios of (candidate mean − reference mean). */
  diff: number;
  /** 95% interval (inverted permutation test); null below 5 scenarios, where it means little. */
  ci: [number, number] | null;
  /** One-sided lower confidence bound at 1 − (this look's) alpha: PASS needs it above −maxDrop. */
  lower: number;
  /** One-sided p of "no drop", and the level it had to reach (its Holm share of alpha). */
  p: number;
  level: number;
  /** One-sided p of "it fell by maxDrop or more". */
  pNonInferior: number;
  exact: boolean;
}

export interface GraderChange extends GraderMeasure {
  /** The allowance in points when the grader is hard, else null. */
  limit: number | null;
  /** The level p had to reach (hard graders only). */
  level: number | null;
  status: 'fail' | 'warn' | 'ok';
}

export interface ModelVerdict {
  model: string;
  label: string;
  status: Status;
  /** Why it failed or is incomplete. */
  reasons: string[];
  warnings: string[];
  /** Scenarios compared (graded on both sides). */
  scenarios: number;
  /** The run's scenarios left out for want of graded samples on one side. */
  notCompared: string[];
  /** Candidate cells planned and graded. */
  cells: { planned: number; graded: number };
  baseline: { mean: number | null; samples: number };
  candidate: { mean: number | null; samples: number };
  mean: MeanVerdict | null;
  /** Hard graders, and graders whose pass rate fell: failed first, then the largest falls. */
  graders: GraderChange[];
  flipped: ModelMeasure['flipped'];
}

export interface Verdict {
  status: Status | 'refused';
  /** What the check finally means: pass or fail, or "escalate" when a planned second batch is due. */
  outcome: 'pass' | 'fail' | 'escalate' | 'refused';
  /** 1, or 2 for the second batch of a planned escalation. */
  stage: 1 | 2;
  /** The family-wise alpha this look spent. */
  alpha: number;
  prompt: string;
  refusal: string | null;
  reasons: string[];
  warnings: string[];
  notes: string[];
  run: { id: string; suite: string; status: Results['status']; version: string | null; sha256: string | null };
  baseline: { run: string; suite: string; version: string; sha256: string };
  /** What the candidate was compared with: the committed baseline, or same-day control cells. */
  reference: 'baseline' | 'control';
  /** Control vs baseline, per model, when a control ran: has the provider moved since the baseline? */
  drift: { model: string; label: string; diff: number; p: number; moved: boolean }[];
  policy: GatePolicy;
  models: ModelVerdict[];
}

export interface GateOptions extends ComparableOptions {
  /** Compare this version of the run (default: the newest in the run). */
  version?: string;
  /** The look: 2 for the second batch of a planned escalation (default 1). */
  stage?: 1 | 2;
}

type Cell = Results['cells'][number];

export function gate(results: Results, baseline: Baseline, policy: GatePolicy, opts: GateOptions = {}): Verdict {
  const stage = opts.stage ?? 1;
  const alpha = policy.escalate ? policy.alpha * (stage === 1 ? policy.escalate.firstShare : 1 - policy.escalate.firstShare) : policy.alpha;
  const models = results.cells.filter((c) => c.provider !== 'reference');
  const control = models.filter((c) => c.control === true);
  const picked = candidateVersion({ ...results, cells: models.filter((c) => !c.control) }, opts.version);
  const cells = models.filter((c) => !c.control && c.version === picked.version);
  const verdict: Verdict = {
    status: 'pass',
    outcome: 'pass',
    stage,
    alpha,
    prompt: baseline.prompt.id,
    refusal: null,
    reasons: [],
    warnings: [],
    notes: [],
    run: { id: results.runId, suite: results.suite.file, status: results.status, version: picked.version, sha256: cells.find((c) => c.promptSha256)?.promptSha256 ?? null },
    baseline: { run: baseline.run, suite: baseline.suite.file, version: baseline.prompt.version, sha256: baseline.prompt.sha256 },
    reference: control.length ? 'control' : 'baseline',
    drift: [],
    policy,
    models: [],
  };
  const refusal = picked.problem ?? incomparable(results, baseline, opts);
  if (refusal) return { ...verdict, status: 'refused', outcome: 'refused', refusal };
  const finish = (status: Status) => ({ ...verdict, status, outcome: outcomeOf(status, policy, stage) });

  const bad = badScores(models);
  if (bad.length) {
    verdict.reasons.push(`${bad.length} cell${bad.length > 1 ? 's have' : ' has'} a score that is not a number in [0, 1] (first: ${bad[0]!.id} = ${bad[0]!.score}); nothing can be judged on it`);
    return finish('incomplete');
  }
  if (!cells.some((c) => c.score !== null)) {
    const errors = cells.filter((c) => c.status === 'error');
    const why = `${cells.length} cells${errors.length ? `, ${errors.length} failed (first: ${errors[0]!.error ?? 'error'})` : ''}, ${results.totals.pending} not run`;
    verdict.reasons.push(`run ${results.runId} has no graded output${picked.version ? ` of version ${picked.version}` : ''} (${why}); nothing to compare, so nothing passes`);
    return finish('incomplete');
  }

  // A baseline model the run's suite did not ask for is out of scope; one it asked for but that
  // produced nothing (no key, every call failed) is incomplete: the gate cannot vouch for it.
  const inScope = baseline.models.filter((m) => results.suite.models.includes(m.id));
  const outOfScope = baseline.models.filter((m) => !inScope.includes(m));
  if (outOfScope.length) verdict.notes.push(`in the baseline but not in this run's suite, so not gated: ${list(outOfScope.map((m) => m.label))}`);
  if (!inScope.length) {
    verdict.reasons.push(`run ${results.runId} has none of the baseline's models (${list(baseline.models.map((m) => m.id))}); nothing to compare`);
    return finish('incomplete');
  }

  const baselineSide = sideFromBaseline(baseline);
  const reference = verdict.reference === 'control' ? sideFromCells(control) : baselineSide;
  const candidate = sideFromCells(cells);
  const scenarios = results.suite.scenarios;
  const measured = inScope.map((m) => ({ m, measure: measureModel(reference.get(m.id) ?? new Map(), candidate.get(m.id) ?? new Map(), scenarios, { ...policy, stream: m.id }) }));

  // One family: every model's mean test and hard-grader tests, under weighted Holm.
  const hardIds = Object.keys(policy.hard);
  const family: (FamilyTest & { model: number; grader: string | null })[] = [];
  measured.forEach(({ measure }, i) => {
    if (!measure) return;
    const meanShare = hardIds.length ? policy.meanShare : 1;
    family.push({ p: measure.test.pBelow(0), share: meanShare / inScope.length, model: i, grader: null });
    const hard = measure.graders.filter((g) => g.grader in policy.hard);
    for (const g of hard) family.push({ p: g.p, share: (1 - meanShare) / hardIds.length / inScope.length, model: i, grader: g.grader });
  });
  const rejected = holm(family, alpha);
  const totalShare = family.reduce((s, t) => s + t.share, 0);
  const decision = (model: number, grader: string | null) => {
    const i = family.findIndex((t) => t.model === model && t.grader === grader);
    return i < 0 ? null : { rejected: rejected[i]!, level: (alpha * family[i]!.share) / totalShare };
  };

  measured.forEach(({ m, measure }, i) => {
    const judged = judge(m, measure, (g) => decision(i, g), cells, scenarios, results.suite.samples, reference.get(m.id), policy, alpha);
    if (verdict.reference === 'control') controlGaps(judged, control, candidate.get(m.id), policy);
    verdict.models.push(judged);
  });
  for (const m of verdict.models) {
    for (const r of m.reasons) verdict.reasons.push(`${m.label}: ${r}`);
    for (const w of m.warnings) verdict.warnings.push(`${m.label}: ${w}`);
  }

  if (verdict.reference === 'control') verdict.drift = driftOf(inScope, baselineSide, reference, scenarios, policy);
  for (const d of verdict.drift.filter((x) => x.moved)) verdict.warnings.push(`${d.label}: the control moved ${signed(d.diff)} from the baseline (p = ${d.p.toFixed(3)}, two-sided): the provider drifted since the baseline was made; the candidate was judged against the control`);
  notes(verdict, results, baseline, cells);
  const statuses = verdict.models.map((m) => m.status);
  return finish((['fail', 'incomplete', 'inconclusive'] as const).find((s) => statuses.includes(s)) ?? 'pass');
}

function judge(
  model: Baseline['models'][number],
  measure: ModelMeasure | null,
  decide: (grader: string | null) => { rejected: boolean; level: number } | null,
  cells: readonly Cell[],
  scenarios: readonly string[],
  samplesPerCell: number,
  reference: ReadonlyMap<string, { score: number[] }> | undefined,
  policy: GatePolicy,
  lookAlpha: number,
): ModelVerdict {
  const mine = cells.filter((c) => modelId(c) === model.id);
  const graded = mine.filter((c) => c.score !== null);
  const planned = scenarios.length * samplesPerCell;
  const out: ModelVerdict = {
    model: model.id,
    label: model.label,
    status: 'pass',
    reasons: [],
    warnings: [],
    scenarios: measure?.paired.length ?? 0,
    notCompared: scenarios.filter((s) => !measure?.paired.includes(s)).sort(),
    cells: { planned, graded: graded.length },
    baseline: { mean: measure ? round(measure.before.mean) : null, samples: measure?.before.samples ?? 0 },
    candidate: { mean: measure ? round(measure.after.mean) : null, samples: measure?.after.samples ?? 0 },
    mean: null,
    graders: [],
    flipped: measure?.flipped ?? [],
  };
  const incomplete: string[] = [];
  if (!graded.length) {
    const errors = mine.filter((c) => c.status === 'error');
    incomplete.push(`no graded output in the run${errors.length ? ` (${errors.length} cells failed; first: ${errors[0]!.error ?? 'error'})` : mine.length ? '' : ' (not run: is its API key set?)'}`);
  } else {
    const missing = planned - graded.length;
    if (missing > policy.maxMissing * planned + 1e-9) {
      const kinds = countBy(mine.filter((c) => c.score === null).map((c) => c.status));
      const what = [...Object.entries(kinds).map(([k, n]) => `${n} ${k}`), ...(missing > mine.length - graded.length ? [`${missing - (mine.length - graded.length)} not run`] : [])].join(', ');
      incomplete.push(`${missing} of ${planned} cells have no grade (${what}); at most ${Math.round(policy.maxMissing * 100)}% may be missing`);
    }
    const lost = scenarios.filter((s) => (reference?.get(s)?.score.length ?? 0) > 0 && !graded.some((c) => c.scenario === s));
    if (lost.length) incomplete.push(`no graded sample for ${lost.length} scenario${lost.length > 1 ? 's' : ''} the reference graded (${list(lost)})`);
    if (out.scenarios < policy.minScenarios) incomplete.push(`${out.scenarios} scenario${out.scenarios === 1 ? '' : 's'} compared; the policy needs ${policy.minScenarios} (minScenarios) with at least ${policy.minSamples} graded sample${policy.minSamples > 1 ? 's' : ''} on each side`);
  }

  if (measure) {
    const mean = meanVerdict(measure, policy, decide(null)!, lookAlpha);
    out.mean = mean;
    if (mean.status === 'fail') out.reasons.push(`mean score fell by ${(-mean.diff).toFixed(3)} (one-sided permutation p = ${fmtP(mean.p)} ≤ ${fmtP(mean.level)}, its share of alpha)`);
    else if (mean.status === 'inconclusive') out.warnings.push(`mean score ${signed(mean.diff)}: neither a significant drop nor shown to be within −${policy.maxDrop} (lower bound ${signed(mean.lower)})`);
    for (const g of measure.graders) {
      const limit = policy.hard[g.grader] ?? null;
      const hard = limit === null ? null : decide(g.grader);
      const over = limit !== null && -g.points > limit + 1e-9;
      const status = over && hard?.rejected ? 'fail' : over ? 'warn' : 'ok';
      if (limit === null && g.points >= -1e-9) continue;
      out.graders.push({ ...g, before: round(g.before), after: round(g.after), points: round(g.points, 1), p: round(g.p, 6), limit, level: hard?.level ?? null, status });
      const fall = `pass rate ${pct(g.before)} → ${pct(g.after)} (${Number((-g.points).toFixed(1))} points down; allowance ${limit})`;
      if (status === 'fail') out.reasons.push(`hard grader ${g.grader}: ${fall}, exact stratified p = ${fmtP(g.p)} ≤ ${fmtP(hard!.level)}`);
      if (status === 'warn') out.warnings.push(`hard grader ${g.grader}: ${fall}, but not significant (p = ${fmtP(g.p)} > ${fmtP(hard?.level ?? 0)})`);
    }
    out.graders.sort((x, y) => rank(x) - rank(y) || x.points - y.points || x.grader.localeCompare(y.grader));
  }
  if (incomplete.length) out.reasons.push(...incomplete.map((r) => `incomplete: ${r}`));
  out.status = out.reasons.some((r) => !r.startsWith('incomplete: ')) ? 'fail' : incomplete.length ? 'incomplete' : out.mean?.status === 'inconclusive' ? 'inconclusive' : 'pass';
  return out;
}

/**
 * PASS needs non-inferiority at this look's alpha: with a planned second batch each look spends
 * its share, so a candidate that truly fell by maxDrop passes at most alpha of the time in all.
 */
/**
 * Missing control data is missing data too: a scenario the candidate graded with no graded
 * control sample, or more than maxMissing of the model's control cells without a grade.
 */
function controlGaps(out: ModelVerdict, control: readonly Cell[], candidate: ReadonlyMap<string, unknown> | undefined, policy: GatePolicy): void {
  const mine = control.filter((c) => modelId(c) === out.model);
  const graded = mine.filter((c) => c.score !== null);
  const gaps: string[] = [];
  const lost = [...(candidate?.keys() ?? [])].filter((s) => !graded.some((c) => c.scenario === s)).sort();
  if (lost.length) gaps.push(`no graded control sample for ${lost.length} scenario${lost.length > 1 ? 's' : ''} (${list(lost)})`);
  if (mine.length - graded.length > policy.maxMissing * mine.length + 1e-9) gaps.push(`${mine.length - graded.length} of ${mine.length} control cells have no grade; at most ${Math.round(policy.maxMissing * 100)}% may be missing`);
  if (!gaps.length) return;
  out.reasons.push(...gaps.map((g) => `incomplete: ${g}`));
  if (out.status !== 'fail') out.status = 'incomplete';
}

function meanVerdict(measure: ModelMeasure, policy: GatePolicy, decided: { rejected: boolean; level: number }, lookAlpha: number): MeanVerdict {
  const t = measure.test;
  const pNonInferior = t.pAbove(-policy.maxDrop);
  const status = decided.rejected ? 'fail' : pNonInferior <= lookAlpha ? 'pass' : 'inconclusive';
  const ci = measure.paired.length >= MIN_CI_SCENARIOS ? t.interval(0.95).map((x) => round(x)) as [number, number] : null;
  return { status, diff: round(t.diff), ci, lower: round(t.lowerBound(lookAlpha)), p: round(t.pBelow(0), 6), level: decided.level, pNonInferior: round(pNonInferior, 6), exact: t.exact };
}

function driftOf(models: Baseline['models'], baseline: Side, control: Side, scenarios: readonly string[], policy: GatePolicy): Verdict['drift'] {
  return models.flatMap((m) => {
    const measure = measureModel(baseline.get(m.id) ?? new Map(), control.get(m.id) ?? new Map(), scenarios, { ...policy, stream: `drift|${m.id}` });
    if (!measure) return [];
    const p = Math.min(1, 2 * Math.min(measure.test.pBelow(0), measure.test.pAbove(0)));
    return [{ model: m.id, label: m.label, diff: round(measure.test.diff), p: round(p, 6), moved: p <= policy.alpha }];
  });
}

function notes(verdict: Verdict, results: Results, baseline: Baseline, cells: readonly Cell[]): void {
  const extraModels = [...new Set(cells.filter((c) => c.score !== null).map(modelId))].filter((id) => !baseline.results[id]);
  if (extraModels.length) verdict.notes.push(`not in the baseline, so not gated: ${list(extraModels)}`);
  const runScenarios = new Set(results.suite.scenarios);
  if (runScenarios.size < baseline.scenarios.length) verdict.notes.push(`compared on the run's ${runScenarios.size} of the baseline's ${baseline.scenarios.length} scenarios`);
  if (results.suite.file !== baseline.suite.file) verdict.notes.push(`run suite ${results.suite.file}, baseline suite ${baseline.suite.file}: same prompt, graders and grading policy`);
  if (verdict.run.version === baseline.prompt.version && verdict.run.sha256 !== baseline.prompt.sha256) verdict.notes.push(`version ${verdict.run.version} has another sha256 than the baseline's: the prompt changed without a new version (promptgate registry lint)`);
  if (results.status !== 'complete') verdict.notes.push(`run status ${results.status}: ${results.totals.pending} cells not run, ${results.totals.errors} failed`);
}

function outcomeOf(status: Status, policy: GatePolicy, stage: 1 | 2): Verdict['outcome'] {
  if (status === 'pass') return 'pass';
  if (status !== 'inconclusive') return 'fail';
  return policy.escalate && stage === 1 ? 'escalate' : policy.onInconclusive;
}

const rank = (g: GraderChange) => (g.status === 'fail' ? 0 : g.status === 'warn' ? 1 : 2);
const countBy = (xs: readonly string[]) => xs.reduce<Record<string, number>>((o, x) => ((o[x] = (o[x] ?? 0) + 1), o), {});
const round = (x: number, digits = 4) => Math.round(x * 10 ** digits) / 10 ** digits;
const signed = (x: number) => `${x >= 0 ? '+' : '−'}${Math.abs(x).toFixed(3)}`;
export const pct = (x: number) => `${Math.round(x * 100)}%`;
export const fmtP = (p: number) => (p < 0.001 ? p.toExponential(1) : p < 0.01 ? p.toFixed(4) : p.toFixed(3));
