// End to end, as CI runs it: the real bin in child processes, the real SDKs talking to the local
// emulators. The emulated model answers with the scenario's hand-written reference document —
// and leaves out its cost section when the system prompt says to. A baseline from 1.1.0, then a
// candidate 1.3.0 that tells the model to leave out the cost table: `gate` exits 1 naming
// cost-table. Also: regrade calls no model, a stale baseline is refused with the fix, and an
// empty run fails. Runs in a copy of the registry and dataset, so the repository is untouched.

import { execFile } from 'node:child_process';
import { cpSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv } from 'ajv';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadScenarios } from '../dataset/load.ts';
import { ResultsSchema, type Results } from '../runner/results.ts';
import { root, tempDir } from '../testing/cli.ts';
import { startEmulators, type Emulators } from '../testing/emulators.ts';
import { BaselineSchema, type Baseline } from './baseline.ts';

const LEAVE_OUT = 'Leave out the cost table: do not estimate any costs.';
const KEYS = { ANTHROPIC_API_KEY: 'fake-anthropic-key-for-tests-1b2c3d4e', OPENAI_API_KEY: '' };

let emu: Emulators;
let work: string;
const runs = () => join(work, 'reports/runs');

function promptgate(args: string[], env: Record<string, string> = {}): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [join(root, 'bin/promptgate.js'), ...args],
      { cwd: work, env: { ...process.env, ...KEYS, ANTHROPIC_BASE_URL: emu.anthropic.baseURL, OPENAI_BASE_URL: emu.openai.baseURL, GITHUB_STEP_SUMMARY: '', ...env } },
      (error, stdout, stderr) => resolve({ code: error ? (typeof error.code === 'number' ? error.code : 1) : 0, stdout, stderr }),
    );
  });
}

const results = (id: string) => JSON.parse(readFileSync(join(runs(), id, 'results.json'), 'utf8')) as Results;
const newest = () => readdirSync(runs()).sort().at(-1)!;

