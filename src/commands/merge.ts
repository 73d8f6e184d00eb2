// `promptgate merge RUN_DIR...`: one run from the shares of a sharded run (eval --shard I/N),
// with results.json and reports, ready for `promptgate gate`. The checks are in runner/merge.ts.

import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { CommandModule } from '../command.ts';
import { UsageError } from '../errors.ts';
import { readJsonFile, validate } from '../files.ts';
import { writeReports } from '../report/write.ts';
import { Journal } from '../runner/journal.ts';
import { mergeShards, type ShardRun } from '../runner/merge.ts';
import { ResultsSchema } from '../runner/results.ts';
import { buildResults, DEFAULT_OUT, newRunId, readRunMetaFile, runDir, writeResults, writeRunMeta } from '../runner/run.ts';

export const usage = `Usage: promptgate merge RUN_DIR... [--out DIR] [--store DIR] [--allow-missing] [--json]

Make one run of the shares of a sharded run (promptgate eval --shard I/N on each job of a CI
matrix): checks that every folder is a share of the same plan (suite, versions, scenarios,
models, samples), that no share is given twice and none is missing, and that all were graded by
the same graders; then writes a new run with run.json, journal.jsonl, results.json, report.md,
report.html and junit.xml, and points reports/latest at it. Gate it as any run:

  promptgate merge shards/*/ && promptgate gate

Options:
  --out DIR         where the merged run is written (default: ${DEFAULT_OUT})
  --store DIR       the response store the reports read documents from (default: the suite's;
                    in CI, the shards' stores downloaded into one folder)
  --allow-missing   write an incomplete run when shares are missing (the gate says INCOMPLETE)
  --json            print the merged run's id, status, totals and files as JSON
  -h, --help        show this help

Exit codes: 0 merged, 2 bad input (not a shard, shares of different plans, a share twice or
missing, graders that differ between shares).
`;

export const options: CommandModule['options'] = {
  out: { type: 'string' },
  store: { type: 'string' },
  'allow-missing': { type: 'boolean' },
  json: { type: 'boolean' },
};

export const run: CommandModule['run'] = async (positionals, values, io) => {
  if (!positionals.length) throw new UsageError('merge: expected the shard run folders (promptgate merge RUN_DIR...)');
  const shards = positionals.map(readShard);
  const merged = mergeShards(shards, { runId: newRunId(), allowMissing: values['allow-missing'] === true });
  const out = (values.out as string | undefined) ?? DEFAULT_OUT;
  const store = values.store as string | undefined;
  const meta = { ...merged.meta, suite: { ...merged.meta.suite, out, ...(store !== undefined && { store }) } };
  const dir = runDir(out, meta.runId);
  writeRunMeta(dir, meta);
  const journal = new Journal(join(dir, 'journal.jsonl'));
  try {
    for (const c of merged.cells) if (c.provider !== 'reference') journal.append(c);
  } finally {
    journal.close();
  }
  const built = buildResults(meta, merged.cells, merged.pending, merged.status, merged.spentUsd);
  // The plan's size, not the shares': a missing share's cells are planned and not run.
  const results = { ...built, gradersVersion: merged.gradersVersion, totals: { ...built.totals, planned: shards[0]!.meta.shard!.planned } };
  const file = writeResults(out, results, (w) => io.err(`warning: ${w}\n`));
  const reports = await writeReports(dir, { written: { results, meta }, ...(store !== undefined && { store }) });
  const t = results.totals;
  const files = [file, reports.md, reports.html, reports.junit];
  if (values.json) return void io.out(`${JSON.stringify({ runId: results.runId, status: results.status, mergedFrom: meta.mergedFrom, missingShards: merged.missing, totals: t, files }, null, 2)}\n`);
  io.out(
    `merged ${shards.length} of ${shards[0]!.meta.shard!.count} shares into run ${results.runId} · ${results.status} · ${t.finished}/${t.planned} cells (${t.errors} errors, ${t.pending} not run) · spent $${t.costUsd.toFixed(2)}\n` +
      (merged.missing.length ? `missing shares: ${merged.missing.join(', ')} (their cells count as not run)\n` : '') +
      `wrote:\n${files.map((f) => `  ${f}\n`).join('')}next: promptgate gate --run ${results.runId}\n`,
  );
};

function readShard(dir: string): ShardRun {
  const metaFile = join(dir, 'run.json');
  const resultsFile = join(dir, 'results.json');
  if (!existsSync(metaFile)) throw new UsageError(`${dir}: no run.json; expected a run folder written by promptgate eval --shard I/N`);
  if (!existsSync(resultsFile)) throw new UsageError(`${resultsFile}: not found; the shard did not finish — resume it with promptgate eval --resume <its id>, then merge`);
  return { dir, meta: readRunMetaFile(metaFile), results: validate(ResultsSchema, readJsonFile(resultsFile), resultsFile) };
}
