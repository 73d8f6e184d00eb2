// Finding and reading a finished run for the gate, baseline and regrade commands: `latest` (what
// reports/latest points at), a run id under the runs folder, or a run folder's path. results.json
// is checked against its schema, so a hand-edited or truncated file is a clear error naming the
// file and field, not a crash deep in the statistics.

import { existsSync, lstatSync, readFileSync, statSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { UsageError } from '../errors.ts';
import { readJsonFile, validate } from '../files.ts';
import { ResultsSchema, type Results } from '../runner/results.ts';
import { readRunMetaFile, type RunMeta } from '../runner/run.ts';
import { SuiteSchema } from '../suite/schema.ts';

export const DEFAULT_RUNS = 'reports/runs';

export interface LoadedRun {
  dir: string;
  results: Results;
  /** run.json, when present: the suite as the run used it (grading and gate policy). */
  meta: RunMeta | null;
}

/** The folder of `ref`: "latest", a run id in `runs`, or a path to a run folder. */
export function runFolder(runs: string, ref: string): string {
  if (ref === 'latest') {
    const link = join(runs, '..', 'latest');
    if (!existsSync(link)) throw new UsageError(`${link}: no latest run; run promptgate eval first, or name a run id`);
    // eval writes a symlink, or a file holding the relative path where symlinks are not allowed.
    if (lstatSync(link).isSymbolicLink() || statSync(link).isDirectory()) return link;
    return join(dirname(link), readFileSync(link, 'utf8').trim());
  }
  if (ref.includes('/') && existsSync(ref)) return ref.endsWith('results.json') ? dirname(ref) : ref;
  const dir = join(runs, ref);
  if (!existsSync(dir)) throw new UsageError(`run ${ref}: no run at ${dir} (runs are looked up in ${runs}; see --runs)`);
  return dir;
}

export function loadRun(runs: string, ref: string): LoadedRun {
  const dir = runFolder(runs, ref);
  const file = join(dir, 'results.json');
  if (!existsSync(file)) throw new UsageError(`${file}: no results.json; the run did not finish — resume it with promptgate eval --resume ${basename(dir)}`);
  const results = validate(ResultsSchema, readJsonFile(file), file);
  const metaFile = join(dir, 'run.json');
  let meta: RunMeta | null = null;
  if (existsSync(metaFile)) {
    meta = readRunMetaFile(metaFile);
    validate(SuiteSchema, meta.suite, `${metaFile} (suite)`);
  }
  return { dir, results, meta };
}
