// End to end through `promptgate eval` (bin/promptgate.js in a child process): a run big enough
// to grade full-length answers on worker threads grades them exactly as the main thread would,
// keeps the grades beside the store, and a re-run of the same suite grades nothing again.

import { spawn } from 'node:child_process';
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { DEFAULT_POLICY } from '../../graders/grade.ts';
import { resolveScenario } from '../dataset/load.ts';
import { root, tempDir } from '../testing/cli.ts';
import { startEmulators, type Emulators } from '../testing/emulators.ts';
import { withoutEvidence } from './grade-cache.ts';
import { gradeOutput } from './grade-worker.ts';
import type { Results } from './results.ts';
import { FsStore } from './store.ts';

const docs = ['good-atx-numbered.md', 'cost-total-wrong.md', 'no-scalability.md'].map((f) => readFileSync(join(root, 'datasets/calibration', f), 'utf8'));
let emu: Emulators;
let served = 0;
beforeAll(async () => {
  emu = await startEmulators({ respond: () => ({ text: `${docs[served % docs.length]}\n<!-- answer ${served++} -->\n` }) });
});
afterAll(() => emu.close());

function evalCli(suite: string): Promise<{ code: number | null; stderr: string }> {
  const child = spawn(process.execPath, [join(root, 'bin/promptgate.js'), 'eval', '--suite', suite, '--json'], {
    cwd: root,
    env: { ...process.env, OPENAI_API_KEY: 'sk-test-grading-e2e', OPENAI_BASE_URL: emu.openai.baseURL, ANTHROPIC_API_KEY: '' },
  });
  let stderr = '';
  child.stderr.on('data', (d) => (stderr += d));
  return new Promise((resolve) => child.on('close', (code) => resolve({ code, stderr })));
}

it('grades 32 full-length answers on the pool through the CLI, and a re-run grades none again', async () => {
  const dir = tempDir();
  const suite = join(dir, 'suite.yaml');
  const scenarios = ['ecommerce-hybrid', 'startup-lean-analytics', 'payments-pci', 'healthcare-hipaa'];
  writeFileSync(suite, `prompt: pipeline-design-architect\nversions: all\nmodels:\n  - { provider: openai, model: gpt-5.6-terra, concurrency: 8 }\nscenarios: ${scenarios.join(',')}\nsamples: 4\nstore: ${join(dir, 'store')}\nout: ${join(dir, 'runs')}\nreferences: false\n`);

  const first = await evalCli(suite);
  expect(first.code, first.stderr).toBe(0);
  expect(first.stderr).not.toMatch(/grading worker|corrupt grade/);
  const [runId] = readdirSync(join(dir, 'runs'));
  const results = JSON.parse(readFileSync(join(dir, 'runs', runId!, 'results.json'), 'utf8')) as Results;
  expect(results.cells).toHaveLength(32);
  const store = new FsStore(join(dir, 'store'));
  for (const cell of results.cells) {
    const expected = gradeOutput({ text: store.get(cell.storeKey!)!.completion.text, scenario: resolveScenario(cell.scenario), policy: DEFAULT_POLICY });
    expect({ score: cell.score, pass: cell.pass, grades: cell.grades }).toEqual({ ...expected, grades: withoutEvidence(expected) });
  }
  const [cacheFile] = readdirSync(join(dir, 'store', 'grades'));
  const cachePath = join(dir, 'store', 'grades', cacheFile!);
  expect(readFileSync(cachePath, 'utf8').trim().split('\n')).toHaveLength(32);

  const sizeBefore = statSync(cachePath).size;
  emu.reset();
  const again = await evalCli(suite);
  expect(again.code, again.stderr).toBe(0);
  expect(emu.requests).toHaveLength(0);
  expect(statSync(cachePath).size).toBe(sizeBefore);
}, 90_000);
