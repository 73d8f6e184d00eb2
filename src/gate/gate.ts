// The CI gate as a pure function: (results, baseline, policy) in, a verdict object out. It reads
// no file and no environment, prints nothing and exits nothing — src/commands/gate.ts turns the
// verdict into markdown and an exit code, and `eval` can call it too (compare.ts).
//
// Per model in the baseline, paired by scenario (each scenario's candidate mean minus its
// baseline mean): the mean difference, its seeded 95% bootstrap CI and a one-sided sign-flip
// permutation p-value (stats.ts). A model fails when
//   - its mean falls by more than policy.maxDrop AND p ≤ policy.alpha (both: a big drop that may
//     be noise does not fail, nor does a tiny but certain one), or
//   - a hard grader's pass rate falls by more than its allowance in points, or
//   - it has fewer than policy.minSamples graded samples in the run or the baseline.
// The whole verdict fails when any model fails or the run has no graded output at all; it is
// "refused" when the run is not comparable (comparable.ts), with a line saying how to fix it.
// The version compared is the one asked for, else the newest version in the run (see README).

import type { Results } from '../runner/results.ts';
import { modelId, type Baseline } from './baseline.ts';
import { candidateVersion, incomparable, list, type ComparableOptions } from './comparable.ts';
import type { GatePolicy } from './policy.ts';
import { bootstrapCI, mean, rng, seedFor, signFlipPValue } from './stats.ts';

export interface GraderChange {
  grader: string;
  /** Pass rate (0..1), the mean over the paired scenarios of each scenario's pass rate. */
  before: number;
  after: number;
  /** after − before, in percentage points. */
  points: number;
  /** The allowance in points when the grader is hard, else null. */
  limit: number | null;
  failed: boolean;
}

export interface Flip {
  scenario: string;
  /** Share of the scenario's samples that passed overall. */
  before: number;
  after: number;
  from: 'pass' | 'fail';
  to: 'pass' | 'fail';
}

export interface ModelVerdict {
  model: string;
  label: string;
  status: 'pass' | 'fail';
  reasons: string[];
  /** Scenarios with graded samples on both sides. */
  scenarios: number;
  /** The run's scenarios left out for want of graded samples on one side. */
  notCompared: string[];
  baseline: { mean: number | null; samples: number };
  candidate: { mean: number | null; samples: number };
  effect: { diff: number; ci: [number, number]; p: number; minP: number; exact: boolean } | null;
  /** Graders whose pass rate fell: failed ones first, then the largest falls. */
  graders: GraderChange[];
  /** Scenarios whose majority verdict changed (pass → fail first). */
  flipped: Flip[];
}

export interface Verdict {
  status: 'pass' | 'fail' | 'refused';
  prompt: string;
  /** Why the run cannot be compared, with the fix (status "refused"). */
  refusal: string | null;
  /** Every reason the gate failed, each naming its model. */
  reasons: string[];
  notes: string[];
  run: { id: string; suite: string; status: Results['status']; version: string | null; sha256: string | null };
  baseline: { run: string; suite: string; version: string; sha256: string };
  policy: GatePolicy;
  models: ModelVerdict[];
}

export interface GateOptions extends ComparableOptions {
  /** Compare this version of the run (default: the newest in the run). */
  version?: string;
}

type Cell = Results['cells'][number];

