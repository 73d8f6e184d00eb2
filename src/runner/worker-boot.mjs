// The entry point of a worker thread run from the sources (worker-entry.ts).
// Plain JavaScript on purpose: a worker does not inherit the TypeScript loader its parent runs
// under (on Node 20, tsx's hooks are per thread, and `execArgv: ['--import', 'tsx']` fails with
// 'Unknown file extension ".ts"'), so the worker registers tsx itself, then loads the
// TypeScript module it was given.
// This works the same under bin/promptgate.js, `tsx`, and vitest.

import { workerData } from 'node:worker_threads';
import { register } from 'tsx/esm/api';

register();
await import(workerData.module);
