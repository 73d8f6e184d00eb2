// Seeded synthetic runs where the truth is known, for the gate's unit tests (gate.test.ts), and
// the run builder (syntheticRun) the realistic simulation (simulate.ts) shares. Error rates are
// measured on realistic scores (realistic.ts, `npm run bench:gate`), not on these Gaussian ones.
// The model of a run, as issue 6 states it: each scenario has a true mean score (spread with
// SD 0.10 around 0.75); each sample's score varies around its scenario's mean with SD 0.08;
// scores are clipped to [0, 1] and rounded like real grades. A candidate shares the scenario
// means (the same scenarios) minus `drop`, with fresh samples.

import { DEFAULT_POLICY } from '../../graders/grade.ts';
import { buildAggregates, type CellResult, type Results } from '../../src/runner/results.ts';
import { buildBaseline, type Baseline } from '../../src/gate/baseline.ts';
import { rng, type Rng } from '../../src/gate/stats.ts';

export interface SyntheticOptions {
  seed: number;
  scenarios?: number;
  samples?: number;
  /** How much worse the candidate truly is (0.05: five points lower on every scenario). */
  drop?: number;
  scenarioSd?: number;
  sampleSd?: number;
  /** The candidate reuses the baseline's very samples (an identical run). */
  identical?: boolean;
  /** The candidate's pass rate of the hard grader `cost-table` (the baseline's is 100%). */
  hardAfter?: number;
  model?: string;
}

export interface SyntheticPair {
  baseline: Baseline;
  baselineRun: Results;
  candidate: Results;
}

export const SYNTHETIC_GRADERS = 'synthetic-graders';

export function syntheticPair(o: SyntheticOptions): SyntheticPair {
  const random = rng(o.seed);
  const n = o.scenarios ?? 16;
  const k = o.samples ?? 3;
  const scenarios = Array.from({ length: n }, (_, i) => `scenario-${String(i + 1).padStart(2, '0')}`);
  const means = scenarios.map(() => 0.75 + (o.scenarioSd ?? 0.1) * normal(random));
  const draw = (shift: number) => scenarios.map((_, s) => Array.from({ length: k }, () => clip(means[s]! - shift + (o.sampleSd ?? 0.08) * normal(random))));
  const before = draw(0);
  const after = o.identical ? before : draw(o.drop ?? 0);
  // Exactly the asked share of the candidate's samples lose the hard grader, chosen at random.
  const total = n * k;
  const losing = new Set(shuffle(Array.from({ length: total }, (_, i) => i), random).slice(0, Math.round((1 - (o.hardAfter ?? 1)) * total)));
  const baselineRun = run('baseline-run', '1.1.0', scenarios, before, () => true, o.model);
  const candidate = run('candidate-run', '1.2.0', scenarios, after, (i) => !losing.has(i), o.model);
  return { baseline: buildBaseline(baselineRun, '1.1.0', DEFAULT_POLICY), baselineRun, candidate };
}

function run(runId: string, version: string, scenarios: string[], scores: number[][], hardPass: (i: number) => boolean, model = 'claude-sonnet-5-5'): Results {
  const samples: SyntheticSample[] = [];
  scenarios.forEach((scenario, s) =>
    scores[s]!.forEach((score, sample) => {
      const costTable = hardPass(samples.length);
      samples.push({
        scenario,
        sample,
        score,
        pass: score >= 0.8 && costTable,
        grades: {
          'cost-table': { pass: costTable, score: costTable ? 1 : 0, reason: costTable ? 'adds up' : 'no cost table' },
          sections: { pass: score >= 0.6, score, reason: 'synthetic' },
        },
      });
    }),
  );
  return syntheticRun({ runId, version, scenarios, samplesPerCell: scores[0]?.length ?? 0, models: { [model]: samples } });
}

export interface SyntheticSample {
  scenario: string;
  sample: number;
  score: number;
  pass: boolean;
  grades: CellResult['grades'];
  control?: boolean;
}

/** A complete run of graded cells, one model id (anthropic:<model>) per key of `models`. */
export function syntheticRun(o: { runId: string; version: string; scenarios: string[]; samplesPerCell: number; models: Record<string, SyntheticSample[]>; controlVersion?: string }): Results {
  const cells: CellResult[] = Object.entries(o.models).flatMap(([model, samples]) =>
    samples.map((x) => {
      const version = x.control ? o.controlVersion ?? '1.1.0' : o.version;
      return {
        id: `${version}|${x.scenario}|anthropic:${model}|${x.sample}${x.control ? '|control' : ''}`,
        promptId: 'pipeline-design-architect',
        version,
        promptSha256: `sha-of-${version}`,
        scenario: x.scenario,
        provider: 'anthropic' as const,
        model,
        label: model === 'claude-sonnet-5-5' ? 'Synthetic Model' : model,
        sample: x.sample,
        status: 'ok' as const,
        stopReason: 'end_turn',
        usage: { input: 1, output: 1, cacheRead: 0, cacheWrite: 0 },
        costUsd: 0,
        latencyMs: 1,
        storeKey: `key-${version}-${x.scenario}-${model}-${x.sample}${x.control ? '-control' : ''}`,
        cached: false,
        ...(x.control && { control: true }),
        score: x.score,
        pass: x.pass,
        grades: x.grades,
        finishedAt: '2026-01-01T00:00:00.000Z',
      };
    }),
  );
  return {
    runId: o.runId,
    status: 'complete',
    suite: { file: 'evals/synthetic.yaml', prompt: 'pipeline-design-architect', samples: o.samplesPerCell, models: Object.keys(o.models).map((m) => `anthropic:${m}`), versions: [o.version], scenarios: o.scenarios },
    gradersVersion: SYNTHETIC_GRADERS,
    startedAt: '2026-01-01T00:00:00.000Z',
    finishedAt: '2026-01-01T00:00:00.000Z',
    totals: { planned: cells.length, finished: cells.length, pending: 0, ok: cells.length, truncated: 0, refused: 0, errors: 0, cached: 0, costUsd: 0, unpricedCells: 0 },
    cells,
    ...buildAggregates(cells),
  };
}

/** A standard normal draw (Box–Muller). */
export function normal(random: Rng): number {
  const u = 1 - random();
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * random());
}

const clip = (x: number) => Math.round(Math.min(1, Math.max(0, x)) * 1000) / 1000;

function shuffle<T>(xs: T[], random: Rng): T[] {
  for (let i = xs.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [xs[i], xs[j]] = [xs[j]!, xs[i]!];
  }
  return xs;
}
