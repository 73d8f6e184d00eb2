// `report --compare baseline`: the committed reports/baseline.json (src/gate/baseline.ts) seen as
// a run, so the report compares with it exactly as with any other run. The baseline holds scores
// and grader verdicts but no documents, reasons, costs or prompt text; where the run it was made
// from is still on disk its stored documents are linked and its costs shown, and the prompt text comes from that
// run's run.json or, failing that, the registry (only when the sha256 matches).

import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { readBaseline, type Baseline } from '../gate/baseline.ts';
import { loadRegistry } from '../registry/load.ts';
import { buildAggregates, type CellResult, type Results } from '../runner/results.ts';
import type { RunMeta } from '../runner/run.ts';
import { loadRun, type PromptText, type RunData } from './load.ts';

export function baselineAsRun(file: string, runsDir: string, opts: { store?: string; promptsDir?: string } = {}): RunData {
  const b = readBaseline(file);
  const sourceDir = join(runsDir, b.run);
  const source = existsSync(join(sourceDir, 'results.json')) ? safeLoad(sourceDir, opts.store) : null;
  const fromSource = new Map(source?.results.cells.map((c) => [c.id, c]) ?? []);
  const cells = baselineCells(b, fromSource);
  const results: Results = {
    runId: b.run,
    status: 'complete',
    suite: { file: b.suite.file, prompt: b.prompt.id, samples: b.suite.samples, models: b.models.map((m) => m.id), versions: [b.prompt.version], scenarios: b.scenarios },
    gradersVersion: b.gradersVersion,
    startedAt: source?.results.startedAt ?? '',
    finishedAt: source?.results.finishedAt ?? '',
    totals: { planned: cells.length, finished: cells.length, pending: 0, ok: cells.length, truncated: 0, refused: 0, errors: 0, cached: cells.length, costUsd: 0, unpricedCells: cells.filter((c) => c.costUsd === null).length },
    cells,
    ...buildAggregates(cells),
  };
  const prompts: RunData['prompts'] = new Map();
  const fromRun = source?.prompts.get(b.prompt.version);
  const text = fromRun?.sha256 === b.prompt.sha256 ? fromRun : registryText(b, opts.promptsDir ?? 'prompts');
  if (text) prompts.set(b.prompt.version, text);
  return {
    dir: file,
    title: `the baseline (run ${b.run})`,
    results,
    meta: (source?.meta ?? null) as RunMeta | null,
    storeDir: source?.storeDir ?? opts.store ?? '.promptgate/store',
    policy: { weights: b.gradePolicy.weights, hard: b.gradePolicy.hard, passThreshold: b.gradePolicy.passThreshold },
    prompts,
  };
}

/** The baseline's cells; what it does not keep (store key, cost, tokens, latency) comes from the run it was made from, when that run is still there. */
function baselineCells(b: Baseline, source: Map<string, CellResult>): CellResult[] {
  const labels = new Map(b.models.map((m) => [m.id, m.label]));
  const cells: CellResult[] = [];
  for (const [modelId, byScenario] of Object.entries(b.results)) {
    const [provider, ...rest] = modelId.split(':');
    for (const [scenario, s] of Object.entries(byScenario)) {
      s.score.forEach((score, i) => {
        const id = `${b.prompt.version}|${scenario}|${modelId}|${i}`;
        cells.push({
          id,
          promptId: b.prompt.id,
          version: b.prompt.version,
          promptSha256: b.prompt.sha256,
          scenario,
          provider: provider as CellResult['provider'],
          model: rest.join(':'),
          label: labels.get(modelId) ?? modelId,
          sample: i,
          status: 'ok',
          stopReason: null,
          usage: source.get(id)?.usage ?? { input: 0, output: 0, cacheRead: 0, cacheWrite: 0 },
          costUsd: source.get(id)?.costUsd ?? null,
          latencyMs: source.get(id)?.latencyMs ?? null,
          storeKey: source.get(id)?.storeKey ?? null,
          cached: true,
          score,
          pass: s.pass[i] ?? null,
          grades: Object.fromEntries(Object.entries(s.graders).flatMap(([g, x]) => (x.pass[i] === undefined ? [] : [[g, { pass: x.pass[i]!, score: x.score[i] ?? 0, reason: '(the baseline keeps no reasons)' }]]))),
          finishedAt: '',
        });
      });
    }
  }
  return cells;
}

function safeLoad(dir: string, store: string | undefined): RunData | null {
  try {
    return loadRun(dir, store ? { store } : {});
  } catch {
    return null;
  }
}

function registryText(b: Baseline, dir: string): PromptText | null {
  if (!existsSync(dir)) return null;
  const v = loadRegistry(dir).versions.find((x) => x.meta.id === b.prompt.id && x.meta.version === b.prompt.version && x.sha256 === b.prompt.sha256);
  return v ? { sha256: v.sha256, text: v.text, maxTokens: v.meta.generation.maxTokens, ...(v.meta.generation.temperature !== undefined && { temperature: v.meta.generation.temperature }) } : null;
}
