// What a completion cost, from the price table (prices.json) or a suite's override. A model with
// no known price has cost null ("unknown"), never 0: a report must not call an unpriced run free.

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Price } from '../suite/schema.ts';
import type { Usage } from './types.ts';

interface PriceTable {
  batchDiscount: number;
  models: Record<string, Price>;
}

const table = JSON.parse(readFileSync(join(import.meta.dirname, 'prices.json'), 'utf8')) as PriceTable;

/** The price of a model: the override, else the table (exact id, then the id without a date suffix). */
export function priceOf(model: string, override?: Price): Price | null {
  return override ?? table.models[model] ?? table.models[model.replace(/-\d{8}$|-\d{4}-\d{2}-\d{2}$/, '')] ?? null;
}

/** USD for one completion, or null when the price or the usage is unknown. Cache prices default to the input price. */
export function costUsd(usage: Usage, price: Price | null): number | null {
  if (!price || usage.unreported) return null;
  const usd =
    (usage.input * price.input + usage.output * price.output + usage.cacheRead * (price.cacheRead ?? price.input) + usage.cacheWrite * (price.cacheWrite ?? price.input)) / 1e6;
  return Math.round(usd * 1e6) / 1e6;
}
