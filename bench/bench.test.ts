// The benchmarks must keep running; their figures are read by people, not asserted here (timing
// assertions in tests are flaky by nature). The runner bench runs at a tiny size (BENCH_TINY),
// which still exercises every path: the CLI against the emulator, promptfoo against it, the
// rate-limited matrix and its ideal, a short 429 storm (no cell may be lost), the default
// suite's cost, the stored-suite re-run with its peak-RSS probe, and the grading pool on 1 and
// 2 workers.

import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { graders } from '../graders/index.ts';

const root = join(import.meta.dirname, '..');
const bench = (file: string, env: Record<string, string>) =>
  new Promise<{ stdout: string; stderr: string }>((resolve) => {
    execFile(process.execPath, ['--import', 'tsx', join(root, 'bench', file)], { cwd: root, env: { ...process.env, ...env }, maxBuffer: 16 * 1024 * 1024 }, (_error, stdout, stderr) => resolve({ stdout, stderr }));
  });

it('npm run bench (grading) runs and prints both measurements and the ratio', async () => {
  const { stdout } = await bench('grade.bench.ts', { BENCH_ROUNDS: '1' });
  expect(stdout).toMatch(/\(a\) remark \+ GFM parse\s+[\d.]+ ms/);
  expect(stdout).toContain(`(b) parse + model + all ${graders.length} graders`);
  expect(stdout).toMatch(/\(b\) \/ \(a\) = [\d.]+/);
  // ~35 s on an idle 2-core machine, over 60 s when it is busy: a limit for a hang, not a timing.
}, 180_000);

it('npm run bench (runner) runs every measurement, at a tiny size, without a problem', async () => {
  const { stdout, stderr } = await bench('runner.bench.ts', { BENCH_TINY: '1' });
  expect(stdout, stderr).toMatch(/\(a\) overhead: 16 cells.*promptgate [\d.]+ m?s .*the bare-SDK floor in the same run, [\d.]+ m?s .*: [\d.]+×; promptfoo 0\.121\.20/);
  expect(stdout).toMatch(/\(b\) rate-limited: \d+ cells, 2 providers.*ideal \(limit-bound, never 429'd\) [\d.]+ m?s: [\d.]+×; \d+ of \d+ requests 429'd, \d+ re-sent, 0 cells lost.*promptgate [\d.]+× faster/);
  expect(stdout).toMatch(/\(c\) 429 storm: every request 429 \(retry-after 1 s\) for 2 s.*time lost [\d.]+ m?s = -?[\d.]+× the storm.*[1-9]\d* requests answered 429; 0 cells lost/);
  expect(stdout).toMatch(/\(d\) cost: 16 cells of the default suite.*live \$[\d.]+ \(output \$[\d.]+.*every system prompt a cache hit \$[\d.]+; no caching \$[\d.]+/);
  expect(stdout).toMatch(/\(e1\) re-run: 40 cells stored and graded.*peak RSS \d+ MB/);
  expect(stdout).toMatch(/\(e2\) grading 8 new outputs.*1 worker [\d.]+ docs\/s \([\d.]+ cores busy\), 2 workers [\d.]+ docs\/s/);
  expect(stdout).not.toMatch(/PROBLEM/);
}, 480_000);
