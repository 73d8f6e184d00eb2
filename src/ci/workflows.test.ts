// Lints the GitHub workflows and the store actions (actionlint is not available, and a mistake
// here costs money or leaks a key, not a red test): each file parses as YAML without duplicate
// keys; nothing is written into a `run:` script by `${{ }}` (user-controlled values — branch and
// file names, the base ref — must come through env); the API keys only in the env of the steps
// that call models; actions at the majors checked in the note in prompt-eval.yml; the store
// saved with `if: always()` right after eval; registry and dataset lint before anything is paid;
// fork pull requests skipped with a notice; and the store actions' helper (store.mjs) keys and
// merges a store the way their comments say.

import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseDocument } from 'yaml';
import { root, tempDir } from '../testing/cli.ts';

/** The current major of every action a workflow may use; anything else is a decision to make here. */
const CURRENT: Record<string, string> = {
  'actions/checkout': 'v7',
  'actions/setup-node': 'v7',
  'actions/cache': 'v6',
  'actions/cache/restore': 'v6',
  'actions/cache/save': 'v6',
  'actions/upload-artifact': 'v7',
  'actions/download-artifact': 'v8',
  'peter-evans/create-pull-request': 'v8',
};
const SAVE = './.github/actions/promptgate-store/save';
const RESTORE = './.github/actions/promptgate-store/restore';

type Step = { name?: string; id?: string; uses?: string; run?: string; if?: string; env?: Record<string, string>; with?: Record<string, unknown> };
type Job = { if?: string; env?: Record<string, string>; steps: Step[]; permissions?: Record<string, string>; container?: string; concurrency?: unknown };
type Workflow = { on: Record<string, unknown>; env?: Record<string, string>; concurrency: { group: string; 'cancel-in-progress': unknown }; permissions?: unknown; jobs: Record<string, Job> };

function load(file: string): unknown {
  const doc = parseDocument(readFileSync(join(root, file), 'utf8'), { uniqueKeys: true });
  expect(doc.errors.map((e) => `${file}: ${e.message}`)).toEqual([]);
  return doc.toJS();
}

const workflowFiles = readdirSync(join(root, '.github/workflows')).map((f) => `.github/workflows/${f}`);
const actionFiles = ['restore', 'save'].map((a) => `.github/actions/promptgate-store/${a}/action.yml`);
const workflows = new Map(workflowFiles.map((f) => [f, load(f) as Workflow]));
const actions = new Map(actionFiles.map((f) => [f, load(f) as { runs: { using: string; steps: Step[] } }]));
const wf = (name: string) => workflows.get(`.github/workflows/${name}`)!;
const allSteps = (): [string, Step][] => [
  ...[...workflows].flatMap(([f, w]) => Object.entries(w.jobs).flatMap(([j, job]) => job.steps.map((s, i): [string, Step] => [`${f} jobs.${j}.steps[${i}]`, s]))),
  ...[...actions].flatMap(([f, a]) => a.runs.steps.map((s, i): [string, Step] => [`${f} steps[${i}]`, s])),
];
const callsModels = (s: Step) => /npx promptgate eval\b/.test(s.run ?? '') || /npx promptgate gate\b[^\n]*--escalate/.test(s.run ?? '');

/** Every string in `value` with where it is. */
function strings(value: unknown, at: string): [string, string][] {
  if (typeof value === 'string') return [[at, value]];
  if (Array.isArray(value)) return value.flatMap((v, i) => strings(v, `${at}[${i}]`));
  if (value && typeof value === 'object') return Object.entries(value).flatMap(([k, v]) => strings(v, `${at}.${k}`));
  return [];
}

