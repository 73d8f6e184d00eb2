// Running the planned cells: served from the store when stored, else sent to the provider with
// a concurrency limit per provider (both providers at once), retries, and a spend cap. Each
// finished cell is graded and appended to the journal at once. The first Ctrl-C stops starting
// cells and lets requests in flight finish (they are being paid for); a second abandons them.
// Nothing finished is lost.

import type { Scenario } from '../dataset/schema.ts';
import { gradeDocument, type GradePolicy } from '../../graders/grade.ts';
import { costUsd, priceOf } from '../providers/prices.ts';
import { ProviderError, type Completion, type Provider } from '../providers/types.ts';
import { AdaptiveLimiter } from './limiter.ts';
import { estimateTokens, type Cell } from './plan.ts';
import type { CellResult } from './results.ts';
import { withRetry, type RetryPolicy } from './retry.ts';
import type { ResponseStore } from './store.ts';

export type RunEvent =
  | { type: 'finished'; cell: Cell; result: CellResult }
  | { type: 'retry'; cell: Cell; error: ProviderError; attempt: number; delayMs: number }
  | { type: 'auth-failed'; model: string; message: string }
  | { type: 'budget-reached'; capUsd: number; spentUsd: number };

export interface ExecuteOptions {
  cells: Cell[];
  /** Provider per `provider:model`; null when the model has no credentials (store only). */
  providers: Map<string, Provider | null>;
  store: ResponseStore;
  scenarios: Map<string, Scenario>;
  policy: GradePolicy;
  retry: RetryPolicy;
  maxCostUsd?: number;
  /** Stop starting cells (the first Ctrl-C); requests in flight finish, as they are paid for. */
  stop: AbortSignal;
  /** Abandon requests in flight too (a second Ctrl-C). */
  signal: AbortSignal;
  /** Called once per finished cell, before anything else (the journal append). */
  record: (result: CellResult) => void;
  onEvent?: (event: RunEvent) => void;
}

export interface Execution {
  results: CellResult[];
  /** Cells not run: no credentials, interrupted, or the spend cap reached. */
  pending: Cell[];
  budgetReached: boolean;
  spentUsd: number;
}

export const modelKey = (c: Pick<Cell, 'model'>) => `${c.model.provider}:${c.model.model}`;

export async function execute(opts: ExecuteOptions): Promise<Execution> {
  const limiters = new Map<string, AdaptiveLimiter>();
  for (const c of opts.cells) {
    const max = Math.max(limiters.get(c.model.provider)?.max ?? 0, c.model.concurrency ?? 4);
    limiters.set(c.model.provider, new AdaptiveLimiter(max));
  }
  const results: CellResult[] = [];
  const pending: Cell[] = [];
  const deadModels = new Map<string, string>();
  let spent = 0;
  let reserved = 0;
  let budgetReached = false;

  const finish = (cell: Cell, result: CellResult) => {
    opts.record(result);
    results.push(result);
    opts.onEvent?.({ type: 'finished', cell, result });
  };

  const runCell = async (cell: Cell): Promise<void> => {
    const stored = opts.store.get(cell.storeKey);
    if (stored) return finish(cell, resultOf(cell, stored.completion, true, opts));
    const provider = opts.providers.get(modelKey(cell)) ?? null;
    if (!provider || opts.stop.aborted) return void pending.push(cell);
    const dead = deadModels.get(modelKey(cell));
    if (dead) return finish(cell, errorResult(cell, dead));

    const limiter = limiters.get(cell.model.provider)!;
    await limiter.acquire();
    try {
      if (opts.stop.aborted || budgetReached) return void pending.push(cell);
      const late = deadModels.get(modelKey(cell));
      if (late) return finish(cell, errorResult(cell, late));
      const estimate = estimateCost(cell) ?? 0;
      if (opts.maxCostUsd !== undefined && spent + reserved + estimate > opts.maxCostUsd) {
        budgetReached = true;
        opts.onEvent?.({ type: 'budget-reached', capUsd: opts.maxCostUsd, spentUsd: spent });
        return void pending.push(cell);
      }
      reserved += estimate;
      try {
        const completion = await withRetry(() => provider.complete({ ...cell.request, signal: opts.signal }), opts.retry, {
          signal: opts.signal,
          onRetry: (error, attempt, delayMs) => {
            if (error.kind === 'rate_limit') limiter.rateLimited();
            opts.onEvent?.({ type: 'retry', cell, error, attempt, delayMs });
          },
        });
        limiter.succeeded();
        opts.store.put({ key: cell.storeKey, provider: cell.model.provider, model: cell.model.model, sample: cell.sample, completion, storedAt: new Date().toISOString() });
        const result = resultOf(cell, completion, false, opts);
        spent += result.costUsd ?? 0;
        finish(cell, result);
      } finally {
        reserved -= estimate;
      }
    } catch (error) {
      if (opts.signal.aborted) return void pending.push(cell);
      if (error instanceof ProviderError && error.kind === 'auth' && !deadModels.has(modelKey(cell))) {
        const message = `authentication failed for ${cell.model.label} (${error.message}); check ${keyVariable(cell)}`;
        deadModels.set(modelKey(cell), message);
        opts.onEvent?.({ type: 'auth-failed', model: cell.model.label, message });
      }
      finish(cell, errorResult(cell, deadModels.get(modelKey(cell)) ?? describe(error)));
    } finally {
      limiter.release();
    }
  };

  await Promise.all(opts.cells.map(runCell));
  return { results, pending, budgetReached, spentUsd: spent };
}

