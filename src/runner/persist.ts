// Writing what a run must not lose — a paid answer into the store, a finished cell into the
// journal — when the file system may refuse. The first refusal (a write failure, see
// write-failure.ts) halts the run: no new cell starts (onFailure), and every write that was
// refused is held in memory and tried again, with a growing pause, for up to `windowMs` from its
// first refusal. So a disk that is freed while the run waits loses nothing; one that is not
// loses only what was in flight, and the run ends saying so. Other errors are bugs and pass.

import { describeWriteFailure, isWriteFailure } from './write-failure.ts';

export interface WriteFailureInfo {
  /** The file or folder that could not be written. */
  where: string;
  /** "ENOSPC: no space left on device". */
  reason: string;
}

export interface PersistOptions {
  /** How long a refused write is held and retried (default 60 s). */
  windowMs?: number;
  /** Give up waiting at once (the second Ctrl-C). */
  signal?: AbortSignal;
  /** Called once, at the first refusal. */
  onFailure?: (failure: WriteFailureInfo) => void;
  /** Called when a held write is given up for good (it stays unwritten). */
  onLost?: (where: string) => void;
}

const FIRST_PAUSE_MS = 200;
const MAX_PAUSE_MS = 5000;

export class Persister {
  /** The first refusal, if any: the run is halted from then on. */
  failure: WriteFailureInfo | null = null;
  /** Writes waiting for the disk right now. */
  held = 0;
  /** Refused writes that went through on a later try. */
  recovered = 0;
  /** Refused writes given up. */
  lost = 0;
  private readonly windowMs: number;

  constructor(private readonly opts: PersistOptions = {}) {
    this.windowMs = opts.windowMs ?? 60_000;
  }

  /**
   * Run `write`; on a write failure hold it and try again until it succeeds (true) or the
   * window passes or the signal fires (false). Synchronous writes that succeed cost no await.
   */
  write(where: string, write: () => unknown): boolean | Promise<boolean> {
    try {
      const pending = write();
      // Only a promise is waited for (a callback like `(r) => list.push(r)` returns a number).
      if (pending instanceof Promise) return pending.then(() => true, (error: unknown) => this.retry(where, write, error));
      return true;
    } catch (error) {
      if (!isWriteFailure(error)) throw error;
      return this.retry(where, write, error);
    }
  }

  private async retry(where: string, write: () => unknown, error: unknown): Promise<boolean> {
    if (!isWriteFailure(error)) throw error;
    if (!this.failure) {
      this.failure = { where, reason: describeWriteFailure(error) };
      this.opts.onFailure?.(this.failure);
    }
    this.held++;
    const deadline = Date.now() + this.windowMs;
    try {
      for (let pause = FIRST_PAUSE_MS; Date.now() < deadline && !this.opts.signal?.aborted; pause = Math.min(pause * 2, MAX_PAUSE_MS)) {
        await wait(Math.min(pause, Math.max(0, deadline - Date.now())), this.opts.signal);
        try {
          await write();
          this.recovered++;
          return true;
        } catch (again) {
          if (!isWriteFailure(again)) throw again;
        }
      }
      this.lost++;
      this.opts.onLost?.(where);
      return false;
    } finally {
      this.held--;
    }
  }
}

/** A pause that ends early (without throwing) when the signal fires. */
function wait(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal?.aborted) return resolve();
    const done = () => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal?.addEventListener('abort', done, { once: true });
  });
}
