// Sharded runs: `eval --shard i/n` runs a deterministic share of the planned cells, and
// `promptgate merge` puts the shares back together. Pure: every shard plans the whole suite the
// same way, then keeps its own share, so no coordination is needed between CI jobs — only the
// plan's fingerprint, which merge checks.

import { createHash } from 'node:crypto';
import { UsageError } from '../errors.ts';
import { estimateTokens, type Cell } from './plan.ts';

export interface Shard {
  /** 1-based, as CI matrices count (`--shard 2/4`). */
  index: number;
  count: number;
}

/** What a shard's run.json records, so merge can check the shares belong together. */
export interface ShardInfo extends Shard {
  /** sha256 of the whole plan (every cell's id and store key), identical on every shard. */
  plan: string;
  /** Cells in the whole plan (this shard runs a share of them). */
  planned: number;
}

export const MAX_SHARDS = 256;

export function parseShard(raw: string, what = '--shard'): Shard {
  const m = /^(\d{1,3})\/(\d{1,3})$/.exec(raw);
  const index = m ? Number(m[1]) : NaN;
  const count = m ? Number(m[2]) : NaN;
  if (!m || count < 1 || count > MAX_SHARDS || index < 1 || index > count) {
    throw new UsageError(`${what}: "${raw}" is not a share; expected i/n with 1 ≤ i ≤ n ≤ ${MAX_SHARDS} (e.g. 2/4)`);
  }
  return { index, count };
}

/** The plan's fingerprint: the same suite, versions, scenarios, models and samples give the same one. */
export function planFingerprint(cells: readonly Cell[]): string {
  const hash = createHash('sha256');
  for (const key of cells.map((c) => `${c.id}\u0000${c.storeKey}`).sort()) hash.update(`${key}\n`);
  return hash.digest('hex');
}

/** A cell's expected weight: what it costs in tokens (output dominates time and price). */
const weight = (c: Cell) => estimateTokens(c.request.system + c.request.user) + c.request.maxTokens;

/**
 * Every cell's shard (1-based), balanced by estimated tokens: heaviest cells first, each to the
 * lightest shard so far (ties to the lowest index). Deterministic: the order is weight, then id.
 */
export function assignShards(cells: readonly Cell[], count: number): Map<string, number> {
  const order = [...cells].sort((a, b) => weight(b) - weight(a) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  const load = new Array<number>(count).fill(0);
  const assigned = new Map<string, number>();
  for (const c of order) {
    let lightest = 0;
    for (let i = 1; i < count; i++) if (load[i]! < load[lightest]!) lightest = i;
    load[lightest]! += weight(c);
    assigned.set(c.id, lightest + 1);
  }
  return assigned;
}

/** This shard's cells, in plan order, and what its run.json records about the whole plan. */
export function shardOf(cells: readonly Cell[], shard: Shard): { cells: Cell[]; info: ShardInfo } {
  const assigned = assignShards(cells, shard.count);
  return {
    cells: cells.filter((c) => assigned.get(c.id) === shard.index),
    info: { ...shard, plan: planFingerprint(cells), planned: cells.length },
  };
}
