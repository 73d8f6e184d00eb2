// The promptfoo round trip with the real promptfoo CLI (devDependency, 0.121) against the
// emulators: `promptgate export promptfoo` → `promptfoo eval` → `promptgate import promptfoo`
// → `promptgate gate`, checked against `promptgate eval` of the same suite. The emulator's answer
// is a function of the model, system and user text, so identical requests give identical
// documents: every imported cell must score exactly as promptgate's own run scored it.

import { execFile } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { parse as parseYaml, stringify } from 'yaml';
import type { Results } from '../runner/results.ts';
import { cli, root, tempDir } from '../testing/cli.ts';
import { TEST_KEYS } from '../testing/eval-cli.ts';
import { useEmulators } from '../testing/use-emulators.ts';
import { promptfooEnv } from '../testing/promptfoo-env.ts';

const emu = useEmulators();
const PROMPTFOO = join(root, 'node_modules/promptfoo/dist/src/entrypoint.js');

function promptfoo(args: string[], env: Record<string, string>, cwd: string): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [PROMPTFOO, ...args], { cwd, env: { PATH: process.env.PATH ?? '', HOME: env.PROMPTFOO_CONFIG_DIR!, ...env }, timeout: 120_000, maxBuffer: 64 * 1024 * 1024 }, (error, stdout, stderr) =>
      resolve({ code: error ? (typeof error.code === 'number' ? error.code : -1) : 0, stdout, stderr }),
    );
  });
}

// The assertions promptfoo loads are lib/promptfoo.js: built from the current sources first.
beforeAll(async () => {
  const built = await new Promise<number>((resolve) => execFile(process.execPath, [join(root, 'scripts/build-lib.mjs')], (error) => resolve(error ? 1 : 0)));
  expect(built).toBe(0);
}, 60_000);

