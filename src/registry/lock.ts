// prompts/registry.lock.json: the sha256 of every released version. A released version is
// immutable: once a result names it, its text must never change under that name again.

import { existsSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { readText, validate } from '../files.ts';
import { UsageError } from '../errors.ts';
import type { PromptVersion } from './load.ts';
import { LockSchema, type Lock } from './schema.ts';

export const LOCK_FILE = 'registry.lock.json';

export function readLock(dir: string): Lock {
  const file = join(dir, LOCK_FILE);
  if (!existsSync(file)) return { lockfileVersion: 1, prompts: {} };
  let data: unknown;
  try {
    data = JSON.parse(readText(file));
  } catch (error) {
    if (error instanceof UsageError) throw error;
    throw new UsageError(`${file}: not valid JSON (${(error as Error).message})`);
  }
  return validate(LockSchema, data, file);
}

/** Write the lock atomically, keys sorted so that it diffs well. */
export function writeLock(dir: string, lock: Lock): void {
  const sorted: Lock = { lockfileVersion: 1, prompts: {} };
  for (const id of Object.keys(lock.prompts).sort()) {
    sorted.prompts[id] = {};
    for (const v of Object.keys(lock.prompts[id]!).sort()) sorted.prompts[id]![v] = lock.prompts[id]![v]!;
  }
  writeAtomic(join(dir, LOCK_FILE), `${JSON.stringify(sorted, null, 2)}\n`);
}

/** Integrity problems between the versions on disk and the lock, one line each. */
export function lockProblems(versions: PromptVersion[], lock: Lock, dir: string): string[] {
  const lockFile = join(dir, LOCK_FILE);
  const problems = versions.map((v) => versionProblem(v, lock, lockFile)).filter((p): p is string => p !== null);
  for (const [id, byVersion] of Object.entries(lock.prompts)) {
    for (const version of Object.keys(byVersion)) {
      if (!versions.some((v) => v.meta.id === id && v.meta.version === version)) {
        problems.push(`${lockFile}: /prompts/${id}/${version}: released version has no file; expected ${join(dir, id, `${version}.md`)}`);
      }
    }
  }
  return problems;
}

/** What is wrong with one version against the lock, or null. */
export function versionProblem(v: PromptVersion, lock: Lock, lockFile: string): string | null {
  const { id, version, status } = v.meta;
  const locked = lock.prompts[id]?.[version];
  if (status === 'released' || status === 'deprecated') {
    if (!locked) return `${v.file}: released but missing from ${lockFile}; run: promptgate registry release ${id} ${version}`;
    if (locked.sha256 !== v.sha256) {
      return `${v.file}: released version ${version} has changed (sha256 ${short(locked.sha256)} in the lock, ${short(v.sha256)} now); released versions are immutable: restore it and make a new version with: promptgate registry new ${id} --from ${version}`;
    }
    return null;
  }
  return locked ? `${v.file}: /status: "${status}", but ${version} is released in ${lockFile}; expected "released" or "deprecated"` : null;
}

export function short(sha: string): string {
  return sha.slice(0, 12);
}

export function writeAtomic(file: string, text: string): void {
  const tmp = `${file}.${process.pid}.tmp`;
  try {
    writeFileSync(tmp, text);
    renameSync(tmp, file);
  } catch (error) {
    // A full disk leaves a partial temp file: remove it, the error is what matters.
    try {
      rmSync(tmp, { force: true });
    } catch {
      // the folder itself is unreachable: nothing was left there
    }
    throw error;
  }
}
