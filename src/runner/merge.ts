// Putting the shares of a sharded run back together (`promptgate merge`). Pure: the shard runs
// in, one run's plan and cells out — or a UsageError naming the run that does not fit. Shares
// of different plans, a share given twice, and graders that changed between shares are refused;
// a missing share is refused too, unless the caller accepts an incomplete run (its cells then
// count as not run, and the gate says INCOMPLETE).

import { UsageError } from '../errors.ts';
import { failedModels } from './failures.ts';
import type { CellResult, Results } from './results.ts';
import type { RunMeta } from './run.ts';

export interface ShardRun {
  /** The run folder, for messages. */
  dir: string;
  meta: RunMeta;
  results: Results;
}

export interface Merged {
  meta: RunMeta;
  cells: CellResult[];
  /** Cells of the plan that no share finished: missing shares' cells plus each share's own pending. */
  pending: number;
  status: Results['status'];
  spentUsd: number;
  gradersVersion: string;
  /** Shares that were not given (1-based), when allowed. */
  missing: number[];
}

export function mergeShards(runs: readonly ShardRun[], opts: { runId: string; allowMissing?: boolean }): Merged {
  if (!runs.length) throw new UsageError('merge: expected the shard run folders to merge');
  for (const r of runs) {
    if (!r.meta.shard) throw new UsageError(`${r.dir}/run.json: /shard: not a shard of a plan; merge takes the runs of eval --shard I/N`);
  }
  const first = runs[0]!;
  const plan = first.meta.shard!;
  const seen = new Map<number, ShardRun>();
  for (const r of runs) {
    const s = r.meta.shard!;
    if (s.plan !== plan.plan || s.count !== plan.count) {
      throw new UsageError(
        `${r.dir}/run.json: /shard: a share of another plan (plan ${s.plan.slice(0, 12)}, ${s.count} shares; ${first.dir} has ${plan.plan.slice(0, 12)}, ${plan.count} shares); ` +
          'every shard must run the same suite, versions, scenarios and models (and, with a control, on the same UTC day)',
      );
    }
    const twice = seen.get(s.index);
    if (twice) throw new UsageError(`${r.dir}: shard ${s.index}/${s.count} is given twice (also ${twice.dir}); pass each share once`);
    seen.set(s.index, r);
    if (r.results.gradersVersion !== first.results.gradersVersion) {
      throw new UsageError(`${r.dir}/results.json: /gradersVersion: graded with ${r.results.gradersVersion}, ${first.dir} with ${first.results.gradersVersion}; promptgate regrade the older shard, then merge`);
    }
  }
  const missing = Array.from({ length: plan.count }, (_, i) => i + 1).filter((i) => !seen.has(i));
  if (missing.length && !opts.allowMissing) {
    throw new UsageError(`merge: shard${missing.length > 1 ? 's' : ''} ${missing.join(', ')} of ${plan.count} missing; pass every share's run folder (or --allow-missing for an incomplete run the gate will not pass)`);
  }

  const ordered = [...seen.entries()].sort(([a], [b]) => a - b).map(([, r]) => r);
  const plannedCells = ordered.flatMap((r) => r.meta.cells);
  const ids = new Set<string>();
  for (const c of plannedCells) {
    if (ids.has(c.id)) throw new UsageError(`merge: cell ${c.id} is in two shares; the shares do not come from one plan`);
    ids.add(c.id);
  }
  // Model cells from their own share; each hand-written reference once (every share grades them).
  const cells: CellResult[] = [];
  const references = new Set<string>();
  for (const r of ordered) {
    for (const c of r.results.cells) {
      if (c.provider === 'reference') {
        if (references.has(c.id)) continue;
        references.add(c.id);
      } else if (!ids.has(c.id)) {
        throw new UsageError(`${r.dir}/results.json: cell ${c.id} is not in its run.json plan; the run folder is damaged`);
      }
      cells.push(c);
    }
  }
  const pending = plan.planned - plannedCells.length + ordered.reduce((n, r) => n + r.results.totals.pending, 0);
  // A shard is incomplete with nothing pending only when a model failed in every one of its cells:
  // the merged run is complete when that model has a result in another shard.
  const finished = ordered.every((r) => r.results.status === 'complete' || (r.results.status === 'incomplete' && r.results.totals.pending === 0));
  const status: Results['status'] = pending === 0 && finished && !failedModels(cells).length ? 'complete' : 'incomplete';
  const { shard: _, ...base } = first.meta;
  const meta: RunMeta = {
    ...base,
    runId: opts.runId,
    startedAt: ordered.map((r) => r.meta.startedAt).sort()[0]!,
    cells: plannedCells,
    mergedFrom: ordered.map((r) => r.meta.runId),
  };
  const spentUsd = ordered.reduce((s, r) => s + r.results.totals.costUsd, 0);
  return { meta, cells, pending, status, spentUsd, gradersVersion: first.results.gradersVersion, missing };
}
