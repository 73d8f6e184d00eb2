// Reading a finished run for a report: results.json (required, schema-checked: a report built
// on a malformed file would present wrong numbers confidently), run.json (optional: it holds
// the exact prompt text each version sent, for the prompt diff) and where its outputs are
// stored. Also resolves what the user typed: a run id, `latest`, or a run folder's path.

import { existsSync, lstatSync, readFileSync, readlinkSync, statSync } from 'node:fs';
import { basename, dirname, isAbsolute, join } from 'node:path';
import type { GradePolicy } from '../../graders/grade.ts';
import { UsageError } from '../errors.ts';
import { redact } from '../redact.ts';
import { compileSchema, readJsonFile } from '../files.ts';
import { gradePolicyOf } from '../gate/policy.ts';
import { ResultsSchema, type CellResult, type Results } from '../runner/results.ts';
import { readRunMetaFile, type RunMeta } from '../runner/run.ts';

export interface PromptText {
  sha256: string;
  text: string;
  maxTokens: number;
  temperature?: number;
}

export interface RunData {
  dir: string;
  /** How the report names this run in a sentence: "run <id>", "the baseline (run <id>)". */
  title: string;
  results: Results;
  /** run.json, when the run folder has one. */
  meta: RunMeta | null;
  /** The response-store folder holding the run's outputs. */
  storeDir: string;
  policy: GradePolicy;
  /** Prompt text per version, as sent (from run.json). */
  prompts: Map<string, PromptText>;
}

/** The run folder for `RUN_ID`, `latest`, or a path to a run folder. */
export function resolveRunDir(ref: string, runsDir: string): string {
  if (ref === 'latest') {
    const link = join(runsDir, '..', 'latest');
    if (!existsSync(link) && !isDanglingLink(link)) throw new UsageError(`no ${link}: there is no run yet; run promptgate eval first`);
    const target = lstatSync(link).isSymbolicLink() ? readlinkSync(link) : readFileSync(link, 'utf8').trim();
    const dir = isAbsolute(target) ? target : join(dirname(link), target);
    if (!existsSync(join(dir, 'results.json'))) throw new UsageError(`${link} points at ${dir}, which has no results.json`);
    return dir;
  }
  const candidates = [join(runsDir, ref), ref];
  for (const dir of candidates) if (existsSync(join(dir, 'results.json'))) return dir;
  if (candidates.some((d) => existsSync(d) && statSync(d).isDirectory())) throw new UsageError(`${ref}: the run has no results.json (was it interrupted before the end? resume it with promptgate eval --resume ${basename(ref)})`);
  throw new UsageError(`${ref}: no such run in ${runsDir} (expected a run id, latest, or a run folder)`);
}

function isDanglingLink(path: string): boolean {
  try {
    return lstatSync(path).isSymbolicLink();
  } catch {
    return false;
  }
}

export interface LoadOptions {
  /** Response store folder (default: the run's suite `store`). */
  store?: string;
  /** The run as its writer holds it in memory (eval, at its end): not read back from disk. */
  written?: { results: Results; meta: RunMeta };
}

export function loadRun(dir: string, opts: LoadOptions = {}): RunData {
  const data = opts.written?.results ?? readResults(join(dir, 'results.json'));
  const metaFile = join(dir, 'run.json');
  const meta = opts.written?.meta ?? (existsSync(metaFile) ? readRunMetaFile(metaFile) : null);
  // The same policy eval graded with, so that the grade cache's keys (evidence lines) match.
  const policy = gradePolicyOf(meta?.suite);
  const prompts: RunData['prompts'] = new Map();
  for (const c of meta?.cells ?? []) {
    if (prompts.has(c.version)) continue;
    prompts.set(c.version, { sha256: c.promptSha256, text: c.request.system, maxTokens: c.request.maxTokens, ...(c.request.temperature !== undefined && { temperature: c.request.temperature }) });
  }
  return { dir, title: `run ${data.runId}`, results: data, meta, storeDir: opts.store ?? meta?.suite.store ?? '.promptgate/store', policy, prompts };
}

function readResults(file: string): Results {
  if (!existsSync(file)) throw new UsageError(`${file}: not found; expected a finished run folder`);
  const data = readJsonFile(file);
  const checkResults = compileSchema(ResultsSchema);
  if (!checkResults(data)) {
    const e = checkResults.errors![0]!;
    throw new UsageError(`${file}: ${e.instancePath || '/'}: ${e.message ?? 'invalid'}; expected a results.json written by promptgate eval`);
  }
  // A run written before errors were redacted at their source may hold a provider's echo of a key.
  for (const c of data.cells) if (c.error !== undefined) c.error = redact(c.error);
  return data;
}

export const isReference = (c: Pick<CellResult, 'provider'>) => c.provider === 'reference';
export const modelKeyOf = (c: Pick<CellResult, 'provider' | 'model'>) => `${c.provider}:${c.model}`;