describe('promptfoo round trip (export → promptfoo eval → import → gate)', () => {
  it('runs a suite in promptfoo with the same requests and scores, and gates the imported run', async () => {
    const started = performance.now();
    const dir = tempDir();
    const suite = join(dir, 'suite.yaml');
    writeFileSync(
      suite,
      `prompt: pipeline-design-architect
versions: all
models:
  - { provider: anthropic, model: claude-sonnet-5-5, label: Claude Sonnet 5.5 }
  - { provider: openai, model: gpt-5.6-terra, label: GPT-5.6 Terra, maxTokens: 4000 }
scenarios: ecommerce-hybrid,startup-lean-analytics
samples: 1
graders:
  weights: { sections: 5 }
  hard: [sections, word-count]
  passThreshold: 0.7
  checks:
    - { type: contains, id: fingerprinted, value: Fingerprint, weight: 2 }
gate: { minScenarios: 2 }
store: ${join(dir, 'store')}
out: ${join(dir, 'runs')}
references: false
`,
    );
    const env = { ANTHROPIC_API_KEY: TEST_KEYS.anthropic, OPENAI_API_KEY: TEST_KEYS.openai, ANTHROPIC_BASE_URL: emu.anthropic.baseURL, OPENAI_BASE_URL: emu.openai.baseURL };

    // promptgate's own run of the suite: the reference for requests and scores.
    const own = await cli(['eval', '--suite', suite, '--no-compare', '--json'], root, { env });
    expect(own.stderr).not.toMatch(/internal error/);
    expect(own.code).toBe(0);
    const ownRun = JSON.parse(own.stdout) as { runId: string; files: string[] };
    const ownResults = JSON.parse(readFileSync(ownRun.files[0]!, 'utf8')) as Results;
    const ownRequests = emu.requests.map(requestShape).sort();
    expect(ownRequests).toHaveLength(8);
    emu.reset();

    const config = join(dir, 'promptfooconfig.yaml');
    const exported = await cli(['export', 'promptfoo', '--suite', suite, '--out', config, '--json'], root);
    expect(exported.stderr).toBe('');
    expect(exported.code).toBe(0);
    expect(JSON.parse(exported.stdout)).toMatchObject({ file: config, prompts: 4, tests: 2, repeat: 1, cells: 8, notes: [] });

    // promptfoo as a user runs it, in the config's folder; what it keeps goes to the temp folder.
    const pf = await promptfoo(['eval', '-o', 'promptfoo.json', '--no-cache', '--no-table', '--no-progress-bar'], { ...env, ...promptfooEnv(dir) }, dir);
    expect(existsSync(join(dir, 'promptfoo.json')), `${pf.stdout}\n${pf.stderr}`.slice(-2000)).toBe(true);
    expect(pf.code, pf.stderr.slice(-2000)).toBe(0);
    // Written to promptfoo's own database too, where `promptfoo view` shows it.
    expect(existsSync(join(dir, '.promptfoo', 'promptfoo.db'))).toBe(true);
    // The same 8 requests, field for field: system, user, model, max tokens (promptfoo's own
    // defaults, like a temperature, would show here too).
    expect(emu.requests.map(requestShape).sort()).toEqual(ownRequests);

    const pfOut = JSON.parse(readFileSync(join(dir, 'promptfoo.json'), 'utf8')) as { results: { results: Array<{ gradingResult: { pass: boolean; score: number; componentResults: Array<{ reason: string }> }; vars: { scenario: string }; prompt: { label: string }; provider: { id: string } }> } };
    const pfResults = pfOut.results.results;
    expect(pfResults).toHaveLength(8);
    // promptgate's graders ran inside promptfoo: one component per grader, and promptgate's verdict.
    for (const r of pfResults) {
      const cell = ownResults.cells.find((c) => c.scenario === r.vars.scenario && `${c.promptId}@${c.version}` === r.prompt.label && r.provider.id.endsWith(`:${c.model}`))!;
      expect(cell, `${r.prompt.label} ${r.vars.scenario} ${r.provider.id}`).toBeDefined();
      expect(r.gradingResult.componentResults.map((c) => c.reason.split(':')[0])).toEqual(Object.keys(cell.grades));
      expect(Object.keys(cell.grades)).toContain('fingerprinted');
      expect(r.gradingResult.score).toBeCloseTo(cell.score!, 2);
      expect(r.gradingResult.pass).toBe(cell.pass);
    }

    const imported = await cli(['import', 'promptfoo', join(dir, 'promptfoo.json'), '--suite', suite, '--json'], root);
    expect(imported.stderr).not.toMatch(/not imported|internal error/);
    expect(imported.code).toBe(0);
    const importRun = JSON.parse(imported.stdout) as { runId: string; status: string; files: string[] };
    expect(importRun.status).toBe('complete');
    const importResults = JSON.parse(readFileSync(importRun.files[0]!, 'utf8')) as Results;
    const scores = (r: Results) => Object.fromEntries(r.cells.map((c) => [c.id, [c.status, c.score, c.pass]]));
    expect(scores(importResults)).toEqual(scores(ownResults));
    expect(importResults.totals).toMatchObject({ planned: 8, finished: 8, errors: 0 });
    expect(importResults.suite.description).toMatch(/\(imported from promptfoo: promptfoo\.json, eval eval-[\w:-]+\)$/);
    for (const f of importRun.files) expect(existsSync(f), f).toBe(true);

    // The gate: promptgate's run as the baseline, the imported promptfoo run as the candidate.
    // Identical scores on two scenarios: comparable and complete, too few to prove a pass.
    const baseline = join(dir, 'baseline.json');
    const update = await cli(['baseline', 'update', '--runs', join(dir, 'runs'), '--run', ownRun.runId, '--version', '1.2.0', '--out', baseline], root);
    expect(update.code, update.stderr).toBe(0);
    const gate = await cli(['gate', '--runs', join(dir, 'runs'), '--run', importRun.runId, '--baseline', baseline, '--version', '1.2.0', '--json'], root);
    expect(gate.stderr).not.toMatch(/internal error/);
    const verdict = JSON.parse(gate.stdout) as { status: string };
    expect(verdict.status, gate.stdout.slice(0, 1500)).toBe('inconclusive');
    expect(gate.code).toBe(4);
    expect(existsSync(join(dir, 'runs', importRun.runId, 'gate.json'))).toBe(true);
    console.log(`promptfoo round trip: ${Math.round(performance.now() - started)} ms, gate ${verdict.status}`);
  }, 120_000);

  it("imports a user's own promptfoo config: versions by their text, scenarios by their message, and says what did not map", async () => {
    const dir = tempDir();
    const version = readFileSync(join(root, 'prompts/pipeline-design-architect/1.2.0.md'), 'utf8').split('\n---\n').slice(1).join('\n---\n').replace(/\n$/, '');
    const messages = ['ecommerce-hybrid', 'startup-lean-analytics'].map((id) => /^message: ([\s\S]*?)^facts:/m.exec(readFileSync(join(root, 'datasets/scenarios', `${id}.yaml`), 'utf8'))![1]!);
    // A hand-written config: the whole prompt in one text prompt, gradeAll from the built entry.
    const config = join(dir, 'promptfooconfig.yaml');
    writeFileSync(
      config,
      stringify({
        prompts: [{ raw: `${version}\n\nRequirements:\n{{ request }}`, label: 'architect (ours)' }, { raw: 'Summarise in a line:\n{{ request }}', label: 'one-liner' }],
        providers: [{ id: 'openai:chat:gpt-5.6-terra', config: { max_tokens: 2000 } }],
        defaultTest: { assert: [{ type: 'javascript', value: `file://${join(root, 'lib/promptfoo.js')}:gradeAll`, config: { hard: ['sections'], passThreshold: 0.5 } }] },
        tests: messages.map((m) => ({ vars: { request: parseYaml(`m: ${m}`).m } })),
      }),
    );
    const pf = await promptfoo(['eval', '-c', config, '-o', join(dir, 'out.json'), '--no-cache', '--no-table', '--no-progress-bar', '--no-write'], { ...promptfooEnv(dir), OPENAI_API_KEY: TEST_KEYS.openai, OPENAI_BASE_URL: emu.openai.baseURL }, root);
    expect(existsSync(join(dir, 'out.json')), `${pf.stdout}\n${pf.stderr}`.slice(-2000)).toBe(true);
    const out = JSON.parse(readFileSync(join(dir, 'out.json'), 'utf8')) as { results: { results: Array<{ gradingResult: { reason: string; componentResults: Array<{ reason: string }>; namedScores: Record<string, number> } }> } };
    // gradeAll: promptgate's verdict, one component per grader (no scenario: the 11 general ones).
    for (const r of out.results.results) {
      expect(r.gradingResult.componentResults.map((c) => c.reason.split(':')[0])).toEqual(expect.arrayContaining(['sections', 'word-count', 'cost-table']));
      expect(Object.keys(r.gradingResult.namedScores)).not.toContain('requirements');
      expect(r.gradingResult.reason).toMatch(/hard grader failed: sections|score [\d.]+ [<≥]/);
    }
    const suite = join(dir, 'suite.yaml');
    writeFileSync(suite, `prompt: pipeline-design-architect\nversions: all\nmodels:\n  - { provider: openai, model: gpt-5.6-terra, label: GPT-5.6 Terra, api: chat }\nscenarios: all\nsamples: 1\nstore: ${join(dir, 'store')}\nout: ${join(dir, 'runs')}\n`);
    const imported = await cli(['import', 'promptfoo', join(dir, 'out.json'), '--suite', suite, '--json'], root);
    expect(imported.code, imported.stderr).toBe(0);
    expect(imported.stderr).toMatch(/^not imported: 2 result\(s\): prompt "one-liner": neither its label \(<prompt>@<version>\) nor its text is a version of pipeline-design-architect in the registry$/m);
    const run = JSON.parse(imported.stdout) as { files: string[] };
    const results = JSON.parse(readFileSync(run.files[0]!, 'utf8')) as Results;
    expect(results.cells.map((c) => `${c.version}|${c.scenario}|${c.provider}:${c.model}|${c.status}`).sort()).toEqual(['1.2.0|ecommerce-hybrid|openai:gpt-5.6-terra|ok', '1.2.0|startup-lean-analytics|openai:gpt-5.6-terra|ok']);
    // Graded by promptgate with the scenario it mapped to: the scenario-aware graders ran.
    expect(Object.keys(results.cells[0]!.grades)).toContain('requirements');
  }, 120_000);
});


/** What a request asked for, vendor-independent: the fields promptgate's runner sets. */
function requestShape(r: { path: string; model: string; system: string; user: string; maxTokens: number | null; body: Record<string, unknown> }): string {
  const { temperature, top_p, top_k } = r.body as Record<string, unknown>;
  return JSON.stringify({ path: r.path, model: r.model, system: r.system, user: r.user, maxTokens: r.maxTokens, temperature, top_p, top_k });
}
