// The gate where the truth is known: seeded synthetic runs (synthetic.ts) with no change, a large
// drop, a hard grader that falls while the mean holds; and every way data can go missing, which
// must never pass. Error rates on realistic scores are in simulate.test.ts and bench/gate.bench.ts.

import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEFAULT_POLICY } from '../../graders/grade.ts';
import type { Results } from '../runner/results.ts';
import { buildBaseline, formatBaseline } from './baseline.ts';
import { compareWithBaseline } from './compare.ts';
import { gate } from './gate.ts';
import { verdictMarkdown } from './markdown.ts';
import { gatePolicy } from './policy.ts';
import { syntheticPair } from '../../bench/gate/synthetic.ts';

const policy = gatePolicy(undefined, ['cost-table']);

/** A changed copy of `run`, for the cases that break one thing. */
const editing =
  (run: Results) =>
  (change: (r: Results) => void): Results => {
    const copy = structuredClone(run);
    change(copy);
    return copy;
  };

describe('gate on synthetic runs (16 scenarios × 3 samples)', () => {
  it('passes identical runs: no effect, no drop, non-inferiority shown', () => {
    const { candidate, baseline } = syntheticPair({ seed: 1, identical: true });
    const v = gate(candidate, baseline, policy);
    expect(v.status).toBe('pass');
    expect(v.outcome).toBe('pass');
    const mean = v.models[0]!.mean!;
    expect(mean).toMatchObject({ status: 'pass', diff: 0 });
    expect(mean.p).toBeGreaterThan(0.3);
    expect(mean.pNonInferior).toBeLessThan(0.05);
    expect(mean.ci![0]).toBeLessThan(0);
    expect(mean.ci![1]).toBeGreaterThan(0);
    expect(v.models[0]!.graders.every((g) => g.status === 'ok')).toBe(true);
  });

  it('fails a candidate worse by 0.10 on every scenario, naming the model and the drop', () => {
    const { candidate, baseline } = syntheticPair({ seed: 2, drop: 0.1 });
    const v = gate(candidate, baseline, policy);
    expect(v.status).toBe('fail');
    const m = v.models[0]!;
    expect(m.mean!.diff).toBeLessThan(-0.07);
    expect(m.mean!.ci![1]).toBeLessThan(0);
    expect(m.mean!.p).toBeLessThan(0.001);
    expect(v.reasons[0]).toMatch(/^Synthetic Model: mean score fell by 0\.\d{3} \(one-sided permutation p = .* ≤ 0\.025, its share of alpha\)$/);
  });

  it('fails when a hard grader falls from 100% to 70% even though the mean holds', () => {
    const { candidate, baseline } = syntheticPair({ seed: 3, drop: 0, hardAfter: 0.7 });
    const v = gate(candidate, baseline, policy);
    expect(v.status).toBe('fail');
    const m = v.models[0]!;
    expect(Math.abs(m.mean!.diff)).toBeLessThan(0.03);
    expect(m.reasons).toHaveLength(1);
    expect(m.reasons[0]).toMatch(/^hard grader cost-table: pass rate 100% → 71% \(29\.2 points down; allowance 5\), exact stratified p = .* ≤ 0\.025$/);
    expect(m.graders[0]).toMatchObject({ grader: 'cost-table', before: 1, limit: 5, status: 'fail' });
    expect(m.flipped.every((f) => f.from === 'pass' && f.to === 'fail')).toBe(true);
  });

  it('warns, not fails, when a hard grader fell past its allowance without significance', () => {
    const { candidate, baseline } = syntheticPair({ seed: 3, scenarios: 4, samples: 2, hardAfter: 7 / 8 });
    const v = gate(candidate, baseline, { ...policy, minScenarios: 4 });
    const g = v.models[0]!.graders.find((x) => x.grader === 'cost-table')!;
    expect(g.points).toBeLessThan(-5);
    expect(g.status).toBe('warn');
    expect(v.warnings.join('\n')).toMatch(/hard grader cost-table: .* but not significant/);
  });

  it('gives the same verdict for the same inputs; exact tests do not depend on the seed', () => {
    const { candidate, baseline } = syntheticPair({ seed: 4, drop: 0.04 });
    const a = gate(candidate, baseline, policy);
    expect(gate(candidate, baseline, policy)).toEqual(a);
    const other = gate(candidate, baseline, { ...policy, seed: 99 });
    expect(other.status).toBe(a.status);
    const small = syntheticPair({ seed: 4, scenarios: 4, samples: 1 });
    const exact = gate(small.candidate, small.baseline, policy);
    expect(exact.models[0]!.mean!.exact).toBe(true);
    expect(gate(small.candidate, small.baseline, { ...policy, seed: 99 }).models[0]!.mean).toEqual(exact.models[0]!.mean);
  });

  it('is inconclusive when neither a drop nor non-inferiority can be shown, and the policy decides the outcome', () => {
    const { candidate, baseline } = syntheticPair({ seed: 11, scenarios: 4, samples: 1, drop: 0.03 });
    const v = gate(candidate, baseline, policy);
    expect(v.status).toBe('inconclusive');
    expect(v.outcome).toBe('pass');
    expect(v.models[0]!.mean!.ci).toBeNull(); // fewer than 5 scenarios: no "95% CI"
    expect(gate(candidate, baseline, { ...policy, onInconclusive: 'fail' }).outcome).toBe('fail');
    const planned = { ...policy, escalate: { samples: 2, firstShare: 0.5 } };
    const first = gate(candidate, baseline, planned);
    expect(first.outcome).toBe('escalate');
    expect(first.alpha).toBeCloseTo(0.025);
    const second = gate(candidate, baseline, planned, { stage: 2 });
    expect(second.alpha).toBeCloseTo(0.025);
    expect(second.outcome).toBe('pass');
  });
});

