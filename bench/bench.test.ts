// The benchmark must keep running; its figures are read by people, not asserted here (timing
// assertions in tests are flaky by nature).

import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { expect, it } from 'vitest';

it('npm run bench (grading) runs and prints both measurements and the ratio', async () => {
  const root = join(import.meta.dirname, '..');
  const stdout = await new Promise<string>((resolve) => {
    execFile(process.execPath, ['--import', 'tsx', join(root, 'bench/grade.bench.ts')], { cwd: root, env: { ...process.env, BENCH_ROUNDS: '1' } }, (_error, out) => resolve(out));
  });
  expect(stdout).toMatch(/\(a\) remark \+ remark-gfm parse\s+[\d.]+ ms/);
  expect(stdout).toMatch(/\(b\) parse \+ model \+ all 15 graders/);
  expect(stdout).toMatch(/\(b\) \/ \(a\) = [\d.]+/);
}, 60_000);
