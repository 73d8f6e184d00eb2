// `npm run bench`: the grading bench, then the runner bench, each in its own process (so that
// neither warms the other's caches), with their output as they print it. Exits 1 when either
// missed a target (or failed), after running both.

import { spawnSync } from 'node:child_process';
import { join } from 'node:path';

let failed = 0;
for (const bench of ['grade.bench.ts', 'runner.bench.ts']) {
  const run = spawnSync(process.execPath, ['--import', 'tsx', join(import.meta.dirname, bench)], { stdio: 'inherit' });
  if (run.status !== 0) failed++;
  console.log('');
}
process.exitCode = failed ? 1 : 0;
