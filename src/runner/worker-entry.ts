// Starting a worker thread (grade-pool.ts, stored-reader.ts) the same way from the bundle and
// from the sources. In the bundle (bin/bundle.js) a worker runs its own compiled `<name>.mjs`
// beside this chunk; from the sources, worker-boot.mjs, which registers tsx and imports the
// TypeScript module named in workerData (tests substitute one that fails).

import { Worker, type WorkerOptions } from 'node:worker_threads';

declare const __PROMPTGATE_BUNDLED__: boolean | undefined;
const BUNDLED = typeof __PROMPTGATE_BUNDLED__ !== 'undefined';

/** `name`: the module's file name without its extension (a bundle entry point of that name). */
export function startWorker(name: string, module: URL, options: WorkerOptions & { workerData: Record<string, unknown> }): Worker {
  const entry = BUNDLED ? new URL(`./${name}.mjs`, import.meta.url) : new URL('./worker-boot.mjs', import.meta.url);
  // execArgv: [] — the parent's flags (`--input-type`, tsx's own hooks) are not the worker's.
  return new Worker(entry, { execArgv: [], ...options, workerData: { ...options.workerData, module: module.href } });
}
