// The command-line edges of batch mode, for `eval`: the poll interval (the suite's, or
// PROMPTGATE_BATCH_POLL_MS for tests and impatient users) and `--cancel-batches`.

import { Interrupted, UsageError } from '../errors.ts';
import type { Suite } from '../suite/schema.ts';
import { cancelBatches, type CancelOptions } from './cancel.ts';

/** How often batches are polled: PROMPTGATE_BATCH_POLL_MS, else the suite's pollSeconds, else 30 s. */
export function batchPollMs(suite: Suite, env: NodeJS.ProcessEnv): number {
  const raw = env.PROMPTGATE_BATCH_POLL_MS;
  if (raw !== undefined && raw !== '') {
    if (!/^\d+$/.test(raw) || Number(raw) > 3_600_000) throw new UsageError(`PROMPTGATE_BATCH_POLL_MS: "${raw}" is not a whole number of milliseconds from 0 to 3600000`);
    return Number(raw);
  }
  return (suite.batch?.pollSeconds ?? 30) * 1000;
}

/** `eval --cancel-batches`: Ctrl-C stops waiting for the canceled batches to end (they end anyway). */
export async function cancelCommand(o: Omit<CancelOptions, 'stop'>): Promise<void> {
  const stop = new AbortController();
  const onSignal = () => stop.abort();
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  try {
    const done = await cancelBatches({ ...o, stop: stop.signal });
    if (stop.signal.aborted && done.left) throw new Interrupted(`interrupted while waiting for ${done.left} canceled batch(es) to end; the next eval collects what they answered`);
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
}