describe('the workflows', () => {
  it('are the four expected, and every store action is a composite one', () => {
    expect([...workflows.keys()].sort()).toEqual(['.github/workflows/baseline.yml', '.github/workflows/nightly.yml', '.github/workflows/prompt-eval.yml', '.github/workflows/test.yml']);
    for (const a of actions.values()) expect(a.runs.using).toBe('composite');
  });

  it('write nothing into a run: script with ${{ }} — values come through env', () => {
    const interpolated = allSteps().filter(([, s]) => s.run?.includes('${{')).map(([at]) => at);
    expect(interpolated).toEqual([]);
    // The base ref in particular reaches the diff only through env.
    const step = wf('prompt-eval.yml').jobs.eval!.steps.find((s) => s.run?.includes('git diff'))!;
    expect(step.env?.BASE_REF).toBe('${{ github.base_ref }}');
    expect(step.run).toContain('"origin/$BASE_REF...HEAD"');
  });

  it('give the API keys only to the steps that call models, never to npm ci or a whole job', () => {
    const all = [...workflows].flatMap(([f, w]) => strings(w, f)).concat([...actions].flatMap(([f, a]) => strings(a, f)));
    const withSecrets = all.filter(([, v]) => /\bsecrets\./.test(v));
    expect(withSecrets.length).toBeGreaterThanOrEqual(6);
    for (const [at] of withSecrets) expect(at).toMatch(/^\.github\/workflows\/[\w-]+\.yml\.jobs\.\w+\.steps\[\d+\]\.env\.(ANTHROPIC|OPENAI)_API_KEY$/);
    const stepsWithKeys = allSteps().filter(([, s]) => Object.values(s.env ?? {}).some((v) => /\bsecrets\./.test(v)));
    for (const [at, s] of stepsWithKeys) expect(callsModels(s), `${at} has keys but calls no model`).toBe(true);
    for (const [at, s] of allSteps().filter(([, x]) => callsModels(x))) expect(s.env?.ANTHROPIC_API_KEY, at).toBe('${{ secrets.ANTHROPIC_API_KEY }}');
    const npmCi = allSteps().filter(([, s]) => /\bnpm ci\b/.test(s.run ?? ''));
    expect(npmCi.length).toBe(4);
    for (const [at, s] of npmCi) expect(s.env, at).toBeUndefined();
  });

  it('use each action at its current major, and only local actions that exist', () => {
    const used = allSteps().filter(([, s]) => s.uses);
    expect(used.length).toBeGreaterThan(10);
    for (const [at, s] of used) {
      if (s.uses!.startsWith('./')) {
        expect(existsSync(join(root, s.uses!, 'action.yml')), at).toBe(true);
        continue;
      }
      const [name, version] = s.uses!.split('@');
      expect(CURRENT[name!], `${at}: ${s.uses} is not a known action`).toBeDefined();
      expect(`${name}@${version}`, at).toBe(`${name}@${CURRENT[name!]}`);
    }
  });

  it('restore the store before the models are called and save it with if: always() right after', () => {
    for (const name of ['prompt-eval.yml', 'baseline.yml']) {
      const steps = Object.values(wf(name).jobs).find((j) => j.steps.some(callsModels))!.steps;
      const evalAt = steps.findIndex((s) => /npx promptgate eval\b/.test(s.run ?? ''));
      const restoreAt = steps.findIndex((s) => s.uses === RESTORE);
      expect(restoreAt, name).toBeGreaterThanOrEqual(0);
      expect(restoreAt, name).toBeLessThan(evalAt);
      expect(steps[evalAt + 1]?.uses, `${name}: the step after eval`).toBe(SAVE);
      expect(steps[evalAt + 1]?.with?.replaces, name).toBe(`\${{ steps.${steps[restoreAt]!.id}.outputs.key }}`);
      // Every model-calling step is followed, somewhere, by a save that always runs.
      for (const [i, s] of steps.entries()) if (callsModels(s)) expect(steps.slice(i + 1).some((x) => x.uses === SAVE), `${name}: ${s.name}`).toBe(true);
    }
    const saves = allSteps().filter(([, s]) => s.uses === SAVE);
    expect(saves.length).toBe(6);
    for (const [at, s] of saves) expect(s.if, at).toMatch(/^always\(\)/);
    const save = actions.get('.github/actions/promptgate-store/save/action.yml')!.runs.steps;
    expect(save.map((s) => s.uses).filter(Boolean)).toEqual(['actions/cache/save@v6']);
    // Keyed by the store's content, not by the run: a run that paid for nothing adds no copy.
    expect(save.find((s) => s.uses)!.with!.key).toBe('${{ steps.key.outputs.key }}');
    expect(save[0]!.run).toContain('store.mjs" key "$STORE"');
    expect(save.find((s) => s.run?.includes('gh cache delete'))?.if).toMatch(/changed == 'true'/);
  });

  it('lint the registry and the dataset before the store is restored or a model is paid', () => {
    for (const name of ['prompt-eval.yml', 'baseline.yml', 'nightly.yml']) {
      const steps = Object.values(wf(name).jobs).find((j) => j.steps.some(callsModels))!.steps;
      const lint = steps.findIndex((s) => /npx promptgate registry lint/.test(s.run ?? '') && /npx promptgate dataset lint/.test(s.run ?? ''));
      expect(lint, name).toBeGreaterThan(0);
      expect(lint, name).toBeLessThan(steps.findIndex((s) => s.uses === RESTORE));
      expect(steps[lint - 1]!.run, name).toBe('npm ci --omit=dev --no-audit --no-fund');
    }
  });

  it('prompt-eval: triggers on the code too, controls, escalates, takes exit 4 as a pass with a warning', () => {
    const w = wf('prompt-eval.yml');
    const paths = (w.on.pull_request as { paths: string[] }).paths;
    for (const p of ['prompts/**', 'graders/**', 'datasets/**', 'evals/**', 'src/**', 'package*.json', '.github/workflows/prompt-eval.yml']) expect(paths).toContain(p);
    expect(w.jobs.eval!.env!.SUITE).toBe("${{ github.event_name == 'pull_request' && 'evals/smoke.yaml' || inputs.suite || 'evals/nightly.yaml' }}");
    for (const suite of ['evals/smoke.yaml', 'evals/nightly.yaml', 'evals/baseline.yaml']) expect(existsSync(join(root, suite)), suite).toBe(true);
    const steps = w.jobs.eval!.steps;
    expect(steps.find((s) => s.id === 'eval')!.run).toContain('npx promptgate eval --suite "$SUITE" --control');
    const gate = steps.find((s) => s.id === 'gate')!.run!;
    expect(gate).toMatch(/npx promptgate gate --run "\$RUN_ID" --escalate/);
    expect(gate).toMatch(/\|\| code=\$\?/);
    expect(gate).toMatch(/4\)[\s\S]*::warning[\s\S]*;;/);
    expect(gate).toMatch(/\*\) exit "\$code"/);
    expect(steps.find((s) => s.id === 'regrade')!.run).toContain('npx promptgate regrade --baseline reports/baseline.json --store "$STORE"');
    // The verdict of a second batch is in that run's folder: report, upload and comment follow it.
    expect(gate).toMatch(/readlink reports\/latest[\s\S]*echo "dir=reports\/runs\/\$id"[\s\S]*>> "\$GITHUB_OUTPUT"[\s\S]*case "\$code"/);
    const comment = steps.find((s) => s.name === 'Comment on the pull request')!;
    expect(comment.env!.RUN_DIR).toBe('${{ steps.gate.outputs.dir || steps.run.outputs.dir }}');
    expect(steps.find((s) => s.name === 'Report')!.env!.RUN_DIR).toBe(comment.env!.RUN_DIR);
  });

  it('nightly: a matrix of shards, each with its own store snapshot, merged, gated with --escalate', () => {
    const w = wf('nightly.yml');
    expect(Object.keys(w.on).sort()).toEqual(['schedule', 'workflow_dispatch']);
    expect(wf('prompt-eval.yml').on.schedule).toBeUndefined(); // one nightly, not two
    const shard = w.jobs.shard as Job & { strategy: { 'fail-fast': boolean; matrix: { shard: number[] } } };
    expect(shard.strategy.matrix.shard).toEqual(Array.from({ length: Number(w.env!.SHARDS) }, (_, i) => i + 1));
    expect(shard.strategy['fail-fast']).toBe(false);
    const steps = shard.steps;
    const evalAt = steps.findIndex((s) => s.id === 'eval');
    expect(steps[evalAt]!.run).toContain('npx promptgate eval --suite "$SUITE" --control --shard "$SHARD/$SHARDS"');
    expect(steps[evalAt]!.env!.SHARD).toBe('${{ matrix.shard }}');
    expect(steps.find((s) => s.uses === RESTORE)!.with!['scope-suffix']).toBe('shard-${{ matrix.shard }}');
    expect(steps[evalAt + 1]).toMatchObject({ uses: SAVE, with: { replaces: '${{ steps.restore.outputs.key }}' } });
    const merge = w.jobs.merge as Job & { needs: string };
    expect(merge.needs).toBe('shard');
    expect(merge.if).toBe('${{ !cancelled() }}');
    const m = merge.steps;
    expect(m.find((s) => s.uses?.startsWith('actions/download-artifact'))!.with).toMatchObject({ pattern: 'promptgate-shard-*', 'merge-multiple': true });
    const mergeAt = m.findIndex((s) => s.id === 'merge');
    expect(m[mergeAt]!.run).toContain('npx promptgate merge shards/runs/*/ --store "$STORE"');
    expect(m[mergeAt + 1]!.uses).toBe(SAVE);
    const gateAt = m.findIndex((s) => s.id === 'gate');
    expect(m[gateAt]!.run).toMatch(/npx promptgate gate --run "\$RUN_ID" --escalate/);
    expect(m.slice(gateAt + 1).some((s) => s.uses === SAVE && /^always\(\)/.test(s.if ?? ''))).toBe(true);
    // The restore action puts the suffix in front, so the default branch's prefix never matches a shard's key.
    const scope = actions.get('.github/actions/promptgate-store/restore/action.yml')!.runs.steps.find((s) => s.id === 'scope')!.run!;
    expect(scope).toContain('scope="$(slug "$SUFFIX")-$scope"');
  });

  it('prompt-eval: skips fork pull requests with a notice, not a failure', () => {
    const { jobs } = wf('prompt-eval.yml');
    expect(jobs.eval!.if).toContain('github.event.pull_request.head.repo.full_name == github.repository');
    expect(jobs.fork!.if).toContain('github.event.pull_request.head.repo.full_name != github.repository');
    expect(jobs.fork!.steps.map((s) => s.run).join('\n')).toMatch(/^echo "::notice /);
    expect(jobs.fork!.steps.every((s) => !s.uses)).toBe(true);
  });

  it('keep pull request, nightly and manual runs in separate concurrency groups; Node 22 or 24; least permissions', () => {
    const w = wf('prompt-eval.yml');
    expect(w.concurrency.group).toContain('${{ github.event_name }}');
    expect(w.concurrency['cancel-in-progress']).toBe("${{ github.event_name == 'pull_request' }}");
    for (const [f, x] of workflows) {
      expect(x.permissions, f).toBeDefined();
      expect(x.concurrency, f).toBeDefined();
      for (const job of Object.values(x.jobs)) {
        for (const s of job.steps.filter((y) => y.uses?.startsWith('actions/setup-node'))) expect([22, 24], f).toContain(s.with!['node-version']);
        if (job.container) expect(job.container, f).toMatch(/^node:(22|24)-/);
      }
    }
    expect(wf('baseline.yml').on).toEqual({ workflow_dispatch: expect.anything() });
    expect(wf('baseline.yml').jobs.baseline!.permissions).toEqual({ contents: 'write', 'pull-requests': 'write', actions: 'write' });
  });

  it('baseline: runs the baseline suite, writes the baseline and opens a pull request with it', () => {
    const steps = wf('baseline.yml').jobs.baseline!.steps;
    expect(steps.find((s) => s.id === 'eval')!.run).toContain('npx promptgate eval --suite "$SUITE"');
    expect(steps.find((s) => s.id === 'baseline')!.run).toContain('npx promptgate baseline update --run "$RUN_ID"');
    const pr = steps.find((s) => s.uses?.startsWith('peter-evans/create-pull-request'))!;
    expect(pr.with).toMatchObject({ 'add-paths': 'reports/baseline.json', branch: 'promptgate/baseline' });
    expect((wf('baseline.yml').on.workflow_dispatch as { inputs: { suite: { default: string } } }).inputs.suite.default).toBe('evals/baseline.yaml');
  });

  it('test: runs npm test through .ci/run with Chromium and CI=true, on code changes', () => {
    const w = wf('test.yml');
    const paths = (w.on.pull_request as { paths: string[] }).paths;
    for (const p of ['src/**', 'graders/**', 'bench/**', 'bin/**', 'package*.json', 'tsconfig.json', 'vitest.config.ts', '.ci/**']) expect(paths).toContain(p);
    expect((w.on.push as { branches: string[] }).branches).toEqual(['main']);
    expect(w.jobs.test!.steps.at(-1)!.run).toBe('.ci/run');
    const ci = readFileSync(join(root, '.ci/run'), 'utf8');
    expect(ci).toMatch(/apt-get install -y -qq chromium/);
    expect(ci).toMatch(/^CI=true npm test$/m);
  });
});

