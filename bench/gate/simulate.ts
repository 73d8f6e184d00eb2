// One simulated CI check, end to end through the real gate(): a baseline run of the released
// version (paid once per release), then a check — a candidate run, optionally a same-day
// control, optionally the planned second batch — on realistic scores (realistic.ts). The
// benchmark (bench/gate.bench.ts) and the seeded test (simulate.test.ts) count outcomes over
// many seeds to measure false alarms and power where the gate is really used.

import { DEFAULT_POLICY } from '../../graders/grade.ts';
import { buildBaseline } from '../../src/gate/baseline.ts';
import { gate, type Verdict } from '../../src/gate/gate.ts';
import { loadScenarios, selectScenarios } from '../../src/dataset/load.ts';
import { readYaml, validate } from '../../src/files.ts';
import { SuiteSchema, type Suite } from '../../src/suite/schema.ts';
import { suiteGatePolicy, type GatePolicy } from '../../src/gate/policy.ts';
import { drawSamples, makeWorld, shiftFor } from './realistic.ts';
import { rng, seedFor, type Rng } from '../../src/gate/stats.ts';
import { syntheticRun, type SyntheticSample } from './synthetic.ts';

export interface Design {
  name: string;
  /** Baseline samples per scenario, over all 16 scenarios. */
  baselineSamples: number;
  /** The check: how many of the 16 scenarios, how many samples each. */
  scenarios: number;
  samples: number;
  /** Same-day control cells of the baseline's version per scenario (0: gate against the baseline). */
  controlSamples: number;
}

export interface Condition {
  name: string;
  harsh?: boolean;
  /** A true drop of the mean score of the first model: spread over every scenario, or all of it in 2 of 16. */
  drop?: { size: number; concentrated?: boolean };
  /** Provider drift between the baseline's day and the check's day (±, random sign per model). */
  drift?: number;
  /** Scenarios (of the check's) whose cost table the first model's candidate breaks. */
  brokenCostTable?: number;
}

export const MODELS = ['claude-sonnet-5-5', 'gpt-5-6-terra'];

export interface TrialResult {
  outcome: Verdict['outcome'];
  /** The first model's status (the one a drop is applied to). */
  first: Verdict['status'];
  escalated: boolean;
  /** Whether the first model's 95% CI holds 0 (null when no CI was shown): coverage under no change. */
  coversZero: boolean | null;
}

export function trial(seed: number, design: Design, condition: Condition, policy: GatePolicy): TrialResult {
  const harsh = Boolean(condition.harsh);
  const world = makeWorld(seed, { harsh, models: MODELS });
  const random = rng(seedFor(seed, `${design.name}|${condition.name}`));
  const checkScenarios = pick(world.scenarios, design.scenarios, random);
  const dropped = condition.drop?.concentrated ? pick(world.scenarios, 2, random) : world.scenarios;
  const dropShift = condition.drop ? shiftFor(condition.drop.concentrated ? (condition.drop.size * world.scenarios.length) / 2 * -1 : -condition.drop.size, harsh) : 0;
  const drift = Object.fromEntries(MODELS.map((m) => [m, condition.drift ? shiftFor((random() < 0.5 ? -1 : 1) * condition.drift, harsh) : 0]));
  const broken = new Set(pick(checkScenarios, condition.brokenCostTable ?? 0, random));

  const baselineRun = syntheticRun({ runId: 'baseline', version: '1.1.0', scenarios: world.scenarios, samplesPerCell: design.baselineSamples, models: Object.fromEntries(MODELS.map((m) => [m, drawSamples(world, m, { samples: design.baselineSamples }, random)])) });
  const baseline = buildBaseline(baselineRun, '1.1.0', DEFAULT_POLICY);

  const batch = (first: number, samples: number, r: Rng) =>
    Object.fromEntries(
      MODELS.map((m, i) => {
        const shift = Object.fromEntries(checkScenarios.map((s) => [s, drift[m]! + (i === 0 && dropped.includes(s) ? dropShift : 0)]));
        const candidate = drawSamples(world, m, { scenarios: checkScenarios, samples, firstSample: first, shift, ...(i === 0 && { brokenCostTable: broken }) }, r);
        // As `gate --escalate` does: the second batch adds candidate samples; the control's stay as planned.
        const control = design.controlSamples && first === 0 ? drawSamples(world, m, { scenarios: checkScenarios, samples: design.controlSamples, shift: drift[m]!, control: true }, r) : [];
        return [m, [...candidate, ...control]];
      }),
    );
  const runOf = (models: Record<string, SyntheticSample[]>, samples: number) => syntheticRun({ runId: 'check', version: '1.2.0', scenarios: checkScenarios, samplesPerCell: samples, models, controlVersion: '1.1.0' });
  const first = batch(0, design.samples, random);
  let verdict = gate(runOf(first, design.samples), baseline, policy);
  let escalated = false;
  if (verdict.outcome === 'escalate' && policy.escalate) {
    escalated = true;
    const more = batch(design.samples, policy.escalate.samples, random);
    const both = Object.fromEntries(MODELS.map((m) => [m, [...first[m]!, ...more[m]!]]));
    verdict = gate(runOf(both, design.samples + policy.escalate.samples), baseline, policy, { stage: 2 });
  }
  const ci = verdict.models[0]?.mean?.ci ?? null;
  return { outcome: verdict.outcome, first: verdict.models[0]?.status ?? verdict.status, escalated, coversZero: ci ? ci[0] <= 0 && ci[1] >= 0 : null };
}

function pick<T>(xs: readonly T[], n: number, random: Rng): T[] {
  const copy = [...xs];
  for (let i = 0; i < n; i++) {
    const j = i + Math.floor(random() * (copy.length - i));
    [copy[i], copy[j]] = [copy[j]!, copy[i]!];
  }
  return copy.slice(0, n);
}

export interface Rate {
  hits: number;
  trials: number;
  /** Wilson 95% interval of the rate. */
  lo: number;
  hi: number;
}

export function rate(hits: number, trials: number): Rate {
  const z = 1.96;
  const p = hits / trials;
  const centre = (p + (z * z) / (2 * trials)) / (1 + (z * z) / trials);
  const half = (z * Math.sqrt((p * (1 - p)) / trials + (z * z) / (4 * trials * trials))) / (1 + (z * z) / trials);
  return { hits, trials, lo: Math.max(0, centre - half), hi: Math.min(1, centre + half) };
}

/** The designs the project ships: samples and scenario counts from the suites, policies from their gate: sections. */
export function shippedDesigns(): Record<'smoke' | 'nightly', { design: Design; policy: GatePolicy; control: boolean }> {
  const read = (file: string): Suite => validate(SuiteSchema, readYaml(file), file);
  const baseline = read('evals/baseline.yaml');
  const scenarios = loadScenarios().scenarios;
  const count = (s: Suite) => selectScenarios(scenarios, Array.isArray(s.scenarios) ? s.scenarios.join(',') : s.scenarios).length;
  const of = (name: 'smoke' | 'nightly', file: string) => {
    const suite = read(file);
    const control = suite.gate?.control ?? false;
    return { design: { name, baselineSamples: baseline.samples, scenarios: count(suite), samples: suite.samples, controlSamples: control ? suite.gate?.controlSamples ?? suite.samples : 0 }, policy: suiteGatePolicy(suite, file), control };
  };
  return { smoke: of('smoke', 'evals/smoke.yaml'), nightly: of('nightly', 'evals/nightly.yaml') };
}
