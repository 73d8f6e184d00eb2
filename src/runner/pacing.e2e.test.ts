// Pacing against the emulators' rate limits (src/testing/rate-limits.ts), through execute() and
// the real SDKs: with the headers, a small matrix is never answered 429 and nothing is sent
// twice; without them (a compatible server), the 429 path (retry-after, halving) still finishes
// every cell; a storm of 429s loses no cell, and only the rate-limit budget (wall time, not a
// count) fails one. The clock is compressed (limits per second) so each test takes seconds.

import { join } from 'node:path';
import { afterEach, beforeAll, expect, it } from 'vitest';
import { DEFAULT_POLICY } from '../../graders/grade.ts';
import { scenariosOrThrow } from '../dataset/load.ts';
import { createProvider } from '../providers/index.ts';
import type { Provider } from '../providers/types.ts';
import { registryOrThrow } from '../registry/load.ts';
import type { Suite } from '../suite/schema.ts';
import { root } from '../testing/cli.ts';
import { startEmulators, type EmulatorOptions, type Emulators } from '../testing/emulators.ts';
import { TEST_KEYS } from '../testing/eval-cli.ts';
import { execute } from './execute.ts';
import { MemoryGradeCache } from './grade-cache.ts';
import { gradeOutput } from './grade-worker.ts';
import { planCells } from './plan.ts';
import { DEFAULT_RETRY, type RetryPolicy } from './retry.ts';
import { MemoryStore } from './store.ts';

// Limits per 2 s: long enough that a busy test process (the emulator shares its event loop)
// does not hold a request back for a whole window between the pacer and the server.
const WINDOW_MS = 2000;
let emu: Emulators | null = null;
afterEach(async () => void (await emu?.close(), (emu = null)));
// Grading's modules load on the first grade (a second of a blocked event loop): before, not mid-run.
beforeAll(() => void gradeOutput({ text: '# warm-up\n', scenario: scenarios[0]!, policy: DEFAULT_POLICY }));

const suite = {
  prompt: 'pipeline-design-architect',
  versions: 'all',
  models: [
    { provider: 'anthropic', model: 'claude-sonnet-5-5', concurrency: 8 },
    { provider: 'openai', model: 'gpt-5.6-terra', concurrency: 8 },
  ],
  scenarios: 'all',
  samples: 3,
} as Suite;
const scenarios = scenariosOrThrow(join(root, 'datasets/scenarios')).slice(0, 2);
const cells = planCells(suite, registryOrThrow(join(root, 'prompts')), scenarios); // 2 versions × 2 scenarios × 2 models × 3 samples

async function run(options: EmulatorOptions, retry: RetryPolicy = DEFAULT_RETRY) {
  emu = await startEmulators(options);
  const providers = new Map<string, Provider>([
    ['anthropic:claude-sonnet-5-5', createProvider({ provider: 'anthropic', apiKey: TEST_KEYS.anthropic, baseURL: emu.anthropic.baseURL, timeoutMs: 30_000 })],
    ['openai:gpt-5.6-terra', createProvider({ provider: 'openai', apiKey: TEST_KEYS.openai, baseURL: emu.openai.baseURL, timeoutMs: 30_000 })],
  ]);
  const started = Date.now();
  const execution = await execute({
    cells,
    providers,
    store: new MemoryStore(),
    scenarios: new Map(scenarios.map((s) => [s.id, s])),
    policy: DEFAULT_POLICY,
    retry,
    stop: new AbortController().signal,
    signal: new AbortController().signal,
    record: () => {},
    grades: new MemoryGradeCache(),
    workers: 0,
    rateWindowMs: WINDOW_MS,
  });
  const limited = emu.requests.filter((r) => r.limited).length;
  return { execution, ms: Date.now() - started, limited, requests: emu.requests.length, statuses: execution.results.map((r) => r.status) };
}

// Per window: 4 requests and 20,000 output tokens for Claude (max_tokens 8,192 reserved at
// admission: two at once), 5 requests for GPT. 12 cells each.
const LIMITS = {
  anthropic: { windowMs: WINDOW_MS, requests: 4, inputTokens: 100_000, outputTokens: 20_000 },
  openai: { windowMs: WINDOW_MS, requests: 5, tokens: 200_000 },
};

it('with the rate-limit headers: no request is answered 429, none is sent twice, and the limits are what takes the time', async () => {
  const r = await run({ rateLimits: LIMITS, latencyMs: 30, tokensPerSecond: 2000 });
  expect(r.statuses.filter((s) => s !== 'ok'), JSON.stringify(r.execution.results.find((c) => c.status !== 'ok'))).toEqual([]);
  expect(r.limited).toBe(0);
  expect(r.requests).toBe(cells.length);
  // Claude's 12 requests at 4 a window with a bucket of 4: at least two windows (8 refilled).
  expect(r.ms).toBeGreaterThanOrEqual(2 * WINDOW_MS - 100);
}, 30_000);

it('without the headers (a compatible server): 429s are answered by retry-after and halving, and every cell finishes', async () => {
  const headerless = { anthropic: { ...LIMITS.anthropic, headers: false }, openai: { ...LIMITS.openai, headers: false } };
  const r = await run({ rateLimits: headerless, latencyMs: 30, tokensPerSecond: 2000 });
  expect(r.limited).toBeGreaterThan(0); // blind: the buckets are found by hitting them
  expect(r.statuses.filter((s) => s !== 'ok')).toEqual([]);
  expect(r.requests).toBe(cells.length + r.limited);
}, 60_000);

it('a storm of 429s longer than five retries loses no cell; only the rate-limit budget (wall time) fails one', async () => {
  const storm = (ms: number): EmulatorOptions => {
    const until = Date.now() + ms;
    return { rateLimits: LIMITS, latencyMs: 20, respond: () => (Date.now() < until ? { status: 429, retryAfterMs: 100 } : undefined) };
  };
  // 1.5 s of 429s every 100 ms: 15 answers 429 per cell, three times the five attempts other errors get.
  const r = await run(storm(1500));
  expect(r.statuses.filter((s) => s !== 'ok')).toEqual([]);
  expect(r.requests).toBeGreaterThan(cells.length);
  await emu!.close();
  const short = await run(storm(1500), { ...DEFAULT_RETRY, rateLimitBudgetMs: 300 });
  const failed = short.execution.results.filter((c) => c.status === 'error');
  expect(failed.length).toBeGreaterThan(0);
  expect(failed[0]!.error).toMatch(/rate_limit \(HTTP 429\)/);
}, 60_000);