describe('gate refuses what it cannot compare', () => {
  const { candidate, baseline } = syntheticPair({ seed: 5 });
  const edit = editing(candidate);

  it('refuses other graders, with the regrade commands that fix it', () => {
    const v = gate(edit((r) => (r.gradersVersion = 'newer')), baseline, policy, { currentGraders: 'newer' });
    expect(v.status).toBe('refused');
    expect(v.refusal).toMatch(/\/gradersVersion: the graders changed .*promptgate regrade baseline-run && promptgate baseline update/);
    const stale = gate(edit((r) => (r.gradersVersion = 'older')), baseline, policy, { currentGraders: baseline.gradersVersion });
    expect(stale.refusal).toMatch(/promptgate regrade candidate-run && promptgate gate/);
  });

  it('refuses scenarios the baseline lacks, another prompt, another grading policy, a missing version', () => {
    expect(gate(edit((r) => r.suite.scenarios.push('new-scenario')), baseline, policy).refusal).toMatch(/\/scenarios: run candidate-run has scenarios the baseline lacks \(new-scenario\)/);
    expect(gate(edit((r) => (r.suite.prompt = 'other')), baseline, policy).refusal).toMatch(/\/prompt\/id: .*"other"/);
    expect(gate(candidate, baseline, policy, { gradePolicy: { ...DEFAULT_POLICY, passThreshold: 0.7 } }).refusal).toMatch(/\/gradePolicy:/);
    expect(gate(candidate, baseline, policy, { version: '9.9.9' }).refusal).toMatch(/--version 9\.9\.9: run candidate-run has no output of that version \(it has 1\.2\.0\)/);
  });

  it('compares a subset of the baseline scenarios (a smoke run against the full baseline) and says so', () => {
    const subset = edit((r) => {
      r.suite.scenarios = r.suite.scenarios.slice(0, 4);
      r.suite.file = 'evals/smoke.yaml';
      r.cells = r.cells.filter((c) => r.suite.scenarios.includes(c.scenario));
    });
    const v = gate(subset, baseline, policy);
    expect(v.models[0]!.scenarios).toBe(4);
    expect(v.status).not.toBe('fail');
    expect(v.notes.join('\n')).toMatch(/compared on the run's 4 of the baseline's 16 scenarios/);
  });
});

