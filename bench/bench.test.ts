// The benchmarks must keep running; their figures are read by people, not asserted here (timing
// assertions in tests are flaky by nature). The runner bench runs at a tiny size (BENCH_TINY),
// which still exercises every path: the CLI against the emulator, promptfoo against it, the
// stored-suite re-run with its peak-RSS probe, and the grading pool on 1 and 2 workers.

import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { expect, it } from 'vitest';

const root = join(import.meta.dirname, '..');
const bench = (file: string, env: Record<string, string>) =>
  new Promise<{ stdout: string; stderr: string }>((resolve) => {
    execFile(process.execPath, ['--import', 'tsx', join(root, 'bench', file)], { cwd: root, env: { ...process.env, ...env }, maxBuffer: 16 * 1024 * 1024 }, (_error, stdout, stderr) => resolve({ stdout, stderr }));
  });

it('npm run bench (grading) runs and prints both measurements and the ratio', async () => {
  const { stdout } = await bench('grade.bench.ts', { BENCH_ROUNDS: '1' });
  expect(stdout).toMatch(/\(a\) remark \+ remark-gfm parse\s+[\d.]+ ms/);
  expect(stdout).toMatch(/\(b\) parse \+ model \+ all 15 graders/);
  expect(stdout).toMatch(/\(b\) \/ \(a\) = [\d.]+/);
  // ~35 s on an idle 2-core machine, over 60 s when it is busy: a limit for a hang, not a timing.
}, 180_000);

it('npm run bench (runner) runs all four measurements, at a tiny size, without a problem', async () => {
  const { stdout, stderr } = await bench('runner.bench.ts', { BENCH_TINY: '1' });
  expect(stdout, stderr).toMatch(/\(a\) promptgate: 16 cells.*wall [\d.]+ m?s = start-up/);
  expect(stdout).toMatch(/\(b\) promptfoo 0\.121\.20: the same 16 cells.*promptgate [\d.]+× faster/);
  expect(stdout).toMatch(/\(a, b\) floor: the same 16 requests through the official SDK alone.*promptfoo ÷ floor [\d.]+×/);
  expect(stdout).toMatch(/\(c\) re-run: 40 cells stored and graded.*peak RSS \d+ MB/);
  expect(stdout).toMatch(/\(d\) grading 8 new outputs.*1 worker [\d.]+ docs\/s \([\d.]+ cores busy\), 2 workers [\d.]+ docs\/s/);
  expect(stdout).not.toMatch(/PROBLEM/);
}, 240_000);
