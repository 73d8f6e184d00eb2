// Write failures: the errors that say "the file system will not take this write" — full, over
// quota, read-only, no permission, a file where a folder should be. They are not bugs: a run
// that meets one stops starting cells, keeps the answers it has paid for and tries again to
// write them (persist.ts), and ends with one line saying what happened and how to resume.
//
// Test hook (documented in README.md, "Disk full"): PROMPTGATE_TEST_WRITE_FAULT=CODE:FLAG[:TARGETS]
// makes the runner's writes fail with CODE (e.g. ENOSPC) for as long as the file FLAG exists,
// optionally only for some targets (comma-separated: store, journal, grades, results). A test
// deletes FLAG to "free space". Read once, at the edge (eval.ts), through configureWriteFaults:
// a real full disk needs root (a small tmpfs), which CI does not have.

import { existsSync, unlinkSync } from 'node:fs';

export type WriteTarget = 'store' | 'journal' | 'grades' | 'results';

const MESSAGES: Record<string, string> = {
  ENOSPC: 'no space left on device',
  EDQUOT: 'disk quota exceeded',
  EFBIG: 'file too large',
  EACCES: 'permission denied',
  EPERM: 'operation not permitted',
  ENOTDIR: 'not a directory',
  EISDIR: 'is a directory',
  EROFS: 'read-only file system',
  EIO: 'i/o error',
};

/** True for an error that means the write was refused by the file system (see MESSAGES). */
export function isWriteFailure(error: unknown): error is NodeJS.ErrnoException {
  const code = (error as NodeJS.ErrnoException | null)?.code;
  return typeof code === 'string' && code in MESSAGES;
}

/** "ENOSPC: no space left on device": the code and what it means, without Node's syscall noise. */
export function describeWriteFailure(error: NodeJS.ErrnoException): string {
  return `${error.code}: ${MESSAGES[error.code!] ?? error.message}`;
}

/**
 * Whether a failure is about the place itself (a file where a folder goes, no permission, a
 * read-only mount) rather than about space running out: before anything is paid, the former is
 * a bad --out / --store (exit 2), the latter a disk to free (exit 1).
 */
export function isPlaceProblem(error: NodeJS.ErrnoException): boolean {
  return ['EACCES', 'EPERM', 'ENOTDIR', 'EISDIR', 'EROFS'].includes(error.code!);
}

/** Remove a temp file left by a failed write; never throws (the write's error is what matters). */
export function removeQuietly(file: string): void {
  try {
    unlinkSync(file);
  } catch {
    // already gone, or the folder itself is unreachable
  }
}

interface Fault {
  code: string;
  flag: string;
  targets: Set<WriteTarget> | null;
}

let fault: Fault | null = null;

/** Set (or clear, with undefined) the injected fault from PROMPTGATE_TEST_WRITE_FAULT's value. */
export function configureWriteFaults(spec: string | undefined): void {
  if (!spec) return void (fault = null);
  const [code, flag, targets] = spec.split(':');
  if (!code || !(code in MESSAGES) || !flag) throw new Error(`PROMPTGATE_TEST_WRITE_FAULT: expected CODE:FLAGFILE[:TARGETS] with CODE one of ${Object.keys(MESSAGES).join(', ')}`);
  fault = { code, flag, targets: targets ? new Set(targets.split(',') as WriteTarget[]) : null };
}

/** Throw the injected fault for a write to `path`, while it is switched on. */
export function injectedFault(target: WriteTarget, path: string): void {
  if (!fault || (fault.targets && !fault.targets.has(target)) || !existsSync(fault.flag)) return;
  throw Object.assign(new Error(`${fault.code}: ${MESSAGES[fault.code]} (injected), write '${path}'`), { code: fault.code, syscall: 'write', path });
}
