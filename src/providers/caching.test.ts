// Prompt caching, verified against the emulators with the real minimum (1,024 tokens): a long
// system prompt is marked for caching on Claude, written once and read afterwards on both
// providers, and the read tokens are priced at the cache-read price; a short one is plain input.
// And the rate-limit headers, read back from what the emulators send.

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { root } from '../testing/cli.ts';
import { RateLimiter } from '../testing/rate-limits.ts';
import { useEmulators } from '../testing/use-emulators.ts';
import { cachedInput, minCacheableTokens, uncachedNotes } from './caching.ts';
import { createProvider } from './index.ts';
import { costUsd, priceOf } from './prices.ts';
import { bucketsOf, goDuration } from './rate-headers.ts';
import type { Provider } from './types.ts';

const emu = useEmulators({ minCacheableTokens: 1024 });
const prompt = (v: string) => readFileSync(join(root, `prompts/pipeline-design-architect/${v}.md`), 'utf8').replace(/^---[\s\S]*?---\n/, '');
const long = prompt('1.2.0'); // ~1,570 tokens
const short = prompt('1.1.0'); // ~810 tokens

const providers = (): Array<[string, Provider]> => [
  ['claude-sonnet-5-5', createProvider({ provider: 'anthropic', apiKey: 'sk-ant-test-0001', baseURL: emu.anthropic.baseURL, timeoutMs: 10_000 })],
  ['gpt-5.6-terra', createProvider({ provider: 'openai', apiKey: 'sk-openai-test-0002', baseURL: emu.openai.baseURL, timeoutMs: 10_000 })],
];

it('a system prompt over the minimum is marked for caching (Claude), written once, then read and priced as a cache read (both)', async () => {
  for (const [model, p] of providers()) {
    const first = await p.complete({ model, system: long, user: 'Design a pipeline.', maxTokens: 500 });
    const second = await p.complete({ model, system: long, user: 'Design another.', maxTokens: 500 });
    const system = Math.ceil(long.length / 4);
    expect(system).toBeGreaterThanOrEqual(1024);
    expect(first.usage).toMatchObject({ cacheWrite: system, cacheRead: 0 });
    expect(second.usage).toMatchObject({ cacheRead: system, cacheWrite: 0 });
    const price = priceOf(model)!;
    expect(price.cacheRead).toBeLessThan(price.input);
    const u = second.usage;
    expect(costUsd(u, price)).toBeCloseTo((u.input * price.input + u.output * price.output + system * price.cacheRead!) / 1e6, 6);
  }
  const claude = emu.requests.find((r) => r.vendor === 'anthropic')!;
  expect(claude.body.system).toEqual([{ type: 'text', text: long, cache_control: { type: 'ephemeral' } }]);
});

it('a system prompt under the minimum is never cached: plain input every time, and the dry run says so', async () => {
  for (const [model, p] of providers()) {
    await p.complete({ model, system: short, user: 'Design a pipeline.', maxTokens: 500 });
    const again = await p.complete({ model, system: short, user: 'Design another.', maxTokens: 500 });
    expect(again.usage).toMatchObject({ cacheRead: 0, cacheWrite: 0 });
    expect(again.usage.input).toBeGreaterThan(Math.ceil(short.length / 4));
  }
  const cell = (version: string, system: string) => ({ version, model: { provider: 'anthropic', model: 'claude-sonnet-5-5', label: 'Claude Sonnet 5.5' }, request: { system } });
  const notes = uncachedNotes([cell('1.1.0', short), cell('1.1.0', short), cell('1.2.0', long)]);
  expect(notes).toMatch(/1\.1\.0 on Claude Sonnet 5\.5: the system prompt is ~8\d\d tokens, under the 1,024 the model caches/);
  expect(notes).not.toMatch(/1\.2\.0/);
  expect(uncachedNotes([cell('1.2.0', long)])).toBe('');
  expect(minCacheableTokens('anthropic', 'claude-haiku-4-5')).toBe(4096);
  expect(minCacheableTokens('openai-compatible', 'llama')).toBeNull();
});

it('the summary shows the share of input read from the cache per version and model', () => {
  const c = (version: string, label: string, input: number, cacheRead: number, cacheWrite: number) => ({ version, label, usage: { input, cacheRead, cacheWrite } });
  const cells = [c('1.2.0', 'GPT', 100, 0, 1500), c('1.2.0', 'GPT', 100, 1500, 0), c('1.2.0', 'GPT', 100, 1500, 0), c('1.1.0', 'GPT', 900, 0, 0)];
  expect(cachedInput(cells, '1.2.0', 'GPT')).toBe('63% (3.0k)');
  expect(cachedInput(cells, '1.1.0', 'GPT')).toBe('0% (0)');
  expect(cachedInput(cells, '9.9.9', 'GPT')).toBe('–');
});

it('reads the rate-limit headers the emulators send, in both dialects', () => {
  expect([goDuration('6m0s'), goDuration('1s'), goDuration('120ms'), goDuration('1h2m3.5s'), goDuration('2'), goDuration('soon')]).toEqual([360_000, 1000, 120, 3_723_500, 2000, null]);
  let now = 1_800_000_000_000;
  const limiter = new RateLimiter({ anthropic: { requests: 50, inputTokens: 30_000, outputTokens: 8000 }, openai: { requests: 500, tokens: 200_000 } }, () => now);
  limiter.admit('anthropic', 'm', 1000, 4000);
  limiter.admit('openai', 'm', 1000, 4000);
  const a = bucketsOf(limiter.headers('anthropic', 'm'), now);
  expect(a).toEqual([
    { kind: 'requests', limit: 50, remaining: 49, resetAt: now + 1200, precise: true },
    { kind: 'input', limit: 30_000, remaining: 29_000, resetAt: now + 2000, precise: true },
    { kind: 'output', limit: 8000, remaining: 4000, resetAt: now + 30_000, precise: true },
  ]);
  const o = bucketsOf(limiter.headers('openai', 'm'), now);
  expect(o).toEqual([
    { kind: 'requests', limit: 500, remaining: 499, resetAt: now + 120, precise: true },
    { kind: 'tokens', limit: 200_000, remaining: 195_000, resetAt: now + 1500, precise: true },
  ]);
  now += 15_000; // half the output bucket's refill time
  expect(bucketsOf(limiter.headers('anthropic', 'm'), now).find((b) => b.kind === 'output')).toMatchObject({ remaining: 6000, resetAt: now + 15_000 });
  expect(bucketsOf({ 'x-ratelimit-limit-tokens': '-1', 'x-ratelimit-remaining-tokens': '-1', 'x-ratelimit-reset-tokens': '0s' })).toEqual([]);
});
