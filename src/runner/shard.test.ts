// Sharding and merging as pure functions: every cell in exactly one share, shares balanced by
// estimated tokens, the same plan giving the same fingerprint; merge refusing what does not fit.

import { describe, expect, it } from 'vitest';
import { UsageError } from '../errors.ts';
import { mergeShards, type ShardRun } from './merge.ts';
import type { Cell } from './plan.ts';
import type { CellResult, Results } from './results.ts';
import type { RunMeta } from './run.ts';
import { assignShards, parseShard, planFingerprint, shardOf } from './shard.ts';

function cell(i: number, maxTokens = 8000): Cell {
  return {
    id: `1.0.0|s${i % 7}|anthropic:m|${i}`,
    promptId: 'p',
    version: '1.0.0',
    promptSha256: 'x',
    scenario: `s${i % 7}`,
    model: { provider: 'anthropic', model: 'm', label: 'm' },
    sample: i,
    request: { model: 'm', system: 'sys', user: 'u'.repeat(100 + (i % 5) * 400), maxTokens },
    storeKey: `k${i}`,
  } as Cell;
}
const plan = Array.from({ length: 53 }, (_, i) => cell(i, i % 3 === 0 ? 16000 : 8000));

describe('shards', () => {
  it.each(['0/2', '3/2', '1/0', '2', 'a/b', '1/257', ' 1/2', '1/2/3'])('refuses the share "%s" with one line', (raw) => {
    expect(() => parseShard(raw)).toThrow(UsageError);
  });

  it('puts every cell in exactly one share, the same way every time', () => {
    for (const n of [1, 2, 3, 8, 60]) {
      const a = assignShards(plan, n);
      const b = assignShards([...plan].reverse(), n);
      expect([...a.keys()].sort()).toEqual(plan.map((c) => c.id).sort());
      for (const c of plan) expect(b.get(c.id)).toBe(a.get(c.id));
      const union = Array.from({ length: n }, (_, i) => shardOf(plan, { index: i + 1, count: n }).cells).flat();
      expect(union.map((c) => c.id).sort()).toEqual(plan.map((c) => c.id).sort());
    }
  });

  it('balances shares by estimated tokens within one cell', () => {
    const weights = (cells: Cell[]) => cells.reduce((s, c) => s + c.request.maxTokens + Math.ceil((c.request.system.length + c.request.user.length) / 4), 0);
    const loads = [1, 2, 3, 4].map((i) => weights(shardOf(plan, { index: i, count: 4 }).cells));
    expect(Math.max(...loads) - Math.min(...loads)).toBeLessThanOrEqual(16000 + 600);
  });

  it('fingerprints the plan, not the order', () => {
    expect(planFingerprint([...plan].reverse())).toBe(planFingerprint(plan));
    expect(planFingerprint(plan.slice(1))).not.toBe(planFingerprint(plan));
    expect(shardOf(plan, { index: 2, count: 3 }).info).toMatchObject({ index: 2, count: 3, planned: 53, plan: planFingerprint(plan) });
  });
});

function shardRun(index: number, count: number, cells: readonly Cell[] = plan, gradersVersion = 'g1'): ShardRun {
  const share = shardOf(cells, { index, count });
  const results = share.cells.map((c) => ({ id: c.id, provider: 'anthropic', status: 'ok', score: 1 }) as CellResult);
  const reference = { id: 'reference|s0', provider: 'reference', status: 'ok', score: 1 } as CellResult;
  const meta = { runId: `r${index}`, suiteFile: 's.yaml', suite: { prompt: 'p' }, startedAt: `2026-12-03T0${index}:00:00Z`, versions: ['1.0.0'], scenarios: [], cells: share.cells, shard: share.info } as unknown as RunMeta;
  return { dir: `runs/r${index}`, meta, results: { status: 'complete', gradersVersion, totals: { pending: 0, costUsd: 0.5 }, cells: [...results, reference] } as unknown as Results };
}

describe('merge', () => {
  it('puts the shares back together: every planned cell once, one reference, spend added up', () => {
    const m = mergeShards([shardRun(3, 3), shardRun(1, 3), shardRun(2, 3)], { runId: 'm' });
    expect(m.meta.cells.map((c) => c.id).sort()).toEqual(plan.map((c) => c.id).sort());
    expect(m.cells.filter((c) => c.provider === 'reference')).toHaveLength(1);
    expect(m).toMatchObject({ status: 'complete', pending: 0, spentUsd: 1.5, missing: [], gradersVersion: 'g1' });
    expect(m.meta).toMatchObject({ runId: 'm', startedAt: '2026-12-03T01:00:00Z', mergedFrom: ['r1', 'r2', 'r3'] });
    expect(m.meta.shard).toBeUndefined();
  });

  it.each([
    ['a run that is not a shard', () => [{ ...shardRun(1, 2), meta: { ...shardRun(1, 2).meta, shard: undefined } }], /not a shard/],
    ['a share given twice', () => [shardRun(1, 2), shardRun(1, 2), shardRun(2, 2)], /given twice/],
    ['a missing share', () => [shardRun(1, 3), shardRun(3, 3)], /shard 2 of 3 missing/],
    ['shares of different plans', () => [shardRun(1, 2), shardRun(2, 2, plan.slice(1))], /another plan/],
    ['shares graded by different graders', () => [shardRun(1, 2), shardRun(2, 2, plan, 'g2')], /regrade the older shard/],
  ])('refuses %s', (_name, runs, message) => {
    expect(() => mergeShards(runs() as ShardRun[], { runId: 'm' })).toThrow(message);
  });

  it('with allowMissing, counts a missing share as not run', () => {
    const m = mergeShards([shardRun(1, 2)], { runId: 'm', allowMissing: true });
    expect(m.missing).toEqual([2]);
    expect(m.status).toBe('incomplete');
    expect(m.pending).toBe(shardOf(plan, { index: 2, count: 2 }).cells.length);
  });
});
