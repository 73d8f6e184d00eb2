// The idle limit (call.ts): a connection that goes silent mid-answer is given up as a retryable
// timeout long before the total deadline, while an answer that is merely slow to start — a
// non-streamed OpenAI call is silent while the model writes — is left alone. Through the real
// SDKs against the emulators, whose replies stall or reset mid-answer.

import { describe, expect, it } from 'vitest';
import type { Reply } from '../testing/emulators.ts';
import { useEmulators } from '../testing/use-emulators.ts';
import { createProvider } from './index.ts';
import { ProviderError, type Provider } from './types.ts';

const emu = useEmulators();

type Target = 'anthropic' | 'openai responses' | 'openai chat';
const IDLE_MS = 400;
// A total deadline far beyond the idle limit: only the idle limit can end these calls quickly.
function provider(target: Target): Provider {
  const common = { timeoutMs: 30_000, idleTimeoutMs: IDLE_MS };
  if (target === 'anthropic') return createProvider({ provider: 'anthropic', apiKey: 'test-key-idle-a', baseURL: emu.anthropic.baseURL, ...common });
  return createProvider({ provider: 'openai', api: target === 'openai chat' ? 'chat' : 'responses', apiKey: 'test-key-idle-o', baseURL: emu.openai.baseURL, ...common });
}
const call = (t: Target) => provider(t).complete({ model: t === 'anthropic' ? 'claude-sonnet-5-5' : 'gpt-5.5', system: 'sys', user: 'Design a pipeline.', maxTokens: 4000 });

async function timed(promise: Promise<unknown>): Promise<{ error: unknown; ms: number }> {
  const started = performance.now();
  const error = await promise.then(() => null, (e: unknown) => e);
  return { error, ms: performance.now() - started };
}

describe.each(['anthropic', 'openai responses', 'openai chat'] as Target[])('%s', (target) => {
  it('gives a stream that stalls mid-answer up after the idle limit, as a retryable timeout', async () => {
    emu.respond = () => ({ stallStream: true }) as Reply;
    const { error, ms } = await timed(call(target));
    expect(error).toBeInstanceOf(ProviderError);
    expect((error as ProviderError).kind).toBe('timeout');
    expect((error as ProviderError).retryable).toBe(true);
    expect((error as ProviderError).message).toMatch(/went silent \(no data for 0.4 s\)/);
    expect(ms).toBeGreaterThanOrEqual(IDLE_MS - 20);
    expect(ms).toBeLessThan(IDLE_MS + 1500);
  });

  it('reports half an answer then a reset connection as a retryable network error', async () => {
    emu.respond = () => ({ resetStream: true }) as Reply;
    const { error } = await timed(call(target));
    expect(error).toBeInstanceOf(ProviderError);
    expect((error as ProviderError).kind).toBe('network');
  });

  it('never cuts a slow but live answer: each silence shorter than the limit, all of them together longer', async () => {
    // Half the limit before the first byte, then three quarters of it mid-answer: 1.25× the limit
    // in all, so the call only survives because every byte re-arms the limit.
    emu.respond = () => ({ pausedStream: IDLE_MS * 0.75, delayMs: IDLE_MS * 0.5 });
    const { error, ms } = await timed(call(target));
    expect(error).toBeNull();
    expect(ms).toBeGreaterThan(IDLE_MS * 1.2);
  });

  it('leaves a slow answer alone as long as bytes keep coming or the headers have not come yet', async () => {
    // Twice the idle limit before the response starts: only a streamed call (Anthropic) counts that.
    emu.respond = () => ({ text: '# Slow\n\nbut complete', delayMs: IDLE_MS * 2 });
    const { error } = await timed(call(target));
    if (target === 'anthropic') expect((error as ProviderError).kind).toBe('timeout');
    else expect(error).toBeNull();
  });
});
