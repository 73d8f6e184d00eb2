// Typed errors, mapped to exit codes in one place (src/cli.ts). Commands throw; they never exit.

/** Bad input or configuration: the message names the file, the field and what was expected. Exit 2. */
export class UsageError extends Error {
  override name = 'UsageError';
  readonly exitCode = 2;
}

/** A check the user asked for did not hold (a gate, a calibration label). Exit 1. */
export class CheckFailed extends Error {
  override name = 'CheckFailed';
  readonly exitCode = 1;
}

/**
 * A file promptgate must write could not be written (disk full, read-only, no permission, a
 * file where a folder goes) after it had started paying for answers: what was saved is kept and
 * the message says how to resume. Exit 1: the run did not produce what was asked.
 */
export class WriteFailed extends Error {
  override name = 'WriteFailed';
  readonly exitCode = 1;
}

/** The user pressed Ctrl-C; what was finished is written. Exit 130, as shells expect. */
export class Interrupted extends Error {
  override name = 'Interrupted';
  readonly exitCode = 130;
}

/** A gate that could not decide either way (INCONCLUSIVE, and the suite says to let it pass). Exit 4. */
export class Inconclusive extends Error {
  override name = 'Inconclusive';
  readonly exitCode = 4;
}

export function exitCodeOf(error: unknown): number | null {
  return error instanceof UsageError || error instanceof CheckFailed || error instanceof WriteFailed || error instanceof Interrupted || error instanceof Inconclusive ? error.exitCode : null;
}
