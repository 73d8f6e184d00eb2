// (d) of the runner bench: what the default suite (evals/default.yaml) costs, from the usage the
// emulators report at the prices in src/providers/prices.json. Every planned request is sent
// through promptgate's providers (the real SDKs) to emulators that cache a system prompt of at
// least 1,024 tokens, as the real APIs do, and answer with the calibration set's ~2,500-word
// documents. Three figures: live as sent (the first request per version and model writes the
// cache, the rest read it), live with every system prompt already cached (a re-run within the
// cache's lifetime), and live with no caching at all, for reference. Batch prices come with
// batch mode (issue 15 §2): the slot is left open.

import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { sha256 } from '../../src/canonical.ts';
import { loadScenarios, selectScenarios } from '../../src/dataset/load.ts';
import { createProvider } from '../../src/providers/index.ts';
import { costUsd, priceOf } from '../../src/providers/prices.ts';
import type { Provider, Usage } from '../../src/providers/types.ts';
import { registryOrThrow, selectVersions } from '../../src/registry/load.ts';
import { planCells, type Cell } from '../../src/runner/plan.ts';
import { loadSuite } from '../../src/suite/load.ts';
import { startEmulators } from '../../src/testing/emulators.ts';
import { root } from './util.ts';

export const MIN_CACHEABLE = 1024;

export interface CostResult {
  cells: number;
  live: number;
  allHits: number;
  noCache: number;
  output: number;
  cachedInputTokens: number;
  inputTokens: number;
  /** Versions whose system prompt is under the minimum: never cached. */
  uncacheable: string[];
}

export async function measureCost(limit?: number): Promise<CostResult> {
  const suite = loadSuite(join(root, 'evals/default.yaml'));
  const scenarios = selectScenarios(loadScenarios(join(root, 'datasets/scenarios')).scenarios, [suite.scenarios].flat().join(','));
  const registry = registryOrThrow(join(root, 'prompts'));
  // A list of selectors ("released", "candidates") picks each one's versions, as eval does.
  const versions = [...new Map([suite.versions].flat().flatMap((sel) => selectVersions(registry, suite.prompt, sel)).map((v) => [v.meta.version, v])).values()];
  let cells = planCells(suite, versions, scenarios);
  if (limit) cells = cells.slice(0, limit);
  const documents = readdirSync(join(root, 'datasets/calibration'))
    .filter((f) => f.endsWith('.md'))
    .map((f) => readFileSync(join(root, 'datasets/calibration', f), 'utf8'))
    .filter((t) => t.split(/\s+/).length >= 2000);
  const emu = await startEmulators({
    minCacheableTokens: MIN_CACHEABLE,
    respond: (req) => ({ text: documents[Number.parseInt(sha256(`${req.model}\n${req.system}\n${req.user}\n${req.attempt}`).slice(0, 8), 16) % documents.length]! }),
  });
  const keys = { anthropic: 'bench-anthropic-key-not-a-real-one', openai: 'bench-openai-key-not-a-real-one' };
  const providers = new Map<string, Provider>();
  const providerOf = (c: Cell) => {
    const key = c.model.provider;
    if (!providers.has(key)) {
      providers.set(key, key === 'anthropic' ? createProvider({ provider: 'anthropic', apiKey: keys.anthropic, baseURL: emu.anthropic.baseURL, timeoutMs: 60_000 }) : createProvider({ provider: 'openai', api: 'responses', apiKey: keys.openai, baseURL: emu.openai.baseURL, timeoutMs: 60_000 }));
    }
    return providers.get(key)!;
  };
  const usages: Array<{ cell: Cell; usage: Usage }> = [];
  try {
    let next = 0;
    const lane = async () => {
      while (next < cells.length) {
        const cell = cells[next++]!;
        const c = await providerOf(cell).complete(cell.request);
        usages.push({ cell, usage: c.usage });
      }
    };
    await Promise.all(Array.from({ length: 16 }, lane));
  } finally {
    await emu.close();
  }
  const price = (cell: Cell, u: Usage) => costUsd(u, priceOf(cell.model.model, cell.model.price)) ?? Number.NaN;
  const sum = (f: (x: { cell: Cell; usage: Usage }) => number) => usages.reduce((s, x) => s + f(x), 0);
  const uncacheable = [...new Set(cells.filter((c) => Math.ceil(c.request.system.length / 4) < MIN_CACHEABLE).map((c) => `${c.version} (${Math.ceil(c.request.system.length / 4)} tokens)`))];
  return {
    cells: cells.length,
    live: sum((x) => price(x.cell, x.usage)),
    allHits: sum((x) => price(x.cell, { ...x.usage, cacheRead: x.usage.cacheRead + x.usage.cacheWrite, cacheWrite: 0 })),
    noCache: sum((x) => price(x.cell, { ...x.usage, input: x.usage.input + x.usage.cacheRead + x.usage.cacheWrite, cacheRead: 0, cacheWrite: 0 })),
    output: sum((x) => price(x.cell, { input: 0, output: x.usage.output, cacheRead: 0, cacheWrite: 0 })),
    cachedInputTokens: sum((x) => x.usage.cacheRead),
    inputTokens: sum((x) => x.usage.input + x.usage.cacheRead + x.usage.cacheWrite),
    uncacheable,
  };
}
