// Token counts as a provider reports them, checked before they become a cost. A count that is
// negative, fractional, not a number or absurdly large is a malformed answer (an error for that
// cell, retried like one), never a made-up cost: a gateway once reported -23,000 output tokens
// and the run "spent $-23.23". Counts that are simply absent make the usage unreported: the
// numbers are 0 and the cost is unknown (null), never $0.

import { ProviderError, type Usage } from './types.ts';

/** More tokens than any model reads or writes in one call (50× the largest context window). */
const MAX_TOKENS = 100_000_000;

export interface RawUsage {
  /** Uncached input, in promptgate's terms (OpenAI's totals are converted by the caller). */
  input: unknown;
  output: unknown;
  cacheRead?: unknown;
  cacheWrite?: unknown;
}

/**
 * `raw` as Usage. `names` are the vendor's field names, for the error message. Input and output
 * must both be present for the usage to count as reported; the cache counts default to 0.
 */
export function checkedUsage(vendor: string, raw: RawUsage, names: Record<keyof RawUsage, string>): Usage {
  const count = (key: keyof RawUsage): number | null => {
    const v = raw[key];
    if (v === undefined || v === null) return null;
    if (typeof v === 'number' && Number.isInteger(v) && v >= 0 && v <= MAX_TOKENS) return v;
    const shown = typeof v === 'string' ? JSON.stringify(v.slice(0, 40)) : typeof v === 'number' ? String(v) : typeof v;
    throw new ProviderError('malformed', `${vendor}: usage ${names[key]} is ${shown}; expected a whole number of tokens from 0 to ${MAX_TOKENS}`);
  };
  const input = count('input');
  const output = count('output');
  const cacheRead = count('cacheRead') ?? 0;
  const cacheWrite = count('cacheWrite') ?? 0;
  if (input === null || output === null) return { input: input ?? 0, output: output ?? 0, cacheRead, cacheWrite, unreported: true };
  return { input, output, cacheRead, cacheWrite };
}