beforeAll(async () => {
  work = tempDir();
  cpSync(join(root, 'prompts'), join(work, 'prompts'), { recursive: true });
  cpSync(join(root, 'datasets/scenarios'), join(work, 'datasets/scenarios'), { recursive: true });
  cpSync(join(root, 'datasets/references'), join(work, 'datasets/references'), { recursive: true });
  const v110 = readFileSync(join(root, 'prompts/pipeline-design-architect/1.1.0.md'), 'utf8');
  const v130 = v110
    .replace('version: 1.1.0', 'version: 1.3.0')
    .replace('status: released', 'status: candidate')
    .replace(/changelog:\n/, 'changelog:\n  - "1.3.0: leaves out the cost table (a deliberate regression for the gate test)."\n')
    .replace(/\n$/, `\n\n${LEAVE_OUT}\n`);
  writeFileSync(join(work, 'prompts/pipeline-design-architect/1.3.0.md'), v130);
  writeFileSync(
    join(work, 'suite.yaml'),
    `prompt: pipeline-design-architect
versions: all
models:
  - { provider: anthropic, model: claude-sonnet-5-5, label: Claude Sonnet 5.5, concurrency: 4 }
scenarios: tag:smoke
samples: 2
store: ${join(work, 'store')}
out: ${runs()}
gate: { minSamples: 2, hard: { cost-table: 10, sections: 10 } }
`,
  );
  const scenarios = loadScenarios(join(root, 'datasets/scenarios')).scenarios;
  emu = await startEmulators({
    respond: (req) => {
      const scenario = scenarios.find((s) => req.user.includes(s.message.trim().slice(0, 60)));
      if (!scenario) return { status: 400, message: 'test: unknown scenario' };
      const reference = readFileSync(join(root, 'datasets/references', `${scenario.id}.md`), 'utf8');
      return { text: req.system.includes(LEAVE_OUT) ? reference.replace(/^## 10\. Cost Estimation[\s\S]*$/m, '') : reference };
    },
  });
}, 30_000);
afterAll(() => emu?.close());

describe('baseline, gate and regrade end to end', () => {
  let baselineRun = '';

  it('makes a baseline from a 1.1.0 run, and that run passes against it', async () => {
    const evaluated = await promptgate(['eval', '--suite', 'suite.yaml', '--versions', '1.1.0']);
    expect(evaluated.code, evaluated.stderr).toBe(0);
    baselineRun = newest();
    const update = await promptgate(['baseline', 'update']);
    expect(update.code, update.stderr).toBe(0);
    expect(update.stdout).toMatch(/wrote reports\/baseline\.json: pipeline-design-architect 1\.1\.0 .* 4 scenarios, 8 graded samples/);
    const baseline = JSON.parse(readFileSync(join(work, 'reports/baseline.json'), 'utf8')) as Baseline;
    expect(new Ajv({ strict: false }).validate(BaselineSchema, baseline)).toBe(true);
    expect(baseline).toMatchObject({ run: baselineRun, prompt: { version: '1.1.0' }, models: [{ id: 'anthropic:claude-sonnet-5-5', label: 'Claude Sonnet 5.5' }] });
    expect(baseline.results['anthropic:claude-sonnet-5-5']!['payments-pci']).toBeUndefined();
    expect(baseline.results['anthropic:claude-sonnet-5-5']!['ecommerce-hybrid']!.graders['cost-table']!.pass).toEqual([true, true]);

    const same = await promptgate(['gate', '--run', baselineRun]);
    expect(same.code, same.stderr).toBe(0);
    expect(same.stdout).toMatch(/^### promptgate gate: pass$/m);
  }, 60_000);

  it('fails a candidate whose documents leave out the cost table, naming cost-table (exit 1)', async () => {
    const evaluated = await promptgate(['eval', '--suite', 'suite.yaml', '--versions', '1.3.0']);
    expect(evaluated.code, evaluated.stderr).toBe(0);
    const summary = join(work, 'summary.md');
    const gated = await promptgate(['gate'], { GITHUB_STEP_SUMMARY: summary });
    expect(gated.code, gated.stderr).toBe(1);
    // The sample-level test sees the mean fall too (the cost section carries weight 2 of 24.5).
    expect(gated.stderr).toMatch(/^promptgate: gate failed: Claude Sonnet 5\.5: mean score fell by 0\.\d{3} .* \(and 2 more above\)$/m);
    expect(gated.stdout).toMatch(/^- Claude Sonnet 5\.5: hard grader cost-table: pass rate 100% → 0% \(100 points down; allowance 10\), exact stratified p = 7\.7e-4/m);
    expect(gated.stderr.trim().split('\n')).toHaveLength(1);
    expect(gated.stdout).toMatch(/^### promptgate gate: FAIL$/m);
    expect(gated.stdout).toMatch(/\*\*1\.3\.0\*\* .* against the baseline \*\*1\.1\.0\*\*/);
    expect(gated.stdout).toMatch(/\| `cost-table` \| 100% \| 0% \| −100\.0 points \| 10 points \| 7\.7e-4 \(≤ 0\.01\d+ fails\) \| \*\*FAIL\*\* \|/);
    expect(readFileSync(summary, 'utf8')).toBe(`${gated.stdout}\n`);
    expect(readFileSync(join(runs(), newest(), 'gate.md'), 'utf8')).toBe(gated.stdout);
    const json = await promptgate(['gate', '--json']);
    expect(JSON.parse(json.stdout).policy).toEqual({ maxDrop: 0.05, alpha: 0.05, meanShare: 0.5, minScenarios: 4, minSamples: 2, maxMissing: 0.05, hard: { 'cost-table': 10, sections: 10 }, permutations: 10000, seed: 1, onInconclusive: 'pass', escalate: null });
    expect(JSON.parse(json.stdout)).toMatchObject({ status: 'fail', outcome: 'fail', reference: 'baseline', run: { version: '1.3.0' }, models: [{ status: 'fail', graders: expect.arrayContaining([expect.objectContaining({ grader: 'cost-table', status: 'fail' })]) }] });
  }, 60_000);

  it('regrades a run from the store without calling a model, into a new run', async () => {
    const before = emu.requests.length;
    const regraded = await promptgate(['regrade', baselineRun]);
    expect(regraded.code, regraded.stderr).toBe(0);
    expect(emu.requests.length).toBe(before);
    const id = newest();
    expect(id).not.toBe(baselineRun);
    expect(regraded.stdout).toMatch(/graders unchanged since run .*re-graded 8 stored outputs, no model called/);
    expect(regraded.stdout).toContain(`promptgate baseline update --run ${id}`);
    const fresh = results(id);
    const old = results(baselineRun);
    expect(new Ajv({ strict: false }).validate(ResultsSchema, fresh)).toBe(true);
    expect(fresh.cells.map((c) => [c.id, c.score, c.grades])).toEqual(old.cells.map((c) => [c.id, c.score, c.grades]));
    expect(readFileSync(join(runs(), id, 'journal.jsonl'), 'utf8').trim().split('\n')).toHaveLength(8);
    expect(JSON.parse(readFileSync(join(runs(), id, 'run.json'), 'utf8'))).toMatchObject({ runId: id, regradedFrom: baselineRun });
  }, 60_000);

  it('refuses a baseline graded by other graders with the commands that fix it (exit 2)', async () => {
    const file = join(work, 'stale.json');
    const baseline = JSON.parse(readFileSync(join(work, 'reports/baseline.json'), 'utf8')) as Baseline;
    writeFileSync(file, JSON.stringify({ ...baseline, gradersVersion: '0000000000000000' }));
    const gated = await promptgate(['gate', '--baseline', file]);
    expect(gated.code).toBe(2);
    expect(gated.stderr.trim().split('\n')).toHaveLength(1);
    expect(gated.stderr).toMatch(/stale\.json: \/gradersVersion: the graders changed .*promptgate regrade \S+ && promptgate baseline update/);
  }, 30_000);

  it('fails an empty run (no key, nothing stored: nothing graded) and names bad input with one line', async () => {
    writeFileSync(join(work, 'empty.yaml'), readFileSync(join(work, 'suite.yaml'), 'utf8').replace(/^store: .*$/m, `store: ${join(work, 'empty-store')}`));
    const evaluated = await promptgate(['eval', '--suite', 'empty.yaml', '--versions', '1.3.0'], { ANTHROPIC_API_KEY: '' });
    expect(evaluated.code, evaluated.stderr).toBe(0);
    const gated = await promptgate(['gate']);
    expect(gated.code).toBe(1);
    expect(gated.stderr).toMatch(/^promptgate: gate INCOMPLETE: run \S+ has no graded output \(0 cells, 8 not run\); nothing to compare/);
    const usage = await Promise.all([
      promptgate(['baseline']).then((r) => [r, /baseline: expected "update", got nothing/] as const),
      promptgate(['regrade']).then((r) => [r, /regrade: missing the run to re-grade/] as const),
      promptgate(['gate', '--run', 'no-such-run']).then((r) => [r, /run no-such-run: no run at .*no-such-run/] as const),
    ]);
    for (const [r, message] of usage) {
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(message);
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
    }
  }, 60_000);
  it('samples a same-day control with --control (paid once a day, then from the store) and gates against it', async () => {
    const before = emu.requests.length;
    const evaluated = await promptgate(['eval', '--suite', 'suite.yaml', '--versions', '1.3.0', '--control']);
    expect(evaluated.code, evaluated.stderr).toBe(0);
    // 1.3.0 is in the store from the earlier test; the control cells (1.1.0, fresh today) are not.
    expect(emu.requests.length - before).toBe(8);
    const run = results(newest());
    expect(run.cells.filter((c) => c.control).map((c) => c.version)).toEqual(Array(8).fill('1.1.0'));
    // Reports keep the control apart from the version's ordinary cells, and compare the candidate with it.
    expect(run.summary.map((r) => r.version)).toEqual(['1.1.0 (control)', '1.3.0', 'reference']);
    expect(readFileSync(join(runs(), run.runId, 'report.md'), 'utf8')).toMatch(/1\.3\.0 is worse than 1\.1\.0 \(control\) on Claude Sonnet 5\.5/);
    const gated = await promptgate(['gate', '--json']);
    expect(gated.code).toBe(1);
    expect(JSON.parse(gated.stdout)).toMatchObject({ reference: 'control', status: 'fail', drift: [{ model: 'anthropic:claude-sonnet-5-5', moved: false }] });
    const again = emu.requests.length;
    expect((await promptgate(['eval', '--suite', 'suite.yaml', '--versions', '1.3.0', '--control'])).code).toBe(0);
    expect(emu.requests.length).toBe(again); // the day's control is served from the store
  }, 90_000);

  it('runs the planned second batch on INCONCLUSIVE with --escalate, paying only the new samples (exit 4, then 0)', async () => {
    // alpha so small that two samples cannot show non-inferiority, but three can.
    writeFileSync(join(work, 'escalate.yaml'), readFileSync(join(work, 'suite.yaml'), 'utf8').replace(/^gate: .*$/m, 'gate: { minSamples: 2, alpha: 0.0005, hard: {}, escalate: { samples: 1 } }'));
    expect((await promptgate(['eval', '--suite', 'escalate.yaml', '--versions', '1.1.0'])).code).toBe(0);
    const first = await promptgate(['gate']);
    expect(first.code, first.stderr).toBe(4);
    expect(first.stdout).toMatch(/^### promptgate gate: INCONCLUSIVE$/m);
    expect(first.stderr).toMatch(/the suite plans a second batch: promptgate gate --run \S+ --escalate/);
    const before = emu.requests.length;
    const second = await promptgate(['gate', '--escalate']);
    expect(second.code, second.stderr).toBe(0);
    expect(emu.requests.length - before).toBe(4); // sample 2 of 4 scenarios; samples 0–1 from the store
    expect(second.stdout).toMatch(/^### promptgate gate: pass \(after the second batch\)$/m);
    expect(results(newest()).suite.samples).toBe(3);
  }, 90_000);
});
