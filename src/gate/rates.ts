// The gate's measured error rates on seeded synthetic runs (synthetic.ts): how often it fails a
// change that is pure noise (false alarms), and how often it catches a true drop (power).
// gate.test.ts asserts them; `npx tsx src/gate/rates.ts [trials]` prints them.

import { pathToFileURL } from 'node:url';
import { gate } from './gate.ts';
import { gatePolicy, type GatePolicy } from './policy.ts';
import { syntheticPair } from './synthetic.ts';

export interface Rates {
  trials: number;
  /** Noise only (same distribution, new samples): trials the gate failed. */
  falseAlarms: number;
  /** A true drop of 0.05 on every scenario, 16 scenarios × 3 samples: trials the gate failed. */
  detected: number;
}

export function measureRates(trials = 200, policy: GatePolicy = gatePolicy(undefined, ['cost-table'])): Rates {
  let falseAlarms = 0;
  let detected = 0;
  for (let t = 0; t < trials; t++) {
    const noise = syntheticPair({ seed: 10_000 + t, scenarios: 16, samples: 3, drop: 0 });
    if (gate(noise.candidate, noise.baseline, policy).status === 'fail') falseAlarms++;
    const drop = syntheticPair({ seed: 20_000 + t, scenarios: 16, samples: 3, drop: 0.05 });
    if (gate(drop.candidate, drop.baseline, policy).status === 'fail') detected++;
  }
  return { trials, falseAlarms, detected };
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const trials = Number(process.argv[2] ?? 200);
  const started = Date.now();
  const r = measureRates(trials);
  const pct = (n: number) => `${((100 * n) / r.trials).toFixed(1)}%`;
  process.stdout.write(
    `${r.trials} seeded trials each, 16 scenarios × 3 samples, default policy (maxDrop 0.03, alpha 0.05):\n` +
      `  false alarms (noise only): ${r.falseAlarms}/${r.trials} = ${pct(r.falseAlarms)}\n` +
      `  power (true drop 0.05):    ${r.detected}/${r.trials} = ${pct(r.detected)}\n` +
      `  (${Date.now() - started} ms)\n`,
  );
}
