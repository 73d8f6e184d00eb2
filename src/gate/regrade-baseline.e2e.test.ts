// End to end, as CI runs it after a grader change in a pull request: the committed baseline and
// the response store are all there is (run folders are git-ignored, so gone on a runner), and
// `promptgate regrade --baseline` grades the baseline's outputs again from the store by the keys
// the baseline keeps, calling no model. The real bin in child processes, the real SDK against
// the local emulator, which answers with the scenario's hand-written reference document — the
// cost section left out of every other answer, so samples differ and regrading has work to do.
// Also: a baseline from before keys were kept is still read, and regrade says what it lacks; a
// store without the outputs is refused with the fix.

import { execFile } from 'node:child_process';
import { cpSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { gradersVersion } from '../../graders/version.ts';
import { loadScenarios } from '../dataset/load.ts';
import { FsStore } from '../runner/store.ts';
import { root, tempDir } from '../testing/cli.ts';
import { startEmulators, type Emulators } from '../testing/emulators.ts';
import { formatBaseline, readBaseline, type Baseline } from './baseline.ts';

const KEYS = { ANTHROPIC_API_KEY: 'fake-anthropic-key-for-tests-9f8e7d6c', OPENAI_API_KEY: '' };
const MODEL = 'anthropic:claude-sonnet-5-5';

let emu: Emulators;
let work: string;
/** The baseline as `baseline update` wrote it, before any test changed it. */
let original = '';

function promptgate(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [join(root, 'bin/promptgate.js'), ...args],
      { cwd: work, env: { ...process.env, ...KEYS, ANTHROPIC_BASE_URL: emu.anthropic.baseURL, OPENAI_BASE_URL: emu.openai.baseURL, GITHUB_STEP_SUMMARY: '' } },
      (error, stdout, stderr) => resolve({ code: error ? (typeof error.code === 'number' ? error.code : 1) : 0, stdout, stderr }),
    );
  });
}

const baselineFile = () => join(work, 'reports/baseline.json');
const readJson = (file: string) => JSON.parse(readFileSync(file, 'utf8')) as Baseline;

