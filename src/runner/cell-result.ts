// What a finished cell records (results.json, the journal): its identity, status, usage and
// cost, and its grade; or, for a cell that failed, the reason. Plain functions of the cell and
// its answer, for the runner (execute.ts); the most a cell can cost is also what the spend cap,
// batch mode and the dry run reserve.

import { costUsd, priceOf } from '../providers/prices.ts';
import type { Completion } from '../providers/types.ts';
import { withoutEvidence, type Verdict } from './grade-cache.ts';
import { estimateTokens, type Cell } from './plan.ts';
import type { CellResult } from './results.ts';

/** The most a cell can cost: its input plus a full max_tokens of output. */
export function estimateCost(cell: Cell): number | null {
  const input = estimateTokens(cell.request.system + cell.request.user);
  return costUsd({ input, output: cell.request.maxTokens, cacheRead: 0, cacheWrite: 0 }, priceOf(cell.model.model, cell.model.price));
}

/**
 * What a result needs of an answer: all of it but the text, and whether the text is empty (a
 * store-reading thread sends this much, not 17 KB documents; stored-reader.ts).
 */
export type AnswerFacts = Omit<Completion, 'text'> & { empty: boolean };

export function factsOf(completion: Completion): AnswerFacts {
  const { text, ...facts } = completion;
  return { ...facts, empty: text.trim() === '' };
}

export function resultOf(cell: Cell, completion: AnswerFacts, cached: boolean, graded: Verdict): CellResult {
  const empty = completion.empty;
  const status = completion.stopReason === 'refusal' || empty ? 'refused' : completion.stopReason === 'max_tokens' ? 'truncated' : 'ok';
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
    grades: withoutEvidence(graded),
    finishedAt: new Date().toISOString(),
  };
}

/** What an answer cost (0 when the model's price is unknown: the cap cannot count what it cannot price). */
export function costOf(cell: Cell, completion: Pick<Completion, 'usage'>): number {
  return costUsd(completion.usage, priceOf(cell.model.model, cell.model.price)) ?? 0;
}

/** What an answer counts against the spend cap: its cost, or the most it can have cost when the provider sent no usage. */
export function spendOf(cell: Cell, completion: Pick<Completion, 'usage'>): number {
  return completion.usage.unreported ? (estimateCost(cell) ?? 0) : costOf(cell, completion);
}

/** A failed cell: recorded with its reason, never graded as an empty document. */
export function errorResult(cell: Cell, reason: string, cost = 0): CellResult {
  return {
    ...identity(cell),
    status: 'error',
    error: reason,
    stopReason: null,
    usage: { input: 0, output: 0, cacheRead: 0, cacheWrite: 0 },
    costUsd: cost,
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
    ...(cell.control && { control: true }),
  };
}
