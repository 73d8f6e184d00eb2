// Changing the registry: a new candidate from an existing version, and releasing a version.
// Only the front matter is rewritten; the prompt text is copied byte for byte.

import { existsSync } from 'node:fs';
import { join } from 'node:path';
import semver from 'semver';
import { stringify } from 'yaml';
import { UsageError } from '../errors.ts';
import { findVersion, versionsOf, type PromptVersion } from './load.ts';
import { LOCK_FILE, readLock, versionProblem, writeAtomic, writeLock } from './lock.ts';
import type { FrontMatter } from './schema.ts';

const KEY_ORDER: Array<keyof FrontMatter> = ['id', 'version', 'status', 'title', 'created', 'updated', 'source', 'changelog', 'generation', 'userTemplate'];

export function serialise(meta: FrontMatter, text: string): string {
  const ordered = Object.fromEntries(KEY_ORDER.filter((k) => meta[k] !== undefined).map((k) => [k, meta[k]]));
  return `---\n${stringify(ordered, { lineWidth: 0 })}---\n${text}\n`;
}

/** Write prompts/<id>/<as>.md as a candidate copied from <from>; returns the new file. */
export function newVersion(dir: string, versions: PromptVersion[], id: string, from: string, as: string | undefined, today: string): string {
  const base = findVersion(versions, id, from);
  const latest = versionsOf(versions, id).at(-1)!.meta.version;
  const version = as ?? semver.inc(latest, 'minor')!;
  if (!semver.valid(version)) throw new UsageError(`--as: "${version}" is not a semantic version; expected MAJOR.MINOR.PATCH`);
  const file = join(dir, id, `${version}.md`);
  if (existsSync(file) || versions.some((v) => v.meta.id === id && v.meta.version === version)) {
    throw new UsageError(`${file}: version ${version} already exists; choose another with --as`);
  }
  const meta: FrontMatter = {
    ...base.meta,
    version,
    status: 'candidate',
    created: today,
    updated: today,
    source: `derived from ${id} ${from}`,
    changelog: [`${version}: (say what changed from ${from} and why)`, ...base.meta.changelog],
  };
  writeAtomic(file, serialise(meta, base.text));
  return file;
}

/** Mark a version released and record its sha256 in the lock. Returns false when it already was. */
export function release(dir: string, versions: PromptVersion[], id: string, version: string, today: string): boolean {
  const v = findVersion(versions, id, version);
  const lock = readLock(dir);
  const locked = lock.prompts[id]?.[version];
  if (locked) {
    const problem = versionProblem(v, lock, join(dir, LOCK_FILE));
    if (problem) throw new UsageError(problem);
    return false;
  }
  writeAtomic(v.file, serialise({ ...v.meta, status: 'released', updated: today }, v.text));
  lock.prompts[id] = { ...lock.prompts[id], [version]: { sha256: v.sha256, released: today } };
  writeLock(dir, lock);
  return true;
}