beforeAll(async () => {
  work = tempDir();
  cpSync(join(root, 'prompts'), join(work, 'prompts'), { recursive: true });
  cpSync(join(root, 'datasets/scenarios'), join(work, 'datasets/scenarios'), { recursive: true });
  cpSync(join(root, 'datasets/references'), join(work, 'datasets/references'), { recursive: true });
  writeFileSync(
    join(work, 'suite.yaml'),
    `prompt: pipeline-design-architect
versions: [1.1.0]
models:
  - { provider: anthropic, model: claude-sonnet-5-5, label: Claude Sonnet 5.5, concurrency: 1 }
scenarios: tag:smoke
samples: 2
references: false
store: store
out: reports/runs
`,
  );
  const scenarios = loadScenarios(join(root, 'datasets/scenarios')).scenarios;
  const answered = new Map<string, number>();
  emu = await startEmulators({
    respond: (req) => {
      const scenario = scenarios.find((s) => req.user.includes(s.message.trim().slice(0, 60)));
      if (!scenario) return { status: 400, message: 'test: unknown scenario' };
      const n = answered.get(scenario.id) ?? 0;
      answered.set(scenario.id, n + 1);
      const reference = readFileSync(join(root, 'datasets/references', `${scenario.id}.md`), 'utf8');
      return { text: n % 2 === 0 ? reference : reference.replace(/^## 10\. Cost Estimation[\s\S]*$/m, '') };
    },
  });

  const evaluated = await promptgate(['eval', '--suite', 'suite.yaml']);
  if (evaluated.code !== 0) throw new Error(`eval failed: ${evaluated.stderr}`);
  const update = await promptgate(['baseline', 'update']);
  if (update.code !== 0) throw new Error(`baseline update failed: ${update.stderr}`);
  original = readFileSync(baselineFile(), 'utf8');
  // What CI has: no run folder, no grade cache — only the committed baseline and the store.
  rmSync(join(work, 'reports/runs'), { recursive: true, force: true });
  rmSync(join(work, 'reports/latest'), { force: true });
  rmSync(join(work, 'store/grades'), { recursive: true, force: true });
}, 120_000);
afterAll(() => emu?.close());

describe('regrade --baseline: the committed baseline plus the store, no run folder', () => {
  it('keeps each sample store key in the baseline, aligned with its score, each naming a stored output', () => {
    const baseline = readJson(baselineFile());
    const store = new FsStore(join(work, 'store'));
    const byScenario = baseline.results[MODEL]!;
    expect(Object.keys(byScenario)).toHaveLength(4);
    for (const s of Object.values(byScenario)) {
      expect(s.keys).toHaveLength(s.score.length);
      expect(new Set(s.keys).size).toBe(2);
      for (const key of s.keys!) expect(store.get(key!)?.model).toBe('claude-sonnet-5-5');
    }
    // The emulator left the cost section out of every other answer: the samples really differ.
    expect(Object.values(byScenario).flatMap((s) => s.graders['cost-table']!.pass)).toContain(false);
    expect(Object.values(byScenario).flatMap((s) => s.graders['cost-table']!.pass)).toContain(true);
  });

  it('re-grades a baseline made by other graders back to what the current graders say, calling no model', async () => {
    const before = readJson(baselineFile());
    // As if graded by older graders: another version, other scores and verdicts everywhere.
    const stale: Baseline = structuredClone(before);
    stale.gradersVersion = '0123456789abcdef';
    for (const s of Object.values(stale.results[MODEL]!)) {
      s.score = s.score.map(() => 0.5);
      s.pass = s.pass.map(() => false);
      for (const g of Object.values(s.graders)) g.pass = g.pass.map((p) => !p);
    }
    writeFileSync(baselineFile(), formatBaseline(stale));
    const requests = emu.requests.length;

    const regraded = await promptgate(['regrade', '--baseline']);
    expect(regraded.code, regraded.stderr).toBe(0);
    expect(emu.requests.length).toBe(requests);
    expect(regraded.stdout).toContain(`graders 0123456789abcdef → ${gradersVersion()}; re-graded the baseline's 8 stored outputs, no model called`);
    expect(regraded.stdout).toMatch(/Claude Sonnet 5\.5\s+0\.500\s+0\.\d{3}\s+0%\s+\d+%\s+8/);
    expect(regraded.stdout).toContain('wrote reports/baseline.json: pipeline-design-architect 1.1.0');
    // Byte for byte what `baseline update` wrote from the run: same outputs, same graders.
    expect(readFileSync(baselineFile(), 'utf8')).toBe(original);
  }, 60_000);

  it('writes elsewhere with --out, and reports unchanged graders', async () => {
    const out = join(work, 'regraded/baseline.json');
    const regraded = await promptgate(['regrade', '--baseline', 'reports/baseline.json', '--out', out]);
    expect(regraded.code, regraded.stderr).toBe(0);
    expect(regraded.stdout).toMatch(/^graders unchanged \([0-9a-f]{16}\); re-graded the baseline's 8 stored outputs/);
    expect(regraded.stdout).toMatch(/Claude Sonnet 5\.5 .* 0\s*$/m);
    expect(readFileSync(out, 'utf8')).toBe(original);
    expect(readFileSync(baselineFile(), 'utf8')).toBe(original);
  }, 60_000);

  it('refuses a store without the outputs, naming how many are missing and where to point --store (exit 2)', async () => {
    const regraded = await promptgate(['regrade', '--baseline', '--store', join(work, 'empty-store')]);
    expect(regraded.code).toBe(2);
    expect(regraded.stderr.trim().split('\n')).toHaveLength(1);
    expect(regraded.stderr).toMatch(/empty-store: 8 of the baseline's 8 outputs are not in the store \(first: anthropic:claude-sonnet-5-5 \S+ sample 0, key [0-9a-f]{64}\); point --store at the store/);
    expect(readFileSync(baselineFile(), 'utf8')).toBe(original);
  }, 30_000);

  it('reads a baseline written before keys were kept, and regrade says what it lacks (exit 2)', async () => {
    const old: Baseline = structuredClone(readJson(baselineFile()));
    for (const s of Object.values(old.results[MODEL]!)) delete s.keys;
    const file = join(work, 'old-baseline.json');
    writeFileSync(file, formatBaseline(old));
    expect(readBaseline(file)).toEqual(old);
    const regraded = await promptgate(['regrade', '--baseline', 'old-baseline.json']);
    expect(regraded.code).toBe(2);
    expect(regraded.stderr.trim().split('\n')).toHaveLength(1);
    expect(regraded.stderr).toMatch(/old-baseline\.json: \/results\/anthropic:claude-sonnet-5-5\/\S+\/keys: missing \(this baseline was written before baselines kept store keys\); .*promptgate baseline update/);

    const misaligned: Baseline = structuredClone(readJson(baselineFile()));
    Object.values(misaligned.results[MODEL]!)[0]!.keys!.pop();
    writeFileSync(file, formatBaseline(misaligned));
    const short = await promptgate(['regrade', '--baseline', file]);
    expect(short.code).toBe(2);
    expect(short.stderr).toMatch(/\/keys: 1 keys for 2 scores \(expected one key per sample\)/);
  }, 30_000);

  it('names bad usage in one line (exit 2)', async () => {
    const cases = await Promise.all([
      promptgate(['regrade', '--out', 'x.json', 'latest']).then((r) => [r, /regrade: --out goes with --baseline/] as const),
      promptgate(['regrade', '--baseline', 'a.json', 'b.json']).then((r) => [r, /regrade --baseline: one baseline file at a time; unexpected "b\.json"/] as const),
      promptgate(['regrade', '--baseline', 'no-such.json']).then((r) => [r, /no-such\.json: baseline not found/] as const),
    ]);
    for (const [r, message] of cases) {
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(message);
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
    }
  }, 30_000);
});