describe('missing data is never a pass', () => {
  const { candidate, baseline } = syntheticPair({ seed: 5 });
  const edit = editing(candidate);
  const errored = (c: Results['cells'][number]) => Object.assign(c, { status: 'error', error: 'server_error (HTTP 500)', score: null, pass: null, grades: {} });

  it('is INCOMPLETE when the candidate errored on 6 of 16 scenarios', () => {
    const lost = candidate.suite.scenarios.slice(0, 6);
    const v = gate(edit((r) => r.cells.filter((c) => lost.includes(c.scenario)).forEach(errored)), baseline, policy);
    expect(v.status).toBe('incomplete');
    expect(v.outcome).toBe('fail');
    expect(v.reasons.join('\n')).toMatch(/18 of 48 cells have no grade \(18 error\); at most 5% may be missing/);
    expect(v.reasons.join('\n')).toMatch(/no graded sample for 6 scenarios the reference graded/);
  });

  it('is INCOMPLETE when 45 of 48 cells errored, when 3 of 48 did (over 5%), and for an empty run', () => {
    expect(gate(edit((r) => r.cells.slice(3).forEach(errored)), baseline, policy).status).toBe('incomplete');
    expect(gate(edit((r) => r.cells.slice(0, 3).forEach(errored)), baseline, policy).status).toBe('incomplete');
    expect(gate(edit((r) => r.cells.slice(0, 2).forEach(errored)), baseline, policy).status).not.toBe('incomplete'); // 2/48 ≤ 5%
    const empty = gate(edit((r) => (r.cells = [])), baseline, policy);
    expect(empty.status).toBe('incomplete');
    expect(empty.reasons[0]).toMatch(/has no graded output/);
  });

  it('is INCOMPLETE when the same-day control is missing a scenario', () => {
    const withControl = edit((r) => r.cells.push(...r.cells.filter((c) => c.scenario !== r.suite.scenarios[0]).map((c) => ({ ...c, id: `${c.id}|control`, version: '1.1.0', control: true }))));
    const v = gate(withControl, baseline, policy);
    expect(v.reference).toBe('control');
    expect(v.status).toBe('incomplete');
    expect(v.reasons.join('\n')).toMatch(/no graded control sample for 1 scenario \(scenario-\d\d\)/);
    const whole = edit((r) => r.cells.push(...r.cells.map((c) => ({ ...c, id: `${c.id}|control`, version: '1.1.0', control: true }))));
    expect(gate(whole, baseline, policy)).toMatchObject({ reference: 'control', status: 'pass' });
  });

  it('rejects non-finite scores from the in-memory API', () => {
    const v = gate(edit((r) => (r.cells[0]!.score = Number.NaN)), baseline, policy);
    expect(v.status).toBe('incomplete');
    expect(v.reasons[0]).toMatch(/1 cell has a score that is not a number in \[0, 1\] \(first: .* = NaN\)/);
  });

  it('is INCOMPLETE for a model with no output or fewer scenarios than minScenarios', () => {
    const otherModel = gate(edit((r) => r.cells.forEach((c) => (c.model = 'other'))), baseline, policy);
    expect(otherModel.status).toBe('incomplete');
    expect(otherModel.reasons[0]).toMatch(/^Synthetic Model: incomplete: no graded output in the run/);
    expect(otherModel.notes[0]).toMatch(/not in the baseline, so not gated: anthropic:other/);
    const otherSuite = gate(edit((r) => (r.cells.forEach((c) => (c.model = 'other')), (r.suite.models = ['anthropic:other']))), baseline, policy);
    expect(otherSuite.reasons).toEqual([`run candidate-run has none of the baseline's models (anthropic:claude-sonnet-5-5); nothing to compare`]);
    const three = edit((r) => ((r.suite.scenarios = r.suite.scenarios.slice(0, 3)), (r.cells = r.cells.filter((c) => r.suite.scenarios.includes(c.scenario)))));
    expect(gate(three, baseline, policy).reasons.join('\n')).toMatch(/3 scenarios compared; the policy needs 4 \(minScenarios\)/);
  });
});

