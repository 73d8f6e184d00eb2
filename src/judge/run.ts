// Judging a run: every graded model output × every rubric, each by a judge of another family than
// the model that wrote it (judge.ts pickJudge), a few at a time. The outcome is plain data that
// the command writes to the run folder as judge.json and the reports show, labelled as a model's
// opinion with its cost. Judges never gate: the gate does not read judge.json.

import type { Scenario } from '../dataset/schema.ts';
import type { Provider } from '../providers/types.ts';
import type { CellResult } from '../runner/results.ts';
import type { ResponseStore } from '../runner/store.ts';
import type { ModelConfig } from '../suite/schema.ts';
import { judge, judgeLabel, pickJudge, type Judgement } from './judge.ts';
import type { Rubric } from './rubric.ts';

export interface CellJudgement extends Judgement {
  cell: string;
  version: string;
  scenario: string;
  /** The model that wrote the document (its label). */
  model: string;
}

export interface JudgeSummaryRow {
  rubric: string;
  version: string;
  model: string;
  judged: number;
  pass: number;
  errors: number;
  passRate: number | null;
  costUsd: number | null;
}

export interface RunJudgements {
  run: string;
  rubrics: Array<Pick<Rubric, 'id' | 'title'>>;
  judges: string[];
  judgements: CellJudgement[];
  summary: JudgeSummaryRow[];
  costUsd: number | null;
  /** Outputs not judged, and why (no document in the store, no judge with a key). */
  skipped: string[];
}

export interface JudgeRunOptions {
  runId: string;
  cells: readonly CellResult[];
  rubrics: readonly Rubric[];
  /** The suite's judge models that have a key (the command says which were skipped). */
  judges: readonly ModelConfig[];
  providers: ReadonlyMap<string, Provider>;
  store: ResponseStore;
  scenarios: ReadonlyMap<string, Scenario>;
  concurrency: number;
  signal?: AbortSignal;
  onJudged?: (done: number, total: number) => void;
}

export async function judgeRun(opts: JudgeRunOptions): Promise<RunJudgements> {
  const skipped: string[] = [];
  const work: Array<() => Promise<CellJudgement>> = [];
  for (const cell of opts.cells) {
    if (cell.provider === 'reference' || cell.score === null || cell.storeKey === null) continue;
    const text = opts.store.get(cell.storeKey)?.completion.text;
    if (text === undefined) {
      skipped.push(`${cell.id}: its output is not in the store`);
      continue;
    }
    const model = pickJudge(cell.provider, opts.judges);
    const provider = opts.providers.get(judgeLabel(model))!;
    for (const rubric of opts.rubrics) {
      const scenario = opts.scenarios.get(cell.scenario) ?? null;
      work.push(async () => ({
        cell: cell.id,
        version: cell.version,
        scenario: cell.scenario,
        model: cell.label,
        ...(await judge({ rubric, document: text, scenario, judge: model, provider, store: opts.store, ...(opts.signal && { signal: opts.signal }) })),
      }));
    }
  }
  const judgements = await pool(work, opts.concurrency, opts.onJudged);
  const sum = (xs: Array<number | null>) => (xs.includes(null) ? null : xs.reduce<number>((a, b) => a + b!, 0));
  return {
    run: opts.runId,
    rubrics: opts.rubrics.map((r) => ({ id: r.id, title: r.title })),
    judges: opts.judges.map(judgeLabel),
    judgements,
    summary: summarise(judgements),
    costUsd: sum(judgements.map((j) => j.costUsd)),
    skipped,
  };
}

function summarise(judgements: readonly CellJudgement[]): JudgeSummaryRow[] {
  const groups = new Map<string, CellJudgement[]>();
  for (const j of judgements) {
    const key = `${j.rubric}\u0000${j.version}\u0000${j.model}`;
    groups.set(key, [...(groups.get(key) ?? []), j]);
  }
  return [...groups.values()].map((js) => {
    const judged = js.filter((j) => j.verdict !== null);
    const pass = judged.filter((j) => j.verdict === 'pass').length;
    const costs = js.map((j) => j.costUsd);
    return {
      rubric: js[0]!.rubric,
      version: js[0]!.version,
      model: js[0]!.model,
      judged: judged.length,
      pass,
      errors: js.length - judged.length,
      passRate: judged.length ? pass / judged.length : null,
      costUsd: costs.includes(null) ? null : costs.reduce<number>((a, b) => a + b!, 0),
    };
  });
}

/** Runs `work` with at most `limit` in flight, results in the order given. */
async function pool<T>(work: Array<() => Promise<T>>, limit: number, onDone?: (done: number, total: number) => void): Promise<T[]> {
  const out = new Array<T>(work.length);
  let next = 0;
  let done = 0;
  const worker = async () => {
    while (next < work.length) {
      const i = next++;
      out[i] = await work[i]!();
      onDone?.(++done, work.length);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, work.length) }, worker));
  return out;
}
