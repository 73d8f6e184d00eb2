// The registry's second prompt (pipeline-incident-postmortem) end to end against the emulators:
// its own scenarios, graded by generic checks and a grader module instead of the Pipeline Design
// Architect's graders; a baseline of its own; and the gate catching a regression in a hard grader
// of the module. `registry` lists both prompts.

import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Results } from '../runner/results.ts';
import { cli, root, tempDir } from '../testing/cli.ts';
import { TEST_KEYS } from '../testing/eval-cli.ts';
import { useEmulators } from '../testing/use-emulators.ts';

const emu = useEmulators({ latencyMs: 20 });
const REFERENCE = readFileSync(join(root, 'datasets/references/pipeline-incident-postmortem/schema-drift-late-finance.md'), 'utf8');

function env() {
  return { ANTHROPIC_API_KEY: TEST_KEYS.anthropic, OPENAI_API_KEY: TEST_KEYS.openai, ANTHROPIC_BASE_URL: emu.anthropic.baseURL, OPENAI_BASE_URL: emu.openai.baseURL, GITHUB_STEP_SUMMARY: '' };
}

describe('a second prompt with its own graders', () => {
  it('evals, baselines and gates the post-mortem prompt; a regression in its module grader fails the gate', async () => {
    const dir = tempDir();
    const runs = join(dir, 'runs');
    const store = join(dir, 'store');
    const baseline = join(dir, 'postmortem-baseline.json');
    // A store per run: the second run's answers are new ones, not the first run's from the store.
    const evalRun = async (name: string) => {
      const r = await cli(['eval', '--suite', 'evals/postmortem.yaml', '--out', runs, '--store', join(store, name), '--no-compare'], root, { env: env() });
      expect(r.code, r.stderr).toBe(0);
      return readdirSync(runs).sort().at(-1)!;
    };

    emu.respond = () => ({ text: REFERENCE, usage: { input: 400, output: 600 } });
    const first = await evalRun('a');
    const results = JSON.parse(readFileSync(join(runs, first, 'results.json'), 'utf8')) as Results;
    const cells = results.cells.filter((c) => c.provider !== 'reference');
    expect(cells).toHaveLength(12); // 1 version × 3 scenarios × 2 models × 2 samples
    expect(new Set(cells.map((c) => c.scenario))).toEqual(new Set(['schema-drift-late-finance', 'consumer-offset-duplicates', 'vendor-null-features']));
    // Its own grader set: the checks, the per-cell ceilings and the module; none of the built-in graders.
    expect(Object.keys(cells[0]!.grades).sort()).toEqual(['action-items', 'blameless', 'cost', 'headings', 'latency', 'priorities', 'timestamps', 'words']);
    expect(cells.every((c) => c.pass === true && c.score === 1)).toBe(true);
    expect(readFileSync(join(runs, first, 'report.md'), 'utf8')).toMatch(/action-items/);

    const made = await cli(['baseline', 'update', '--runs', runs, '--out', baseline], root, { env: env() });
    expect(made.code, made.stderr).toBe(0);
    expect(made.stdout).toMatch(/pipeline-incident-postmortem 1\.0\.0/);
    // Re-graded from the store with the suite's own set (a baseline keeps only weights, hard and threshold).
    const regraded = await cli(['regrade', '--baseline', baseline, '--out', `${baseline}.regraded.json`, '--store', join(store, 'a')], root, { env: env() });
    expect(regraded.code, regraded.stderr).toBe(0);
    const samples = Object.values((JSON.parse(readFileSync(`${baseline}.regraded.json`, 'utf8')) as { results: Record<string, Record<string, { score: number[] }>> }).results).flatMap((m) => Object.values(m).flatMap((s) => s.score));
    expect(samples).toEqual(Array(12).fill(1));

    // The same prompt, but answers whose action items name no owner: the module's hard grader fails.
    emu.respond = () => ({ text: REFERENCE.replace(/ — @[\w-]+/g, ''), usage: { input: 400, output: 600 } });
    const second = await evalRun('b');
    const after = JSON.parse(readFileSync(join(runs, second, 'results.json'), 'utf8')) as Results;
    expect(after.cells.filter((c) => c.provider !== 'reference').every((c) => c.grades['action-items']?.pass === false && c.pass === false)).toBe(true);
    const gate = await cli(['gate', '--runs', runs, '--run', second, '--baseline', baseline], root, { env: env() });
    expect(gate.code, gate.stdout + gate.stderr).toBe(1);
    expect(gate.stdout).toMatch(/FAIL/);
    expect(gate.stdout).toMatch(/action-items/);

    // A baseline of another prompt (or none): bad input, one line, not a verdict.
    const other = await cli(['gate', '--runs', runs, '--run', second], root, { env: env() });
    expect(other.code).toBe(2);
    expect(other.stderr.trim().split('\n')).toHaveLength(1);
  }, 180_000);

  it('lists both prompts in the registry', async () => {
    const list = await cli(['registry', 'list'], root);
    expect(list.code).toBe(0);
    expect(list.stdout).toMatch(/pipeline-design-architect\s+1\.1\.0\s+released/);
    expect(list.stdout).toMatch(/pipeline-incident-postmortem\s+1\.0\.0\s+released/);
  });
});
