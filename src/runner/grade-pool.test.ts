// The grading pool: its workers load the TypeScript graders (under vitest here, and under the
// same loader set-up as bin/promptgate.js in a child process), grade exactly as the main thread
// does, and fail cleanly. Speed is measured by `npm run bench`, never asserted here.

import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEFAULT_POLICY } from '../../graders/grade.ts';
import { graders } from '../../graders/index.ts';
import { resolveScenario } from '../dataset/load.ts';
import { root } from '../testing/cli.ts';
import { GradePool, WorkerFailed } from './grade-pool.ts';
import { gradeOutput } from './grade-worker.ts';

const scenario = resolveScenario('ecommerce-hybrid');
const docs = ['good-atx-numbered.md', 'short-outline.md', 'refusal.md', 'cost-total-wrong.md'].map((f) => readFileSync(join(root, 'datasets/calibration', f), 'utf8'));

describe('GradePool', () => {
  it('grades on worker threads exactly as inline grading does, many jobs at once', async () => {
    const pool = new GradePool(2);
    try {
      const jobs = [...docs, ...docs, '', '# odd\n\n|||'].map((text, i) => ({ text, scenario: i % 2 ? scenario : null, policy: DEFAULT_POLICY }));
      const pooled = await Promise.all(jobs.map((job) => pool.grade(job)));
      expect(pooled).toEqual(jobs.map(gradeOutput));
      expect(pool.backlog).toBe(0);
    } finally {
      await pool.close();
    }
  }, 30_000);

  it('rejects jobs once closed, and jobs still waiting on a worker when it closes, with WorkerFailed', async () => {
    const pool = new GradePool(1);
    const waiting = expect(pool.grade({ text: '# x', scenario: null, policy: DEFAULT_POLICY })).rejects.toBeInstanceOf(WorkerFailed);
    await pool.close();
    await waiting;
    await expect(pool.grade({ text: '# x', scenario: null, policy: DEFAULT_POLICY })).rejects.toBeInstanceOf(WorkerFailed);
  });

  it('refuses a size that is not a positive integer', () => {
    expect(() => new GradePool(0)).toThrow(RangeError);
  });
});

it('works under the loader set-up of bin/promptgate.js (tsx registered in the main thread)', async () => {
  const script = `
    import { register } from 'tsx/esm/api';
    register();
    const { GradePool } = await import('./src/runner/grade-pool.ts');
    const pool = new GradePool(2);
    const grades = await Promise.all(['# A\\n\\ntext', '# B\\n\\nmore text'].map((text) => pool.grade({ text, scenario: null, policy: { weights: {}, hard: [], passThreshold: 0.8 } })));
    await pool.close();
    console.log(JSON.stringify(grades.map((g) => Object.keys(g.grades).length)));`;
  const stdout = await new Promise<string>((resolve, reject) => {
    execFile(process.execPath, ['--input-type=module', '-e', script], { cwd: root }, (error, out, err) => (error ? reject(new Error(err)) : resolve(out)));
  });
  // Without a scenario: every grader that needs neither a scenario nor a previous turn.
  const n = graders.filter((g) => !g.needsScenario && !g.needsRevision).length;
  expect(JSON.parse(stdout)).toEqual([n, n]);
}, 30_000);