/** The most a cell can cost: its input plus a full max_tokens of output. */
export function estimateCost(cell: Cell): number | null {
  const input = estimateTokens(cell.request.system + cell.request.user);
  return costUsd({ input, output: cell.request.maxTokens, cacheRead: 0, cacheWrite: 0 }, priceOf(cell.model.model, cell.model.price));
}

function resultOf(cell: Cell, completion: Completion, cached: boolean, opts: Pick<ExecuteOptions, 'scenarios' | 'policy'>): CellResult {
  const empty = completion.text.trim() === '';
  const status = completion.stopReason === 'refusal' || empty ? 'refused' : completion.stopReason === 'max_tokens' ? 'truncated' : 'ok';
  const graded = gradeDocument(completion.text, { scenario: opts.scenarios.get(cell.scenario) ?? null }, opts.policy);
  return {
    ...identity(cell),
    status,
    ...(empty && { error: 'empty output' }),
    stopReason: completion.rawStopReason,
    usage: completion.usage,
    costUsd: costUsd(completion.usage, priceOf(cell.model.model, cell.model.price)),
    latencyMs: completion.latencyMs,
    cached,
    score: graded.score,
    pass: graded.pass,
    grades: Object.fromEntries(Object.entries(graded.graders).map(([id, g]) => [id, { pass: g.pass, score: g.score, reason: g.reason }])),
    finishedAt: new Date().toISOString(),
  };
}

/** A failed cell: recorded with its reason, never graded as an empty document. */
function errorResult(cell: Cell, reason: string): CellResult {
  return {
    ...identity(cell),
    status: 'error',
    error: reason,
    stopReason: null,
    usage: { input: 0, output: 0, cacheRead: 0, cacheWrite: 0 },
    costUsd: 0,
    latencyMs: null,
    cached: false,
    score: null,
    pass: null,
    grades: {},
    finishedAt: new Date().toISOString(),
  };
}

function identity(cell: Cell) {
  return {
    id: cell.id,
    promptId: cell.promptId,
    version: cell.version,
    promptSha256: cell.promptSha256,
    scenario: cell.scenario,
    provider: cell.model.provider,
    model: cell.model.model,
    label: cell.model.label,
    sample: cell.sample,
    storeKey: cell.storeKey,
  };
}

function describe(error: unknown): string {
  if (error instanceof ProviderError) return `${error.kind}${error.status ? ` (HTTP ${error.status})` : ''}: ${error.message}`;
  return (error as Error)?.message ?? String(error);
}

export function keyVariable(cell: Pick<Cell, 'model'>): string {
  return cell.model.apiKeyEnv ?? (cell.model.provider === 'anthropic' ? 'ANTHROPIC_API_KEY' : 'OPENAI_API_KEY');
}
