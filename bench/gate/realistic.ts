// Realistic grader scores, for measuring the gate where it is used (bench/gate.bench.ts and the
// seeded checks in realistic.test.ts). Real scores are bounded, discrete and skewed — nothing
// like the Gaussian scores of synthetic.ts. The model, as issue 10 states it:
//   each grader g of sample i of scenario s passes with probability
//     logistic(logit μ_g + u_s + v_sg + w_i + shift)
//   u_s ~ N(0, 0.5) scenario difficulty, v_sg ~ N(0, 0.8) scenario × grader, w_i ~ N(0, 0.7) the
//   sample's quality, shared by its graders; a failing grader gets the partial credit real
//   documents get (sections k/7; cost-table 0.5/0.3/0.2/0; word-count by ratio; others in thirds);
//   the score is the weighted mean with the project's weights.
// μ_g is set so the per-sample failure rates are 4% (sections), 18% (word-count), 11%
// (cost-table) and 14% for each other grader: median score ≈ 0.94, ≈ 21% of samples exactly 1.0.
// `harsh` adds heavy tails (w_i from a t with 3 degrees of freedom), 2% collapsed outputs (w = −4)
// and per-scenario noise levels (the SD of w between 0.35 and 1.05).

import { graders } from '../../graders/index.ts';
import { rng, type Rng } from '../../src/gate/stats.ts';
import { normal, type SyntheticSample } from './synthetic.ts';

const FAIL_RATE: Record<string, number> = { sections: 0.04, 'word-count': 0.18, 'cost-table': 0.11 };
const OTHER_FAIL_RATE = 0.14;
const SD = { scenario: 0.5, cell: 0.8, sample: 0.7 };

const GRADERS = graders.map((g) => ({ id: g.id, weight: g.weight }));
const HARD = ['sections', 'word-count', 'cost-table'];

export interface World {
  scenarios: string[];
  /** Per model: per scenario: its difficulty u_s, its grader effects v_sg, its sample SD. */
  models: Record<string, { u: number[]; v: number[][]; sd: number[] }>;
  harsh: boolean;
}

const logistic = (x: number) => 1 / (1 + Math.exp(-x));

/** logit μ_g such that the marginal failure rate over the random effects is `rate`. */
const marginalLogit = (() => {
  const total = Math.sqrt(SD.scenario ** 2 + SD.cell ** 2 + SD.sample ** 2);
  const nodes = Array.from({ length: 401 }, (_, i) => -6 + (12 * i) / 400);
  const weights = nodes.map((z) => Math.exp((-z * z) / 2));
  const norm = weights.reduce((a, b) => a + b, 0);
  const passRate = (m: number) => nodes.reduce((s, z, i) => s + weights[i]! * logistic(m + total * z), 0) / norm;
  const cache = new Map<number, number>();
  return (rate: number) => {
    if (!cache.has(rate)) {
      let lo = -10;
      let hi = 10;
      for (let i = 0; i < 60; i++) {
        const mid = (lo + hi) / 2;
        if (passRate(mid) < 1 - rate) lo = mid;
        else hi = mid;
      }
      cache.set(rate, (lo + hi) / 2);
    }
    return cache.get(rate)!;
  };
})();

const MU = GRADERS.map((g) => marginalLogit(FAIL_RATE[g.id] ?? OTHER_FAIL_RATE));

export function makeWorld(seed: number, o: { scenarios?: number; models?: string[]; harsh?: boolean } = {}): World {
  const random = rng(seed);
  const scenarios = Array.from({ length: o.scenarios ?? 16 }, (_, i) => `scenario-${String(i + 1).padStart(2, '0')}`);
  const models: World['models'] = {};
  for (const m of o.models ?? ['claude-sonnet-5-5', 'gpt-5-6-terra']) {
    models[m] = {
      u: scenarios.map(() => SD.scenario * normal(random)),
      v: scenarios.map(() => GRADERS.map(() => SD.cell * normal(random))),
      sd: scenarios.map(() => (o.harsh ? 0.35 + 0.7 * random() : SD.sample)),
    };
  }
  return { scenarios, models, harsh: Boolean(o.harsh) };
}