describe('verdict markdown', () => {
  it('names the model, the effect with its CI and p, the hard graders and the scenarios that flipped', () => {
    const { candidate, baseline } = syntheticPair({ seed: 6, drop: 0.1, hardAfter: 0.5 });
    const md = verdictMarkdown(gate(candidate, baseline, policy));
    expect(md.split('\n')[0]).toBe('### promptgate gate: FAIL');
    expect(md).toMatch(/\| Synthetic Model \| \*\*FAIL\*\* \| 0\.\d{3} \(48\) → 0\.\d{3} \(48\) \| −0\.\d{3} \| −0\.\d{3} to −0\.\d{3} \| .* \(≤ 0\.0\d\d fails\) \| \*\*✗\*\* cost-table \| 16 \|/);
    expect(md).toMatch(/\| `cost-table` \| 100% \| 50% \| −50\.0 points \| 5 points \| .* \| \*\*FAIL\*\* \|/);
    expect(md).toMatch(/Scenarios whose majority verdict flipped \(\d+\):\n\n- `scenario-\d\d` pass → fail/);
    expect(md).toMatch(/\*\*Why it failed\*\*\n\n- Synthetic Model: mean score fell/);
  });

  it('says "not compared" with the fix when the runs are not comparable, and INCOMPLETE with what is missing', () => {
    const { candidate, baseline } = syntheticPair({ seed: 7 });
    const md = verdictMarkdown(gate({ ...candidate, gradersVersion: 'x' }, baseline, policy));
    expect(md).toMatch(/^### promptgate gate: not compared\n/);
    expect(md).toMatch(/promptgate regrade/);
    const missing = verdictMarkdown(gate({ ...candidate, cells: candidate.cells.slice(6) }, baseline, policy));
    expect(missing).toMatch(/^### promptgate gate: INCOMPLETE\n/);
    expect(missing).toMatch(/\*\*Missing data\*\* \(never a pass\)/);
  });

  it('builds a baseline that pairs with its own run exactly', () => {
    const { baselineRun, baseline } = syntheticPair({ seed: 8 });
    const self = { ...structuredClone(baselineRun), cells: baselineRun.cells.map((c) => ({ ...c, version: '1.1.0' })) };
    expect(buildBaseline(self, '1.1.0', DEFAULT_POLICY)).toEqual(baseline);
    // Control cells of the same version (a nightly run) never leak into a baseline.
    const withControl = { ...self, cells: [...self.cells, ...self.cells.map((c) => ({ ...c, id: `${c.id}|control`, score: 0, control: true }))] };
    expect(buildBaseline(withControl, '1.1.0', DEFAULT_POLICY)).toEqual(baseline);
    expect(gate(self, baseline, policy).models[0]!.mean!.diff).toBe(0);
  });
});

describe('compareWithBaseline (for eval)', () => {
  it('is null without a baseline, else the verdict and its markdown under the suite policy; an unrelated run is said so', () => {
    const dir = mkdtempSync(join(tmpdir(), 'promptgate-compare-'));
    const { candidate, baseline } = syntheticPair({ seed: 10, drop: 0.1 });
    expect(compareWithBaseline(candidate, join(dir, 'none.json'))).toBeNull();
    writeFileSync(join(dir, 'baseline.json'), formatBaseline(baseline));
    const suite = { prompt: 'pipeline-design-architect', versions: 'all', models: [{ provider: 'anthropic' as const, model: 'claude-sonnet-5-5' }], scenarios: 'all', samples: 3, gate: { maxDrop: 0.2, alpha: 1e-9, hard: {} } };
    const lenient = compareWithBaseline(candidate, join(dir, 'baseline.json'), suite)!;
    expect(lenient.verdict.outcome).toBe('pass'); // alpha 1e-9: nothing can be shown either way, and inconclusive passes
    expect(lenient.unrelated).toBeNull();
    expect(compareWithBaseline(candidate, join(dir, 'baseline.json'), { ...suite, gate: {} })!.verdict.policy.hard).toEqual({ sections: 5, 'word-count': 5, 'cost-table': 5 });
    const strict = compareWithBaseline(candidate, join(dir, 'baseline.json'))!;
    expect(strict.verdict.status).toBe('fail');
    expect(strict.markdown).toMatch(/^### promptgate gate: FAIL\n/);
    const elsewhere = compareWithBaseline({ ...candidate, suite: { ...candidate.suite, models: ['openai:gpt-x'] } }, join(dir, 'baseline.json'))!;
    expect(elsewhere.unrelated).toMatch(/none of its models \(anthropic:claude-sonnet-5-5\) ran/);
  });
});
