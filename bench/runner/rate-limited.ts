// (b) and (c) of the runner bench: runs bound by the providers' rate limits, not by harness work.
// Both against the emulators (src/testing/rate-limits.ts) with the real rate-limit headers,
// answers streamed at a model's pace, and long (~2,500-word) documents from the calibration set.
//
// A COMPRESSED CLOCK: the limits are per 6-second window instead of per minute, and latency and
// tokens per second are 10× a real model's (150 ms, 1,500 tokens/s), so a run that takes four
// minutes against a real API takes about 25 s here. promptgate is told with
// PROMPTGATE_RATE_WINDOW_MS=6000 (its pacer assumes the vendors' per-minute windows otherwise);
// promptfoo reads the same headers (reset times) and needs no telling.
//
// (b) 2 versions × 4 scenarios × 2 models × 4 samples = 64 cells, at most 8 in flight per
//     provider, Claude 20 requests + 40k output tokens (max_tokens reserved) per window, GPT 20
//     requests per window. Measured from the first request the emulator sees to the last answer
//     sent, against the ideal (ideal.ts) from the same start; and promptgate vs promptfoo end to end.
// (c) the same matrix with generous limits, run twice: once as it is, once with a storm — every
//     request answered 429 with retry-after: 1 for 20 s from 2 s after the first request. Time
//     lost = the storm run's wall time − the calm run's.

import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { sha256 } from '../../src/canonical.ts';
import { loadScenarios, selectScenarios } from '../../src/dataset/load.ts';
import { registryOrThrow, selectVersions } from '../../src/registry/load.ts';
import { planCells } from '../../src/runner/plan.ts';
import { loadSuite } from '../../src/suite/load.ts';
import { tokens } from '../../src/testing/emulator-core.ts';
import { startEmulators, type EmulatedRequest } from '../../src/testing/emulators.ts';
import type { EmulatorRateLimits } from '../../src/testing/rate-limits.ts';
import { idealMs, type IdealRequest } from './ideal.ts';
import { bin, PROMPT, root, temp, timedNode } from './util.ts';
import { promptfooEnv } from '../../src/testing/promptfoo-env.ts';

export const WINDOW_MS = 6000;
const LATENCY_MS = 150;
const TOKENS_PER_SECOND = 1500;
const IN_FLIGHT = 8;
const MODELS = [
  { vendor: 'anthropic' as const, model: 'claude-sonnet-5-5' },
  { vendor: 'openai' as const, model: 'gpt-5.6-terra' },
];
export const LIMITS: EmulatorRateLimits = {
  anthropic: { windowMs: WINDOW_MS, requests: 20, inputTokens: 400_000, outputTokens: 40_000 },
  openai: { windowMs: WINDOW_MS, requests: 20, tokens: 1_000_000 },
};
const GENEROUS: EmulatorRateLimits = {
  anthropic: { windowMs: WINDOW_MS, requests: 1000, inputTokens: 10_000_000, outputTokens: 10_000_000 },
  openai: { windowMs: WINDOW_MS, requests: 1000, tokens: 10_000_000 },
};
const KEYS = { ANTHROPIC_API_KEY: 'bench-anthropic-key-not-a-real-one', OPENAI_API_KEY: 'bench-openai-key-not-a-real-one' };

export interface Matrix {
  scenarios: string[];
  samples: number;
}

export interface ToolRun {
  wallMs: number;
  /** First request at the emulator → the last answer's end. */
  requestsMs: number;
  requests: number;
  /** Answered 429 by the buckets. */
  limited: number;
  /** Cells that ended as errors (promptgate) or errors (promptfoo). */
  lost: number;
  cells: number;
}

const documents = readdirSync(join(root, 'datasets/calibration'))
  .filter((f) => f.endsWith('.md'))
  .map((f) => readFileSync(join(root, 'datasets/calibration', f), 'utf8'))
  .filter((t) => t.split(/\s+/).length >= 2000);

/** The answer to a request: a long document chosen by the request, marked unique per answer (same length). */
const answerFor = (req: Pick<EmulatedRequest, 'model' | 'system' | 'user'>, serial: number) =>
  `${documents[Number.parseInt(sha256(`${req.model}\n${req.system}\n${req.user}`).slice(0, 8), 16) % documents.length]!}\n\n<!-- answer ${String(serial).padStart(6, '0')} -->\n`;
const durationOf = (text: string) => LATENCY_MS + (tokens(text) / TOKENS_PER_SECOND) * 1000;

interface Plan {
  cells: number;
  ideal: IdealRequest[];
  requestsFile: string;
  versions: string[];
}

function plan(m: Matrix): Plan {
  const dir = temp('rate-plan');
  const suite = loadSuite(writeSuite(dir, m));
  const cells = planCells(suite, selectVersions(registryOrThrow(join(root, 'prompts')), PROMPT, 'all'), selectScenarios(loadScenarios(join(root, 'datasets/scenarios')).scenarios, m.scenarios.join(',')));
  const requestsFile = join(dir, 'requests.json');
  writeFileSync(requestsFile, JSON.stringify(Object.fromEntries(cells.map((c) => [`${c.version}|${c.scenario}`, { system: c.request.system, user: c.request.user, maxTokens: c.request.maxTokens }]))));
  const ideal = cells.map((c) => {
    const vendor = c.model.provider as 'anthropic' | 'openai';
    return { vendor, model: c.model.model, input: tokens(c.request.system) + tokens(c.request.user), maxTokens: c.request.maxTokens, output: tokens(answerFor({ model: c.model.model, system: c.request.system, user: c.request.user }, 0)) };
  });
  return { cells: cells.length, ideal, requestsFile, versions: [...new Set(cells.map((c) => c.version))] };
}