describe('store.mjs, the store actions helper', () => {
  const script = join(root, '.github/actions/promptgate-store/store.mjs');
  const run = (...args: string[]) => execFileSync(process.execPath, [script, ...args], { encoding: 'utf8' }).trim();
  const put = (dir: string, file: string, text: string) => {
    mkdirSync(dirname(join(dir, file)), { recursive: true });
    writeFileSync(join(dir, file), text);
  };

  it('keys a store by its files and sizes: the same content gives the same key, an added entry a new one', () => {
    const a = tempDir();
    const b = tempDir();
    expect(run('key', a)).toBe('');
    expect(run('key', join(a, 'missing'))).toBe('');
    put(a, 'ab/ab12.json', '{"x":1}\n');
    put(a, 'grades/v.v2.jsonl', 'line\n');
    put(b, 'grades/v.v2.jsonl', 'line\n');
    put(b, 'ab/ab12.json', '{"x":1}\n');
    const key = run('key', a);
    expect(key).toMatch(/^[0-9a-f]{20}$/);
    expect(run('key', b)).toBe(key);
    put(b, 'ab/ab12.json.123.abc.tmp', 'half');
    expect(run('key', b)).toBe(key);
    put(b, 'grades/v.v2.jsonl', 'line\nmore\n');
    expect(run('key', b)).not.toBe(key);
    put(a, 'cd/cd34.json', '{}\n');
    expect(run('key', a)).not.toBe(key);
  });

  it('merges one store into another without overwriting a file, and says how many it copied', () => {
    const from = tempDir();
    const into = tempDir();
    put(from, 'ab/ab12.json', 'from');
    put(from, 'cd/cd34.json', 'from');
    put(from, 'cd/cd34.json.1.x.tmp', 'half');
    put(into, 'ab/ab12.json', 'into');
    expect(run('merge', from, into)).toBe('1');
    expect(readFileSync(join(into, 'ab/ab12.json'), 'utf8')).toBe('into');
    expect(readFileSync(join(into, 'cd/cd34.json'), 'utf8')).toBe('from');
    expect(existsSync(join(into, 'cd/cd34.json.1.x.tmp'))).toBe(false);
    expect(run('merge', from, into)).toBe('0');
  });
});
