// `npm run bench`: the grading bench, the runner bench, then the batch cost bench (issue 15's
// row (d)), each in its own process (so that none warms another's caches), with their output as
// they print it. Exits 1 when any missed a target (or failed), after running them all.

import { spawnSync } from 'node:child_process';
import { join } from 'node:path';

let failed = 0;
for (const bench of ['grade.bench.ts', 'runner.bench.ts', 'batch.bench.ts']) {
  const run = spawnSync(process.execPath, ['--import', 'tsx', join(import.meta.dirname, bench)], { stdio: 'inherit' });
  if (run.status !== 0) failed++;
  console.log('');
}
process.exitCode = failed ? 1 : 0;