export function gate(results: Results, baseline: Baseline, policy: GatePolicy, opts: GateOptions = {}): Verdict {
  const picked = candidateVersion(results, opts.version);
  const cells = results.cells.filter((c) => c.provider !== 'reference' && c.version === picked.version);
  const verdict: Verdict = {
    status: 'pass',
    prompt: baseline.prompt.id,
    refusal: null,
    reasons: [],
    notes: [],
    run: { id: results.runId, suite: results.suite.file, status: results.status, version: picked.version, sha256: cells.find((c) => c.promptSha256)?.promptSha256 ?? null },
    baseline: { run: baseline.run, suite: baseline.suite.file, version: baseline.prompt.version, sha256: baseline.prompt.sha256 },
    policy,
    models: [],
  };
  const refusal = picked.problem ?? incomparable(results, baseline, opts);
  if (refusal) return { ...verdict, status: 'refused', refusal };

  const graded = cells.filter((c) => c.score !== null);
  if (!graded.length) {
    const errors = cells.filter((c) => c.status === 'error');
    const why = `${cells.length} cells${errors.length ? `, ${errors.length} failed (first: ${errors[0]!.error ?? 'error'})` : ''}, ${results.totals.pending} not run`;
    verdict.reasons.push(`run ${results.runId} has no graded output${picked.version ? ` of version ${picked.version}` : ''} (${why}); nothing to compare, so nothing passes`);
    return { ...verdict, status: 'fail' };
  }

  // A baseline model the run's suite did not ask for is out of scope; one it asked for but
  // that produced nothing (no key, every call failed) fails: the gate cannot vouch for it.
  const inScope = baseline.models.filter((m) => results.suite.models.includes(m.id));
  const outOfScope = baseline.models.filter((m) => !inScope.includes(m));
  if (outOfScope.length) verdict.notes.push(`in the baseline but not in this run's suite, so not gated: ${list(outOfScope.map((m) => m.label))}`);
  if (!inScope.length) verdict.reasons.push(`run ${results.runId} has none of the baseline's models (${list(baseline.models.map((m) => m.id))}); nothing to compare`);
  for (const m of inScope) verdict.models.push(judgeModel(m, baseline, cells, results.suite.scenarios, policy));
  for (const m of verdict.models) for (const r of m.reasons) verdict.reasons.push(`${m.label}: ${r}`);

  const extraModels = [...new Set(graded.map(modelId))].filter((id) => !baseline.results[id]);
  if (extraModels.length) verdict.notes.push(`not in the baseline, so not gated: ${list(extraModels)}`);
  const runScenarios = new Set(results.suite.scenarios);
  if (runScenarios.size < baseline.scenarios.length) verdict.notes.push(`compared on the run's ${runScenarios.size} of the baseline's ${baseline.scenarios.length} scenarios`);
  if (results.suite.file !== baseline.suite.file) verdict.notes.push(`run suite ${results.suite.file}, baseline suite ${baseline.suite.file}: same prompt, graders and grading policy`);
  if (picked.version === baseline.prompt.version && verdict.run.sha256 !== baseline.prompt.sha256) verdict.notes.push(`version ${picked.version} has another sha256 than the baseline's: the prompt changed without a new version (promptgate registry lint)`);
  if (results.status !== 'complete') verdict.notes.push(`run status ${results.status}: ${results.totals.pending} cells not run, ${results.totals.errors} failed`);
  const weak = verdict.models.find((m) => m.effect && m.effect.minP > policy.alpha);
  if (weak) verdict.notes.push(`with ${weak.scenarios} paired scenarios the smallest attainable p is ${weak.effect!.minP.toFixed(3)} > alpha ${policy.alpha}: no mean drop can be significant, so only hard graders can fail this gate (the full suite tests the mean)`);

  verdict.status = verdict.reasons.length ? 'fail' : 'pass';
  return verdict;
}

