// The statistics on cases small enough to work out by hand, and the policy and baseline files.

import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Ajv } from 'ajv';
import { describe, expect, it } from 'vitest';
import { BaselineSchema, formatBaseline, readBaseline } from './baseline.ts';
import { readPolicyFile } from './policy.ts';
import { bootstrapCI, rng, signFlipPValue } from './stats.ts';
import { syntheticPair } from './synthetic.ts';

describe('sign-flip permutation p-value (one-sided: candidate worse)', () => {
  it('is exact for small n: all four drops give 1/16, the smallest possible', () => {
    expect(signFlipPValue([-0.1, -0.2, -0.1, -0.3], rng(1))).toEqual({ p: 1 / 16, minP: 1 / 16, exact: true });
  });

  it('counts ties and mixed signs by hand', () => {
    // Patterns of (+1, -1) with sum ≤ 0: (-1,-1) → -2, (+1,-1) → 0... of 4: sums 0, -2, 2, 0 → three are ≤ 0.
    expect(signFlipPValue([1, -1], rng(1)).p).toBe(3 / 4);
    expect(signFlipPValue([0.2, 0.1, 0.3], rng(1)).p).toBe(1);
    expect(signFlipPValue([], rng(1)).p).toBe(1);
  });

  it('samples (seeded) above 20 pairs, and agrees with itself', () => {
    const diffs = Array.from({ length: 30 }, (_, i) => (i % 3 === 0 ? 0.05 : -0.04));
    const a = signFlipPValue(diffs, rng(7));
    expect(a.exact).toBe(false);
    expect(signFlipPValue(diffs, rng(7))).toEqual(a);
    // Sum −0.3 against a permutation SD of √0.057 ≈ 0.239: the normal approximation gives p ≈ 0.105.
    expect(a.p).toBeGreaterThan(0.095);
    expect(a.p).toBeLessThan(0.115);
  });
});

describe('bootstrap CI', () => {
  it('is a point for one pair, brackets the mean, and is seeded', () => {
    expect(bootstrapCI([0.3], 1000, rng(1))).toEqual([0.3, 0.3]);
    const diffs = [-0.1, -0.05, 0, -0.08, -0.02, -0.06];
    const [lo, hi] = bootstrapCI(diffs, 5000, rng(3));
    expect(lo).toBeLessThan(-0.05);
    expect(hi).toBeGreaterThan(-0.05);
    expect(hi).toBeLessThanOrEqual(0);
    expect(bootstrapCI(diffs, 5000, rng(3))).toEqual([lo, hi]);
  });
});

describe('gate policy files', () => {
  const dir = mkdtempSync(join(tmpdir(), 'promptgate-policy-'));
  const file = (name: string, text: string) => (writeFileSync(join(dir, name), text), join(dir, name));

  it('reads a bare policy and a suite, filling in the defaults', () => {
    expect(readPolicyFile(file('p.yaml', 'maxDrop: 0.05\n'), ['cost-table'])).toEqual({ maxDrop: 0.05, alpha: 0.05, minSamples: 3, hard: { 'cost-table': 10 }, bootstrap: 10000, seed: 1 });
    const suite = file('s.yaml', 'prompt: p\nversions: all\nmodels: [{ provider: anthropic, model: m }]\nscenarios: all\nsamples: 1\ngraders: { hard: [sections] }\ngate: { alpha: 0.01 }\n');
    expect(readPolicyFile(suite, [])).toMatchObject({ alpha: 0.01, hard: { sections: 10 } });
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