export interface DrawOptions {
  /** Scenario ids to sample (default: all of the world's). */
  scenarios?: readonly string[];
  samples: number;
  /** Sample indices start here (a second batch continues the first). */
  firstSample?: number;
  /** Logit shift per scenario (a drop is negative); a number shifts every scenario. */
  shift?: number | Record<string, number>;
  /** Scenarios where the cost table is broken: that grader fails every sample. */
  brokenCostTable?: ReadonlySet<string>;
  control?: boolean;
}

export function drawSamples(world: World, model: string, o: DrawOptions, random: Rng): SyntheticSample[] {
  const m = world.models[model]!;
  const out: SyntheticSample[] = [];
  for (const scenario of o.scenarios ?? world.scenarios) {
    const s = world.scenarios.indexOf(scenario);
    const shift = typeof o.shift === 'number' ? o.shift : o.shift?.[scenario] ?? 0;
    for (let k = 0; k < o.samples; k++) {
      let w = m.sd[s]! * (world.harsh ? studentT3(random) : normal(random));
      if (world.harsh && random() < 0.02) w = -4;
      const grades: SyntheticSample['grades'] = {};
      let weighted = 0;
      let total = 0;
      GRADERS.forEach((g, j) => {
        const broken = g.id === 'cost-table' && o.brokenCostTable?.has(scenario);
        const pass = !broken && random() < logistic(MU[j]! + m.u[s]! + m.v[s]![j]! + w + shift);
        const score = pass ? 1 : partialCredit(g.id, random);
        grades[g.id] = { pass, score, reason: 'simulated' };
        weighted += g.weight * score;
        total += g.weight;
      });
      const score = Math.round((weighted / total) * 1000) / 1000;
      out.push({ scenario, sample: (o.firstSample ?? 0) + k, score, pass: score >= 0.8 && HARD.every((h) => grades[h]!.pass), grades, ...(o.control && { control: true }) });
    }
  }
  return out;
}

function partialCredit(id: string, random: Rng): number {
  if (id === 'sections') return (3 + Math.floor(random() * 4)) / 7;
  if (id === 'cost-table') return [0.5, 0.3, 0.2, 0][Math.floor(random() * 4)]!;
  if (id === 'word-count') return Math.round((0.55 + 0.44 * random()) * 1000) / 1000;
  return Math.floor(random() * 3) / 3;
}

/** A t(3) draw scaled to unit variance: heavy tails, same spread. */
function studentT3(random: Rng): number {
  const z = normal(random);
  const chi = normal(random) ** 2 + normal(random) ** 2 + normal(random) ** 2;
  return z / Math.sqrt(chi / 3) / Math.sqrt(3);
}

/**
 * The logit shift that moves a model's expected mean score by `drop` (negative: worse), over
 * the worlds this generator makes; found once by bisection on a large seeded sample.
 */
export function shiftFor(drop: number, harsh = false): number {
  const key = `${drop}|${harsh}`;
  const cached = shifts.get(key);
  if (cached !== undefined) return cached;
  const worlds = Array.from({ length: 40 }, (_, i) => makeWorld(900_000 + i, { harsh, models: ['m'] }));
  const meanAt = (shift: number) => {
    const random = rng(77);
    let sum = 0;
    let n = 0;
    for (const w of worlds) for (const x of drawSamples(w, 'm', { samples: 6, shift }, random)) (sum += x.score), n++;
    return sum / n;
  };
  const base = meanAt(0);
  let lo = -8;
  let hi = 8;
  for (let i = 0; i < 30; i++) {
    const mid = (lo + hi) / 2;
    if (meanAt(mid) - base < drop) lo = mid;
    else hi = mid;
  }
  shifts.set(key, (lo + hi) / 2);
  return (lo + hi) / 2;
}
const shifts = new Map<string, number>();