function judgeModel(model: Baseline['models'][number], baseline: Baseline, cells: Cell[], runScenarios: string[], policy: GatePolicy): ModelVerdict {
  const base = baseline.results[model.id] ?? {};
  const mine = cells.filter((c) => modelId(c) === model.id);
  const graded = mine.filter((c) => c.score !== null);
  const byScenario = new Map<string, Cell[]>();
  for (const c of graded) byScenario.set(c.scenario, [...(byScenario.get(c.scenario) ?? []), c]);
  const paired = [...runScenarios].sort().filter((s) => byScenario.has(s) && base[s]?.score.length);
  const out: ModelVerdict = {
    model: model.id,
    label: model.label,
    status: 'pass',
    reasons: [],
    scenarios: paired.length,
    notCompared: runScenarios.filter((s) => !paired.includes(s)).sort(),
    baseline: { mean: null, samples: paired.reduce((n, s) => n + base[s]!.score.length, 0) },
    candidate: { mean: null, samples: paired.reduce((n, s) => n + byScenario.get(s)!.length, 0) },
    effect: null,
    graders: [],
    flipped: [],
  };
  const fail = (reason: string) => (out.reasons.push(reason), (out.status = 'fail'), out);

  if (!graded.length) {
    const errors = mine.filter((c) => c.status === 'error');
    return fail(`no graded output in the run${errors.length ? ` (${errors.length} cells failed; first: ${errors[0]!.error ?? 'error'})` : mine.length ? '' : ' (not run: is its API key set?)'}`);
  }
  if (out.candidate.samples < policy.minSamples || out.baseline.samples < policy.minSamples) {
    return fail(`too few graded samples to judge (run ${out.candidate.samples}, baseline ${out.baseline.samples}; the policy needs ${policy.minSamples})`);
  }

  const b = paired.map((s) => mean(base[s]!.score));
  const c = paired.map((s) => mean(byScenario.get(s)!.map((x) => x.score!)));
  const diffs = paired.map((_, i) => c[i]! - b[i]!);
  const random = rng(seedFor(policy.seed, model.id));
  const diff = mean(diffs);
  const ci = bootstrapCI(diffs, policy.bootstrap, random);
  const perm = signFlipPValue(diffs, random);
  out.baseline.mean = round(mean(b));
  out.candidate.mean = round(mean(c));
  out.effect = { diff: round(diff), ci: [round(ci[0]), round(ci[1])], p: round(perm.p), minP: perm.minP, exact: perm.exact };
  if (-diff > policy.maxDrop && perm.p <= policy.alpha) {
    fail(`mean score fell by ${(-diff).toFixed(3)} (more than ${policy.maxDrop}) and ${pText(perm.p)} ≤ ${policy.alpha}`);
  }

  const graders = [...new Set([...paired.flatMap((s) => Object.keys(base[s]!.graders)), ...Object.keys(policy.hard)])].sort();
  for (const g of graders) {
    const rates = paired.flatMap((s) => {
      const before = base[s]!.graders[g]?.pass ?? [];
      const after = byScenario.get(s)!.flatMap((x) => (x.grades[g] ? [x.grades[g].pass] : []));
      return before.length && after.length ? [[passRate(before), passRate(after)] as const] : [];
    });
    if (!rates.length) continue;
    const before = mean(rates.map((r) => r[0]));
    const after = mean(rates.map((r) => r[1]));
    const points = (after - before) * 100;
    const limit = policy.hard[g] ?? null;
    const failed = limit !== null && -points > limit + 1e-9;
    if (points < -1e-9) out.graders.push({ grader: g, before: round(before), after: round(after), points: round(points, 1), limit, failed });
    if (failed) fail(`hard grader ${g}: pass rate ${pct(before)} → ${pct(after)} (${Number((-points).toFixed(1))} points down; at most ${limit} allowed)`);
  }
  out.graders.sort((x, y) => Number(y.failed) - Number(x.failed) || x.points - y.points || x.grader.localeCompare(y.grader));

  for (const s of paired) {
    const before = passRate(base[s]!.pass);
    const after = passRate(byScenario.get(s)!.map((x) => x.pass === true));
    const from = before >= 0.5 ? 'pass' : 'fail';
    const to = after >= 0.5 ? 'pass' : 'fail';
    if (from !== to) out.flipped.push({ scenario: s, before: round(before), after: round(after), from, to });
  }
  out.flipped.sort((x, y) => (x.from === y.from ? x.scenario.localeCompare(y.scenario) : x.from === 'pass' ? -1 : 1));
  return out;
}

const passRate = (xs: readonly boolean[]) => xs.filter(Boolean).length / xs.length;
const round = (x: number, digits = 4) => Math.round(x * 10 ** digits) / 10 ** digits;
export const pct = (x: number) => `${Math.round(x * 100)}%`;
export const pText = (p: number) => (p < 0.001 ? 'p < 0.001' : `p = ${p.toFixed(3)}`);
