// The gate where the truth is known: seeded synthetic runs (synthetic.ts) with no change, a
// large drop, pure noise, a true 0.05 drop, and a hard grader that falls while the mean holds.
// Error rates are measured over 200 seeded trials each (rates.ts) with the default policy.

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
import { measureRates } from './rates.ts';
import { syntheticPair } from './synthetic.ts';

const policy = gatePolicy(undefined, ['cost-table']);

describe('gate on synthetic runs (16 scenarios × 3 samples)', () => {
  it('passes identical runs: no effect, p = 1', () => {
    const { candidate, baseline } = syntheticPair({ seed: 1, identical: true });
    const v = gate(candidate, baseline, policy);
    expect(v.status).toBe('pass');
    expect(v.models[0]!.effect).toMatchObject({ diff: 0, ci: [0, 0], p: 1, exact: true });
    expect(v.models[0]!.graders).toEqual([]);
    expect(v.models[0]!.flipped).toEqual([]);
  });

  it('fails a candidate worse by 0.10 on every scenario, naming the model and the drop', () => {
    const { candidate, baseline } = syntheticPair({ seed: 2, drop: 0.1 });
    const v = gate(candidate, baseline, policy);
    expect(v.status).toBe('fail');
    const m = v.models[0]!;
    expect(m.effect!.diff).toBeLessThan(-0.07);
    expect(m.effect!.ci[1]).toBeLessThan(0);
    expect(m.effect!.p).toBeLessThan(0.001);
    expect(v.reasons[0]).toMatch(/^Synthetic Model: mean score fell by 0\.\d{3} \(more than 0\.03\) and p < 0\.001 ≤ 0\.05$/);
  });

  it('false alarms ≤ 5% on noise and power ≥ 80% for a true 0.05 drop (200 seeded trials each)', () => {
    const r = measureRates(200, policy);
    console.info(`gate error rates over ${r.trials} seeded trials: false alarms ${r.falseAlarms}/${r.trials}, power ${r.detected}/${r.trials}`);
    expect(r.falseAlarms / r.trials).toBeLessThanOrEqual(0.05);
    expect(r.detected / r.trials).toBeGreaterThanOrEqual(0.8);
  });

  it('fails when a hard grader falls from 100% to 70% even though the mean holds', () => {
    const { candidate, baseline } = syntheticPair({ seed: 3, drop: 0, hardAfter: 0.7 });
    const v = gate(candidate, baseline, policy);
    expect(v.status).toBe('fail');
    const m = v.models[0]!;
    expect(Math.abs(m.effect!.diff)).toBeLessThan(0.03);
    expect(m.reasons).toHaveLength(1);
    expect(m.reasons[0]).toMatch(/^hard grader cost-table: pass rate 100% → 71% \(29\.2 points down; at most 10 allowed\)$/);
    expect(m.graders[0]).toMatchObject({ grader: 'cost-table', before: 1, limit: 10, failed: true });
    // Overall pass needs the hard grader: scenarios whose documents lost it flip.
    expect(m.flipped.every((f) => f.from === 'pass' && f.to === 'fail')).toBe(true);
  });

  it('gives the same verdict, CI and p for the same inputs, and the verdict does not hang on the seed', () => {
    const { candidate, baseline } = syntheticPair({ seed: 4, drop: 0.04 });
    const a = gate(candidate, baseline, policy);
    expect(gate(candidate, baseline, policy)).toEqual(a);
    const other = gate(candidate, baseline, { ...policy, seed: 99 });
    expect(other.status).toBe(a.status);
    expect(other.models[0]!.effect!.p).toBe(a.models[0]!.effect!.p); // exact permutation: no randomness
  });
});

