// Batch prices: the price file's `batchDiscount` (0.5: both vendors bill batches at half the
// standard price) applied to every rate of a model, cache reads and writes included — the
// discount stacks with prompt caching. A cell answered by a batch is priced through the same
// `price` override the runner already honours, so its cost, the spend cap and the totals all
// use the batch price without a second pricing path.

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { priceOf } from '../providers/prices.ts';
import type { Cell } from '../runner/plan.ts';
import type { Price } from '../suite/schema.ts';

const table = JSON.parse(readFileSync(join(import.meta.dirname, '../providers/prices.json'), 'utf8')) as { batchDiscount?: number };

/** The share of the standard price a batch costs (0.5 unless the price file says otherwise). */
export const BATCH_FACTOR = typeof table.batchDiscount === 'number' && table.batchDiscount > 0 && table.batchDiscount <= 1 ? table.batchDiscount : 0.5;

export function batchPrice(price: Price | null): Price | null {
  if (!price) return null;
  const f = (n: number | undefined) => (n === undefined ? undefined : n * BATCH_FACTOR);
  return {
    input: price.input * BATCH_FACTOR,
    output: price.output * BATCH_FACTOR,
    // Cache rates default to the input rate (prices.ts): made explicit so the discount applies.
    cacheRead: f(price.cacheRead) ?? price.input * BATCH_FACTOR,
    cacheWrite: f(price.cacheWrite) ?? price.input * BATCH_FACTOR,
  };
}

/** The cell, priced as a batch request (unchanged when its model has no known price). */
export function atBatchPrice(cell: Cell): Cell {
  const price = batchPrice(priceOf(cell.model.model, cell.model.price));
  return price ? { ...cell, model: { ...cell.model, price } } : cell;
}

/** Whether the provider has a batch API promptgate drives (OpenAI-compatible servers do not). */
export const hasBatchApi = (provider: string) => provider === 'anthropic' || provider === 'openai';
