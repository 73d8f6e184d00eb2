// The statistics on cases small enough to work out by hand, and the policy and baseline files.

import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Ajv } from 'ajv';
import { describe, expect, it } from 'vitest';
import { BaselineSchema, formatBaseline, readBaseline } from './baseline.ts';
import { readPolicyFile } from './policy.ts';
import { holm, hypergeometric, stratifiedFailureTest } from './exact.ts';
import { rng, shiftTest } from './stats.ts';
import { syntheticPair } from '../../bench/gate/synthetic.ts';

describe('stratified permutation test of the mean (stats.ts)', () => {
  it('enumerates small cases exactly, by hand: before [0, 0], after [1]', () => {
    // Three labellings pick the candidate document: the real one (T = 1 − 0 = 1) or a 0 (T = 0 − 0.5).
    const t = shiftTest([{ before: [0, 0], after: [1] }], 1000, rng(1));
    expect(t).toMatchObject({ diff: 1, exact: true, count: 3 });
    expect(t.pBelow(0)).toBe(1);
    expect(t.pAbove(0)).toBeCloseTo(1 / 3);
    // Shifting the candidate down by δ = 1 makes it equal to the others: every labelling ties.
    expect(t.pAbove(1)).toBe(1);
  });

  it('multiplies the labellings of each scenario and samples (seeded) above the exact limit', () => {
    const small = shiftTest([{ before: [0.1, 0.2], after: [0.3] }, { before: [0.5, 0.6], after: [0.4, 0.9] }], 1000, rng(1));
    expect(small.count).toBe(3 * 6);
    const big = Array.from({ length: 8 }, (_, s) => ({ before: Array.from({ length: 10 }, (_, i) => ((s + i) % 7) / 7), after: [0.1, 0.2, 0.3] }));
    const a = shiftTest(big, 5000, rng(7));
    expect(a.exact).toBe(false);
    expect(a.count).toBe(5001);
    expect(shiftTest(big, 5000, rng(7)).pBelow(0)).toBe(a.pBelow(0));
    expect(a.pBelow(0)).toBeGreaterThanOrEqual(1 / 5001);
  });

  it('rejects at most alpha of the time on noise (400 seeded null cases)', () => {
    const random = rng(3);
    let rejected = 0;
    for (let k = 0; k < 400; k++) {
      const strata = Array.from({ length: 4 }, () => {
        const level = random();
        const draw = () => Math.round(Math.min(1, level + (random() - 0.5) * 0.4) * 10) / 10; // discrete, with ties
        return { before: Array.from({ length: 5 }, draw), after: Array.from({ length: 3 }, draw) };
      });
      if (shiftTest(strata, 2000, random).pBelow(0) <= 0.05) rejected++;
    }
    expect(rejected / 400).toBeLessThanOrEqual(0.07);
  });

  it('inverts into an interval that holds the estimate, narrows with data, and agrees with the tests', () => {
    const strata = Array.from({ length: 6 }, (_, s) => ({ before: [0.8, 0.85, 0.9, 0.82].map((x) => x + s / 100), after: [0.7, 0.75, 0.72].map((x) => x + s / 100) }));
    const t = shiftTest(strata, 4000, rng(5));
    const [lo, hi] = t.interval(0.95);
    expect(lo).toBeLessThan(t.diff);
    expect(hi).toBeGreaterThan(t.diff);
    expect(hi).toBeLessThan(0);
    expect(t.pBelow(hi + 0.01)).toBeLessThanOrEqual(0.025);
    expect(t.pAbove(lo - 0.01)).toBeLessThanOrEqual(0.025);
    expect(() => shiftTest([{ before: [0.5], after: [Number.NaN] }], 100, rng(1))).toThrow(/non-finite/);
  });
});

describe('exact stratified test of a hard grader (exact.ts)', () => {
  it('is Fisher\'s exact test for one scenario: 5 of 5 candidate failures against 0 of 10', () => {
    expect(stratifiedFailureTest([{ before: 10, beforeFailed: 0, after: 5, afterFailed: 5 }])).toBeCloseTo(1 / 3003, 9);
    expect(stratifiedFailureTest([{ before: 10, beforeFailed: 2, after: 5, afterFailed: 0 }])).toBeCloseTo(1, 12);
  });

  it('sees two broken scenarios among fourteen quiet ones, and ignores scenarios where nothing can differ', () => {
    const quiet = Array.from({ length: 14 }, (_, i) => ({ before: 10, beforeFailed: i % 3, after: 5, afterFailed: i % 2 }));
    const broken = [{ before: 10, beforeFailed: 1, after: 5, afterFailed: 5 }, { before: 10, beforeFailed: 0, after: 5, afterFailed: 5 }];
    expect(stratifiedFailureTest([...quiet, ...broken])).toBeLessThan(0.001);
    expect(stratifiedFailureTest(quiet)).toBeGreaterThan(0.1);
    expect(stratifiedFailureTest([{ before: 3, beforeFailed: 0, after: 3, afterFailed: 0 }, { before: 2, beforeFailed: 2, after: 1, afterFailed: 1 }])).toBe(1);
  });

  it('has a hypergeometric that sums to one', () => {
    const pmf = hypergeometric(15, 6, 5);
    expect(pmf.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 12);
    expect(pmf[5]).toBeCloseTo(6 / 3003, 12);
  });
});

