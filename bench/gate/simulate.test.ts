// The gate's error rates on realistic scores, as `npm run bench:gate` measures them, in a fast
// seeded version: the shipped designs and policies (evals/smoke.yaml, evals/nightly.yaml), fewer
// trials and fewer relabellings, and margins wide enough that the assertion is about the design,
// not about luck (the bench's 1,000-trial figures sit far inside them; README "CI gate").

import { describe, expect, it } from 'vitest';
import { shippedDesigns, trial, type Condition } from './simulate.ts';

const shipped = shippedDesigns();
/** 2,000 relabellings instead of 10,000: p-values to ±0.005, plenty for these margins. */
const fast = (suite: 'smoke' | 'nightly') => ({ ...shipped[suite], policy: { ...shipped[suite].policy, permutations: 2000 } });

function share(suite: 'smoke' | 'nightly', condition: Condition, trials: number, count: 'check' | 'first'): number {
  const { design, policy } = fast(suite);
  let hits = 0;
  for (let t = 0; t < trials; t++) {
    const r = trial(500_000 + t, design, condition, policy);
    if (count === 'check' ? r.outcome === 'fail' : r.first === 'fail') hits++;
  }
  return hits / trials;
}

describe('the shipped gate designs on realistic scores (seeded)', () => {
  it('the PR check fails an unchanged prompt rarely, also when the provider drifted since the baseline', () => {
    expect(shipped.smoke.control).toBe(true);
    expect(share('smoke', { name: 'null' }, 200, 'check')).toBeLessThanOrEqual(0.1);
    expect(share('smoke', { name: 'drift', drift: 0.02 }, 150, 'check')).toBeLessThanOrEqual(0.1);
  }, 300_000);

  it('the PR check catches a 0.10 drop of one model', () => {
    expect(share('smoke', { name: 'drop10', drop: { size: 0.1 } }, 150, 'first')).toBeGreaterThanOrEqual(0.7);
  }, 300_000);

  it('the nightly check catches a 0.05 drop, and a cost table broken in 2 of 16 scenarios', () => {
    expect(share('nightly', { name: 'conc05', drop: { size: 0.05, concentrated: true } }, 80, 'first')).toBeGreaterThanOrEqual(0.65);
    expect(share('nightly', { name: 'ct2', brokenCostTable: 2 }, 80, 'first')).toBeGreaterThanOrEqual(0.65);
  }, 300_000);
});
