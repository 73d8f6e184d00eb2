// The edges of a run's writing, for eval: a folder checked before anything is paid for, the
// first writes (run.json, the journal) turned into clean errors, and the one line a run halted
// by a refused write ends with — what failed, where, what was saved, and how to resume.

import { existsSync, statSync, accessSync, constants } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { UsageError, WriteFailed } from '../errors.ts';
import type { Execution } from './execute.ts';
import type { Results } from './results.ts';
import type { WriteFailureInfo } from './persist.ts';
import { describeWriteFailure, isPlaceProblem, isWriteFailure } from './write-failure.ts';

/**
 * Why `path` cannot be (or become) a folder this process writes in, or null: it is a file, or
 * the nearest folder that exists above it is a file or cannot be written. Creates nothing.
 */
export function folderProblem(path: string): string | null {
  let at = resolve(path);
  while (!existsSync(at)) {
    const up = dirname(at);
    if (up === at) return null;
    at = up;
  }
  let isFolder: boolean;
  try {
    isFolder = statSync(at).isDirectory();
  } catch (error) {
    // stat through a file used as a folder: ENOTDIR
    return isWriteFailure(error) ? describeWriteFailure(error) : (error as Error).message;
  }
  if (!isFolder) return at === resolve(path) ? 'is a file, not a folder' : `${at} is a file, not a folder`;
  try {
    accessSync(at, constants.W_OK);
  } catch (error) {
    return `${at === resolve(path) ? '' : `${at}: `}cannot be written (${isWriteFailure(error) ? describeWriteFailure(error) : (error as Error).message})`;
  }
  return null;
}

/**
 * Run the writes a run starts with. Nothing is paid for yet, so a refusal ends the command:
 * a place that cannot be written (a file where the folder goes, no permission, read-only) is
 * bad input (exit 2); a disk out of space is exit 1.
 */
export function startWriting<T>(dir: string, write: () => T): T {
  try {
    return write();
  } catch (error) {
    if (!isWriteFailure(error)) throw error;
    const message = `cannot write the run folder ${dir} (${describeWriteFailure(error)}); nothing was requested`;
    throw isPlaceProblem(error) ? new UsageError(`${message}; expected a folder promptgate can write (see --out)`) : new WriteFailed(`${message}; free space and run the command again`);
  }
}

/** The one line a run halted by a refused write ends with. */
export function writeFailureLine(failure: WriteFailureInfo, execution: Pick<Execution, 'unsaved' | 'unrecorded' | 'pending'>, results: Results, resume: string): string {
  const t = results.totals;
  const saved = t.finished - execution.unrecorded - execution.unsaved;
  const parts = [`${saved} of ${t.planned} cells saved`];
  if (execution.unsaved) parts.push(`${execution.unsaved} paid answer(s) could not be saved and will be requested again`);
  if (execution.unrecorded) parts.push(`${execution.unrecorded} finished cell(s) missing from the journal`);
  if (t.pending) parts.push(`${t.pending} not run`);
  if (!execution.unsaved) parts.push('every paid answer is kept');
  return `cannot write ${failure.where} (${failure.reason}): run stopped; ${parts.join(', ')}; free space (or fix the folder) and resume with: ${resume}`;
}