describe('weighted Holm', () => {
  it('steps down: 0.01 ≤ 0.05/4 first, then 0.015 ≤ 0.05/3, then 0.03 > 0.05/2 stops', () => {
    const tests = [0.03, 0.01, 0.015, 0.5].map((p) => ({ p, share: 1 }));
    expect(holm(tests, 0.05)).toEqual([false, true, true, false]);
  });

  it('gives a bigger share a bigger level', () => {
    expect(holm([{ p: 0.03, share: 3 }, { p: 0.001, share: 1 }], 0.05)).toEqual([true, true]);
    expect(holm([{ p: 0.03, share: 1 }, { p: 0.2, share: 3 }], 0.05)).toEqual([false, false]);
  });
});

describe('gate policy files', () => {
  const dir = mkdtempSync(join(tmpdir(), 'promptgate-policy-'));
  const file = (name: string, text: string) => (writeFileSync(join(dir, name), text), join(dir, name));

  it('reads a bare policy and a suite, filling in the defaults', () => {
    expect(readPolicyFile(file('p.yaml', 'maxDrop: 0.1\n'), ['cost-table'])).toEqual({ maxDrop: 0.1, alpha: 0.05, meanShare: 0.5, minScenarios: 4, minSamples: 1, maxMissing: 0.05, hard: { 'cost-table': 5 }, permutations: 10000, seed: 1, onInconclusive: 'pass', escalate: null });
    const suite = file('s.yaml', 'prompt: p\nversions: all\nmodels: [{ provider: anthropic, model: m }]\nscenarios: all\nsamples: 1\ngraders: { hard: [sections] }\ngate: { alpha: 0.01 }\n');
    expect(readPolicyFile(suite, [])).toMatchObject({ alpha: 0.01, hard: { sections: 5 } });
  });

  it('names the file and field for an unknown hard grader or a bad value', () => {
    expect(() => readPolicyFile(file('typo.yaml', 'hard: { cost-tabel: 5 }\n'), [])).toThrow(/typo\.yaml: \/hard\/cost-tabel: unknown grader "cost-tabel"; closest: cost-table/);
    expect(() => readPolicyFile(file('bad.yaml', 'alpha: 2\n'), [])).toThrow(/bad\.yaml: \/alpha: expected/);
    expect(() => readPolicyFile(file('extra.yaml', 'maxdrop: 0.1\n'), [])).toThrow(/extra\.yaml: \/: unknown field "maxdrop"/);
  });
});

describe('baseline.json', () => {
  it('is schema-valid, round-trips, and puts each grader of each (model, scenario) on one line', () => {
    const { baseline } = syntheticPair({ seed: 1, scenarios: 3, samples: 3 });
    const text = formatBaseline(baseline);
    expect(new Ajv({ strict: false }).validate(BaselineSchema, JSON.parse(text))).toBe(true);
    expect(JSON.parse(text)).toEqual(baseline);
    expect(text).toMatch(/^ {8}"score": \[0\.\d+, 0\.\d+, 0\.\d+\],$/m);
    expect(text).toMatch(/^ {10}"cost-table": \{ "pass": \[true, true, true\], "score": \[1, 1, 1\] \},$/m);
    expect(text.split('\n').length).toBeLessThan(60);
    const dir = mkdtempSync(join(tmpdir(), 'promptgate-baseline-'));
    writeFileSync(join(dir, 'b.json'), text);
    expect(readBaseline(join(dir, 'b.json'))).toEqual(baseline);
    writeFileSync(join(dir, 'broken.json'), text.replace('"gradersVersion"', '"graders"'));
    expect(() => readBaseline(join(dir, 'broken.json'))).toThrow(/broken\.json: \/: (missing field "gradersVersion"|unknown field "graders")/);
    expect(() => readBaseline(join(dir, 'none.json'))).toThrow(/none\.json: baseline not found; make one with: promptgate baseline update/);
  });
});