describe('gate refuses what it cannot compare, and fails on missing evidence', () => {
  const { candidate, baseline } = syntheticPair({ seed: 5 });
  const edit = (change: (r: Results) => void): Results => {
    const copy = structuredClone(candidate);
    change(copy);
    return copy;
  };

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
    expect(v.status).toBe('pass');
    expect(v.models[0]!.scenarios).toBe(4);
    expect(v.notes.join('\n')).toMatch(/compared on the run's 4 of the baseline's 16 scenarios/);
    expect(v.notes.join('\n')).toMatch(/smallest attainable p is 0\.063 > alpha 0\.05/);
  });

  it('fails an empty run, a model with no output, and too few samples', () => {
    const empty = gate(edit((r) => (r.cells = [])), baseline, policy);
    expect(empty.status).toBe('fail');
    expect(empty.reasons[0]).toMatch(/has no graded output/);
    const errored = gate(edit((r) => r.cells.forEach((c) => Object.assign(c, { status: 'error', error: 'server_error (HTTP 500)', score: null, pass: null, grades: {} }))), baseline, policy);
    expect(errored.status).toBe('fail');
    expect(errored.reasons[0]).toMatch(/48 failed \(first: server_error/);
    const otherModel = gate(edit((r) => r.cells.forEach((c) => (c.model = 'other'))), baseline, policy);
    expect(otherModel.status).toBe('fail');
    expect(otherModel.reasons[0]).toMatch(/^Synthetic Model: no graded output in the run/);
    expect(otherModel.notes[0]).toMatch(/not in the baseline, so not gated: anthropic:other/);
    const otherSuite = gate(edit((r) => (r.cells.forEach((c) => (c.model = 'other')), (r.suite.models = ['anthropic:other']))), baseline, policy);
    expect(otherSuite.reasons).toEqual([`run candidate-run has none of the baseline's models (anthropic:claude-sonnet-5-5); nothing to compare`]);
    expect(otherSuite.notes.join('\n')).toMatch(/in the baseline but not in this run's suite, so not gated: Synthetic Model/);
    const few = gate(edit((r) => (r.cells = r.cells.slice(0, 2))), baseline, policy);
    expect(few.reasons[0]).toMatch(/too few graded samples to judge \(run 2, baseline 3; the policy needs 3\)/);
  });
});

describe('verdict markdown', () => {
  it('names the model, the effect with its CI and p, the graders that fell and the scenarios that flipped', () => {
    const { candidate, baseline } = syntheticPair({ seed: 6, drop: 0.1, hardAfter: 0.5 });
    const md = verdictMarkdown(gate(candidate, baseline, policy));
    expect(md.split('\n')[0]).toBe('### promptgate gate: FAIL');
    expect(md).toMatch(/\| Synthetic Model \| \*\*FAIL\*\* \| 0\.\d{3} \(48\) \| 0\.\d{3} \(48\) \| −0\.\d{3} \(−0\.\d{3} to −0\.\d{3}\) \| < 0\.001 \| 16 \|/);
    expect(md).toMatch(/\| `cost-table` \| 100% \| 50% \| −50\.0 points \| ≤ 10 points: \*\*FAIL\*\* \|/);
    expect(md).toMatch(/Scenarios that flipped:\n\n- `scenario-\d\d` pass → fail/);
    expect(md).toMatch(/\*\*Why it failed\*\*\n\n- Synthetic Model: mean score fell/);
  });

  it('says "not compared" with the fix when the runs are not comparable', () => {
    const { candidate, baseline } = syntheticPair({ seed: 7 });
    const md = verdictMarkdown(gate({ ...candidate, gradersVersion: 'x' }, baseline, policy));
    expect(md).toMatch(/^### promptgate gate: not compared\n/);
    expect(md).toMatch(/promptgate regrade/);
  });

  it('builds a baseline that pairs with its own run exactly', () => {
    const { baselineRun, baseline } = syntheticPair({ seed: 8 });
    const self = { ...structuredClone(baselineRun), cells: baselineRun.cells.map((c) => ({ ...c, version: '1.1.0' })) };
    expect(buildBaseline(self, '1.1.0', DEFAULT_POLICY)).toEqual(baseline);
    expect(gate(self, baseline, policy).models[0]!.effect!.diff).toBe(0);
  });
});

describe('compareWithBaseline (for eval)', () => {
  it('is null without a baseline, else the verdict and its markdown under the suite policy', () => {
    const dir = mkdtempSync(join(tmpdir(), 'promptgate-compare-'));
    const { candidate, baseline } = syntheticPair({ seed: 10, drop: 0.1 });
    expect(compareWithBaseline(candidate, join(dir, 'none.json'))).toBeNull();
    writeFileSync(join(dir, 'baseline.json'), formatBaseline(baseline));
    const suite = { prompt: 'pipeline-design-architect', versions: 'all', models: [{ provider: 'anthropic' as const, model: 'claude-sonnet-5-5' }], scenarios: 'all', samples: 3, gate: { maxDrop: 0.2, hard: {} } };
    const lenient = compareWithBaseline(candidate, join(dir, 'baseline.json'), suite)!;
    expect(lenient.verdict.status).toBe('pass');
    expect(lenient.verdict.policy).toMatchObject({ maxDrop: 0.2, hard: {} });
    expect(compareWithBaseline(candidate, join(dir, 'baseline.json'), { ...suite, gate: {} })!.verdict.policy.hard).toEqual({ sections: 10, 'word-count': 10, 'cost-table': 10 });
    const strict = compareWithBaseline(candidate, join(dir, 'baseline.json'))!;
    expect(strict.verdict.status).toBe('fail');
    expect(strict.markdown).toMatch(/^### promptgate gate: FAIL\n/);
  });
});
