// (a) promptgate and (b) promptfoo, end to end, on the same matrix against the same emulator:
// all prompt versions × scenarios × one OpenAI model × samples, the emulator answering every
// request after `latencyMs` with a short (~100-word) document unique to that request, each
// output graded by the same graders (all of graders/index.ts). Both are run as a user runs
// them — their CLI in a fresh child process — and timed from spawn to exit; runs alternate so
// that both see the same machine state, and the best of `rounds` counts for each. A third run
// sends the same requests through the official SDK alone (sdk-floor.mjs): the wall time no
// SDK-based tool can beat. Each run's CPU time (the tool's process, and the emulator's) is kept
// too: on a small machine the tool, the emulator and the floor's requests share the same cores.

import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadScenarios, selectScenarios } from '../../src/dataset/load.ts';
import { registryOrThrow, selectVersions } from '../../src/registry/load.ts';
import { planCells } from '../../src/runner/plan.ts';
import { loadSuite } from '../../src/suite/load.ts';
import { startEmulators } from '../../src/testing/emulators.ts';
import { bin, PROMPT, REPORTS_LINE, root, shortDocument, temp, timedNode, writeSuite } from './util.ts';
import { promptfooEnv } from '../../src/testing/promptfoo-env.ts';

export interface LiveSpec {
  scenarios: string[];
  samples: number;
  concurrency: number;
  latencyMs: number;
  rounds: number;
  /** Which to run (default all three); a quick look at one side while tuning it. */
  tools?: Tool[];
}

type Tool = 'promptgate' | 'promptfoo' | 'sdk-floor';

export interface LiveRun {
  cells: number;
  wallMs: number;
  /** Spawn → first request at the emulator: node, module loading, planning. */
  startupMs: number;
  /** First request → last answer sent. */
  requestsMs: number;
  requests: number;
  /** promptfoo only: its own stats.durationMs (the evaluation, without start-up and exit). */
  evalMs?: number;
  /** promptgate only: spawn → eval's "writing report…" line (results.json written). */
  reportsAtMs?: number;
  /** CPU time the tool's process used (all threads), and the emulator's in the same span. */
  cpuMs: number | null;
  emulatorCpuMs: number;
}

const KEY = 'bench-openai-key-not-a-real-one';
const MODEL = 'gpt-5.6-terra';

