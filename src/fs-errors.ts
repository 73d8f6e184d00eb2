// A file-system error on a path the user chose (an output folder that is a file, /dev/full, a
// read-only folder, a directory where a file goes) as one line naming the path, what was being
// done and what was expected. src/cli.ts maps these to exit 2: a path is input, and a stack trace
// with exit 3 ("a bug; please report it") would send the user looking in the wrong place.
// Errors a command handles itself (the runner's write failures, which keep paid answers) never
// get here.

const REASONS: Record<string, string> = {
  ENOENT: 'no such file or folder',
  ENOTDIR: 'a part of the path is a file; expected a folder',
  EISDIR: 'is a folder; expected a file',
  EEXIST: 'something else is already there',
  EACCES: 'permission denied',
  EPERM: 'operation not permitted',
  EROFS: 'read-only file system',
  ENOSPC: 'no space left on the device; expected a writable file or folder',
  EDQUOT: 'disk quota exceeded',
  EFBIG: 'file too large for the device',
  ENAMETOOLONG: 'the path is too long',
  ELOOP: 'too many symbolic links',
  EBUSY: 'busy',
  ETXTBSY: 'busy',
};

const ACTIONS: Record<string, string> = {
  open: 'open',
  read: 'read',
  write: 'write',
  mkdir: 'create the folder',
  rename: 'replace',
  symlink: 'link',
  unlink: 'remove',
  scandir: 'list',
  stat: 'read',
  lstat: 'read',
  copyfile: 'copy to',
  rmdir: 'remove',
  fsync: 'write',
};

/** The one line for a node:fs error on a path, or null for anything else. */
export function fsErrorLine(error: unknown): string | null {
  const e = error as (NodeJS.ErrnoException & { dest?: unknown }) | null;
  if (!e || typeof e !== 'object' || typeof e.code !== 'string' || !(e.code in REASONS)) return null;
  if (typeof e.syscall !== 'string') return null;
  const where = typeof e.dest === 'string' && e.syscall !== 'mkdir' ? e.dest : e.path;
  if (typeof where !== 'string') return e.syscall === 'write' || e.syscall === 'fsync' ? `cannot write: ${REASONS[e.code]} (${e.code})` : null;
  const action = ACTIONS[e.syscall] ?? e.syscall;
  return `${where}: cannot ${action}: ${REASONS[e.code]} (${e.code})`;
}