function writeSuite(dir: string, m: Matrix): string {
  const file = join(dir, 'suite.yaml');
  const models = MODELS.map((x) => `  - { provider: ${x.vendor}, model: ${x.model}, concurrency: ${IN_FLIGHT} }`).join('\n');
  writeFileSync(file, `prompt: ${PROMPT}\nversions: all\nmodels:\n${models}\nscenarios: ${m.scenarios.join(',')}\nsamples: ${m.samples}\nstore: ${join(dir, 'store')}\nout: ${join(dir, 'runs')}\nreferences: false\n`);
  return file;
}

/** One tool's run against fresh emulators; `storm` scripts 429s for that long from 2 s after the first request. */
async function runTool(tool: 'promptgate' | 'promptfoo', m: Matrix, p: Plan, limits: EmulatorRateLimits, storm?: { ms: number }): Promise<ToolRun> {
  const arrivals: number[] = [];
  let serial = 0;
  const ends: number[] = [];
  const emu = await startEmulators({
    latencyMs: LATENCY_MS,
    tokensPerSecond: TOKENS_PER_SECOND,
    rateLimits: limits,
    respond: (req) => {
      const now = performance.now();
      arrivals.push(now);
      if (storm && now >= arrivals[0]! + 2000 && now < arrivals[0]! + 2000 + storm.ms) return { status: 429, retryAfterMs: 1000 };
      const text = answerFor(req, ++serial);
      ends[emu.requests.length - 1] = now + durationOf(text);
      return { text };
    },
  });
  const dir = temp(`rate-${tool}`);
  const env = { ...KEYS, ANTHROPIC_BASE_URL: emu.anthropic.baseURL, OPENAI_BASE_URL: emu.openai.baseURL, PROMPTGATE_RATE_WINDOW_MS: String(WINDOW_MS) };
  try {
    let lost: number;
    let wallMs: number;
    if (tool === 'promptgate') {
      const run = await timedNode([bin, 'eval', '--suite', writeSuite(dir, m), '--json'], { env });
      wallMs = run.wallMs;
      const totals = run.code === 0 || run.code === 1 ? (JSON.parse(run.stdout || 'null') as { totals?: { ok: number; errors: number } } | null)?.totals : null;
      lost = totals ? p.cells - totals.ok : p.cells;
      if (!totals) throw new Error(`promptgate: exit ${run.code}: ${run.stderr.slice(-400)}`);
    } else {
      const config = promptfooConfig(dir, p, m);
      const run = await timedNode([join(root, 'node_modules/promptfoo/dist/src/entrypoint.js'), 'eval', '-c', config, '--no-cache', '--no-write', '--no-table', '--no-progress-bar', '-j', String(IN_FLIGHT), '--repeat', String(m.samples), '-o', join(dir, 'out.json')], { env: { ...env, ...promptfooEnv(dir) }, cwd: dir });
      wallMs = run.wallMs;
      const stats = (JSON.parse(readFileSync(join(dir, 'out.json'), 'utf8')) as { results: { stats: { errors: number } } }).results.stats;
      lost = stats.errors;
    }
    const limited = emu.requests.filter((r) => r.limited).length;
    const answered = ends.filter((e) => e !== undefined);
    // The last answer's end: of the requests the buckets let through.
    const lastEnd = Math.max(...emu.requests.map((r, i) => (r.limited ? -Infinity : (ends[i] ?? -Infinity))));
    return { wallMs, requestsMs: answered.length ? lastEnd - arrivals[0]! : 0, requests: emu.requests.length, limited, lost, cells: p.cells };
  } finally {
    await emu.close();
  }
}

function promptfooConfig(dir: string, p: Plan, m: Matrix): string {
  const config = join(dir, 'promptfooconfig.yaml');
  const provider = join(import.meta.dirname, 'promptfoo-provider.ts');
  writeFileSync(
    config,
    [
      'description: promptgate rate-limited benchmark',
      'prompts:',
      ...p.versions.map((v) => `  - 'version ${v.replaceAll('.', '_')}'`),
      'providers:',
      ...MODELS.map((x) => `  - id: file://${provider}\n    label: ${x.vendor}\n    config: { requests: ${JSON.stringify(p.requestsFile)}, model: ${x.model}, provider: ${x.vendor} }`),
      'defaultTest:',
      '  assert:',
      `    - { type: javascript, value: 'file://${join(import.meta.dirname, 'promptfoo-assert.ts')}' }`,
      'tests:',
      ...m.scenarios.map((s) => `  - vars: { scenario: ${s} }`),
      '',
    ].join('\n'),
  );
  return config;
}

export interface RateLimitedResult {
  idealMs: number;
  promptgate: ToolRun;
  promptfoo: ToolRun;
}

/** (b): promptgate, then promptfoo, on the rate-limited matrix; and the ideal. */
export async function measureRateLimited(m: Matrix): Promise<RateLimitedResult> {
  const p = plan(m);
  const ideal = idealMs(p.ideal, LIMITS, { latencyMs: LATENCY_MS, tokensPerSecond: TOKENS_PER_SECOND }, IN_FLIGHT);
  const promptgate = await runTool('promptgate', m, p, LIMITS);
  const promptfoo = await runTool('promptfoo', m, p, LIMITS);
  return { idealMs: ideal, promptgate, promptfoo };
}

export interface StormResult {
  stormMs: number;
  calm: ToolRun;
  storm: ToolRun;
}

/** (c): promptgate on generous limits, calm and with a storm of `stormMs`. */
export async function measureStorm(m: Matrix, stormMs: number): Promise<StormResult> {
  const p = plan(m);
  const calm = await runTool('promptgate', m, p, GENEROUS);
  const storm = await runTool('promptgate', m, p, GENEROUS, { ms: stormMs });
  return { stormMs, calm, storm };
}