export async function measureLive(spec: LiveSpec): Promise<{ promptgate: LiveRun; promptfoo: LiveRun; floor: LiveRun; problems: string[] }> {
  let serial = 0;
  let first = 0;
  let last = 0;
  const emu = await startEmulators({
    latencyMs: spec.latencyMs,
    respond: (req) => {
      first ||= performance.now();
      last = performance.now() + spec.latencyMs;
      return { text: shortDocument(++serial, req.user) };
    },
  });
  const env = { OPENAI_API_KEY: KEY, OPENAI_BASE_URL: emu.openai.baseURL, ANTHROPIC_API_KEY: '' };
  const problems: string[] = [];
  const best: Partial<Record<Tool, LiveRun>> = {};
  try {
    const pf = promptfooProject(spec);
    for (let round = 0; round < spec.rounds; round++) {
      for (const tool of spec.tools ?? (['promptgate', 'promptfoo', 'sdk-floor'] as const)) {
        emu.reset();
        first = last = 0;
        const dir = temp(tool);
        // The emulator runs in this process: what it costs is CPU the child could not have.
        const cpuBefore = process.cpuUsage();
        const run =
          tool === 'promptgate'
            ? await timedNode([bin, 'eval', '--suite', writeSuite(dir, { scenarios: spec.scenarios, models: [{ model: MODEL, concurrency: spec.concurrency }], samples: spec.samples, store: join(dir, 'store'), out: join(dir, 'runs') }), '--json'], { env, rss: true, marks: { reports: REPORTS_LINE } })
            : tool === 'promptfoo'
              ? await timedNode([join(root, 'node_modules/promptfoo/dist/src/entrypoint.js'), 'eval', '-c', pf.config, '--no-cache', '--no-write', '--no-table', '--no-progress-bar', '-j', String(spec.concurrency), '--repeat', String(spec.samples), '-o', join(dir, 'out.json')], { env: { ...env, ...pf.env(dir) }, cwd: dir, rss: true })
              : await timedNode([join(import.meta.dirname, 'sdk-floor.mjs'), pf.requests, MODEL, String(spec.samples), String(spec.concurrency)], { env, rss: true });
        const cells = pf.cells;
        const emulatorUsed = process.cpuUsage(cpuBefore);
        const result: LiveRun = { cells, wallMs: run.wallMs, startupMs: first - run.startedAt, requestsMs: last - first, requests: emu.requests.length, cpuMs: run.cpuMs, emulatorCpuMs: (emulatorUsed.user + emulatorUsed.system) / 1000 };
        if (run.marks.reports !== undefined) result.reportsAtMs = run.marks.reports;
        if (tool === 'sdk-floor') {
          const out = run.code === 0 ? (JSON.parse(run.stdout) as { requests: number; failed: number }) : null;
          if (!out || out.failed || out.requests !== cells) problems.push(`sdk-floor: exit ${run.code}, ${JSON.stringify(out)}: ${run.stderr.slice(-400)}`);
        } else if (tool === 'promptgate') {
          const totals = run.code === 0 ? (JSON.parse(run.stdout) as { totals: { finished: number; ok: number } }).totals : null;
          if (!totals || totals.ok !== cells) problems.push(`promptgate: exit ${run.code}, ${totals?.ok ?? 0}/${cells} cells ok: ${run.stderr.slice(-400)}`);
        } else {
          const out = safeJson(join(dir, 'out.json')) as { results?: { stats?: { successes: number; failures: number; errors: number; durationMs?: number } } } | null;
          const stats = out?.results?.stats;
          if (!stats || stats.errors > 0 || stats.successes + stats.failures !== cells) problems.push(`promptfoo: exit ${run.code}, stats ${JSON.stringify(stats)}: ${run.stderr.slice(-400)}`);
          if (stats?.durationMs !== undefined) result.evalMs = stats.durationMs;
        }
        if (result.requests !== cells) problems.push(`${tool}: the emulator saw ${result.requests} requests for ${cells} cells`);
        if (!best[tool] || result.wallMs < best[tool].wallMs) best[tool] = result;
      }
    }
  } finally {
    await emu.close();
  }
  return { promptgate: best.promptgate!, promptfoo: best.promptfoo!, floor: best['sdk-floor']!, problems };
}

/** The same matrix as a promptfoo project: versions as prompts, scenarios as tests, samples as --repeat. */
function promptfooProject(spec: LiveSpec) {
  const dir = temp('promptfoo-project');
  const suite = loadSuite(writeSuite(dir, { scenarios: spec.scenarios, models: [{ model: MODEL, concurrency: spec.concurrency }], samples: 1, store: join(dir, 's'), out: join(dir, 'o') }));
  const cells = planCells(suite, selectVersions(registryOrThrow(join(root, 'prompts')), PROMPT, 'all'), selectScenarios(loadScenarios(join(root, 'datasets/scenarios')).scenarios, spec.scenarios.join(',')));
  const requests = Object.fromEntries(cells.map((c) => [`${c.version}|${c.scenario}`, { system: c.request.system, user: c.request.user, maxTokens: c.request.maxTokens }]));
  writeFileSync(join(dir, 'requests.json'), JSON.stringify(requests));
  const versions = [...new Set(cells.map((c) => c.version))];
  const config = join(dir, 'promptfooconfig.yaml');
  writeFileSync(
    config,
    [
      'description: promptgate runner benchmark',
      'prompts:',
      // A prompt that looks like a file name ("1.2.0") is read as one: dots become underscores.
      ...versions.map((v) => `  - 'version ${v.replaceAll('.', '_')}'`),
      'providers:',
      `  - id: file://${join(import.meta.dirname, 'promptfoo-provider.ts')}`,
      `    config: { requests: ${JSON.stringify(join(dir, 'requests.json'))}, model: ${MODEL} }`,
      'defaultTest:',
      '  assert:',
      `    - { type: javascript, value: 'file://${join(import.meta.dirname, 'promptfoo-assert.ts')}' }`,
      'tests:',
      ...spec.scenarios.map((s) => `  - vars: { scenario: ${s} }`),
      '',
    ].join('\n'),
  );
  return {
    config,
    requests: join(dir, 'requests.json'),
    cells: versions.length * spec.scenarios.length * spec.samples,
    env: promptfooEnv,
  };
}

function safeJson(file: string): unknown {
  try {
    return JSON.parse(readFileSync(file, 'utf8'));
  } catch {
    return null;
  }
}
