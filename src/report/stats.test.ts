// The report's statistics: seeded (same inputs, same interval), honest (intervals cover the
// mean and widen with scenario spread), and the paired difference finds a real shift.

import { describe, expect, it } from 'vitest';
import { bootstrapMean, pairedDiff, percentile, rng, type ByScenario } from './stats.ts';

function synthetic(seed: string, shift = 0, spread = 0.1): ByScenario {
  const next = rng(seed);
  const data: ByScenario = new Map();
  for (let s = 0; s < 16; s++) {
    const mean = 0.75 + (next() - 0.5) * 2 * spread;
    data.set(`s${s}`, [0, 1, 2].map(() => Math.min(1, Math.max(0, mean + shift + (next() - 0.5) * 0.16))));
  }
  return data;
}

describe('bootstrap', () => {
  it('gives the same interval for the same inputs and seed, and another for another seed', () => {
    const data = synthetic('a');
    expect(bootstrapMean(data, 'x')).toEqual(bootstrapMean(data, 'x'));
    expect(bootstrapMean(data, 'x')).not.toEqual(bootstrapMean(data, 'y'));
  });

  it('brackets the sample mean, and is wider when scenarios differ more', () => {
    const narrow = synthetic('b', 0, 0.02);
    const wide = synthetic('b', 0, 0.2);
    const mean = (d: ByScenario) => [...d.values()].flat().reduce((s, x) => s + x, 0) / 48;
    for (const d of [narrow, wide]) {
      const ci = bootstrapMean(d, 'seed')!;
      expect(ci.lo).toBeLessThan(mean(d));
      expect(ci.hi).toBeGreaterThan(mean(d));
    }
    const width = (d: ByScenario) => bootstrapMean(d, 'seed')!.hi - bootstrapMean(d, 'seed')!.lo;
    expect(width(wide)).toBeGreaterThan(2 * width(narrow));
  });

  it('finds a real paired improvement and calls equal runs a tie', () => {
    const before = synthetic('c');
    const after = new Map([...before].map(([s, xs]) => [s, xs.map((x) => Math.min(1, x + 0.08))]));
    const better = pairedDiff(before, after, 'p')!;
    expect(better.scenarios).toBe(16);
    expect(better.ci!.lo).toBeGreaterThan(0);
    expect(better.outcome).toBe('better');
    const same = pairedDiff(before, synthetic('c'), 'p')!;
    expect(same.diff).toBe(0);
    expect(same.ci!.lo).toBeLessThanOrEqual(0);
    expect(same.ci!.hi).toBeGreaterThanOrEqual(0);
    expect(same.outcome).toBe('inconclusive');
  });

  it('pairs only the scenarios both sides graded, and returns null when there are none', () => {
    const a: ByScenario = new Map([['x', [0.5]], ['y', [0.6]]]);
    const b: ByScenario = new Map([['y', [0.8]], ['z', [0.1]]]);
    expect(pairedDiff(a, b, 's')).toMatchObject({ scenarios: 1, ci: null }); // too few scenarios for a CI
    expect(pairedDiff(a, new Map([['q', [1]]]), 's')).toBeNull();
    expect(bootstrapMean(new Map(), 's')).toBeNull();
  });

  it('takes nearest-rank percentiles like results.json takes its p50', () => {
    expect(percentile([5, 1, 4, 2, 3], 0.5)).toBe(3);
    expect(percentile([1, 2, 3, 4], 0.5)).toBe(2);
    expect(percentile(Array.from({ length: 20 }, (_, i) => i + 1), 0.95)).toBe(19);
    expect(percentile([], 0.95)).toBeNull();
  });
});
