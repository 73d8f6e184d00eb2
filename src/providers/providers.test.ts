// The providers through the REAL SDKs against the local emulators: what goes on the wire, how
// answers and usage come back, and how every scripted fault becomes a ProviderError (or, for
// an abort, an AbortError). Each call makes exactly one request: the SDKs' retries are off.

import { describe, expect, it } from 'vitest';
import { defaultText, startEmulators, type Reply } from '../testing/emulators.ts';
import { useEmulators } from '../testing/use-emulators.ts';
import { httpFailure, retryAfterMs } from './call.ts';
import { createProvider } from './index.ts';
import { ProviderError, type GenerationRequest, type Provider, type ProviderConfig } from './types.ts';

const ANTHROPIC_KEY = 'sk-ant-test-0001';
const OPENAI_KEY = 'sk-openai-test-0002';
const request: GenerationRequest = { model: 'claude-sonnet-5-5', system: 'You are a pipeline architect.', user: 'Design an ingestion pipeline.', maxTokens: 4000 };

const emu = useEmulators();

type Target = 'anthropic' | 'openai responses' | 'openai chat';
const TARGETS: Target[] = ['anthropic', 'openai responses', 'openai chat'];

function provider(target: Target, extra: Partial<ProviderConfig> = {}): Provider {
  if (target === 'anthropic') return createProvider({ provider: 'anthropic', apiKey: ANTHROPIC_KEY, baseURL: emu.anthropic.baseURL, timeoutMs: 2000, ...extra });
  const api = target === 'openai chat' ? 'chat' : 'responses';
  return createProvider({ provider: 'openai', api, apiKey: OPENAI_KEY, baseURL: emu.openai.baseURL, timeoutMs: 2000, ...extra });
}
const modelFor = (t: Target) => (t === 'anthropic' ? 'claude-sonnet-5-5' : 'gpt-5.5');
const complete = (t: Target, extra: Partial<GenerationRequest> = {}, config: Partial<ProviderConfig> = {}) =>
  provider(t, config).complete({ ...request, model: modelFor(t), ...extra });

async function failure(promise: Promise<unknown>): Promise<ProviderError> {
  const error = await promise.then(() => null, (e: unknown) => e);
  expect(error).toBeInstanceOf(ProviderError);
  return error as ProviderError;
}
const script = (reply: Reply) => (emu.respond = () => reply);

describe('anthropic (streamed)', () => {
  it('returns the text, the stop reason and usage with cache write then cache read', async () => {
    const first = await complete('anthropic');
    expect(first).toMatchObject({ text: defaultText(request), stopReason: 'end', rawStopReason: 'end_turn', model: 'claude-sonnet-5-5' });
    expect(first.usage).toEqual({ input: 8, output: expect.any(Number), cacheRead: 0, cacheWrite: 8 });
    expect(first.latencyMs).toBeGreaterThanOrEqual(0);
    const second = await complete('anthropic');
    expect(second.usage).toMatchObject({ input: 8, cacheRead: 8, cacheWrite: 0 });
    expect(second.text).toBe(first.text);
  });

  it('sends a streamed request with a cached system block, one user message and the key as Bearer', async () => {
    await complete('anthropic');
    const [sent] = emu.requests;
    expect(sent!.body).toEqual({
      model: 'claude-sonnet-5-5',
      max_tokens: 4000,
      system: [{ type: 'text', text: request.system, cache_control: { type: 'ephemeral' } }],
      messages: [{ role: 'user', content: request.user }],
      stream: true,
    });
    expect(sent!.headers).toMatchObject({ authorization: `Bearer ${ANTHROPIC_KEY}`, 'anthropic-version': '2026-10-21', 'x-stainless-retry-count': '0' });
    expect(sent!.apiKey).toBe(ANTHROPIC_KEY);
  });

  it('never sends temperature, which the emulator (like API 2026-10-21) rejects', async () => {
    const raw = await fetch(`${emu.anthropic.baseURL}/v1/messages`, {
      method: 'POST',
      headers: { 'x-api-key': 'k', 'anthropic-version': '2026-10-21', 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'm', max_tokens: 10, messages: [{ role: 'user', content: 'hi' }], temperature: 0 }),
    });
    expect(raw.status).toBe(400);
    expect(await raw.json()).toMatchObject({ type: 'error', error: { type: 'invalid_request_error' } });

    const done = await complete('anthropic', { temperature: 0.7 });
    expect(done.stopReason).toBe('end');
    expect(emu.requests.at(-1)!.body).not.toHaveProperty('temperature');
  });

  it('maps scripted usage, max_tokens and refusal', async () => {
    script({ text: 'partial', stopReason: 'max_tokens', usage: { input: 10, output: 20, cacheRead: 30, cacheWrite: 40 } });
    expect(await complete('anthropic')).toMatchObject({ text: 'partial', stopReason: 'max_tokens', rawStopReason: 'max_tokens', usage: { input: 10, output: 20, cacheRead: 30, cacheWrite: 40 } });
    script({ text: 'I cannot help with that.', stopReason: 'refusal' });
    expect(await complete('anthropic')).toMatchObject({ stopReason: 'refusal', rawStopReason: 'refusal' });
  });

  it('reports max_tokens when the answer does not fit', async () => {
    const done = await complete('anthropic', { maxTokens: 10 });
    expect(done).toMatchObject({ stopReason: 'max_tokens', usage: { output: 10 } });
    expect(done.text).toHaveLength(40);
  });

  it('turns an overloaded_error event mid-stream into overloaded', async () => {
    script({ streamError: 'overloaded_error' });
    expect((await failure(complete('anthropic'))).kind).toBe('overloaded');
  });

  it('turns a stream cut before message_stop into network', async () => {
    script({ cutStream: true });
    expect((await failure(complete('anthropic'))).kind).toBe('network');
  });

  it('refuses to run without a key instead of searching for credentials', async () => {
    const error = await failure(complete('anthropic', {}, { apiKey: undefined }));
    expect([error.kind, error.retryable]).toEqual(['auth', false]);
    expect(emu.requests).toHaveLength(0);
  });
});

describe('openai', () => {
  it('responses: sends instructions, input, max_output_tokens, temperature and the key', async () => {
    const done = await complete('openai responses', { temperature: 0.2 });
    expect(done).toMatchObject({ text: defaultText({ ...request, model: 'gpt-5.5' }), stopReason: 'end', rawStopReason: 'completed', model: 'gpt-5.5' });
    const [sent] = emu.requests;
    expect(sent!.path).toBe('/v1/responses');
    expect(sent!.body).toEqual({ model: 'gpt-5.5', instructions: request.system, input: request.user, max_output_tokens: 4000, temperature: 0.2, store: false });
    expect(sent!.headers.authorization).toBe(`Bearer ${OPENAI_KEY}`);
  });

  it('chat: sends a developer message, the user message and max_completion_tokens', async () => {
    expect(await complete('openai chat')).toMatchObject({ stopReason: 'end', rawStopReason: 'stop' });
    expect(emu.requests[0]!.body).toEqual({
      model: 'gpt-5.5',
      messages: [{ role: 'developer', content: request.system }, { role: 'user', content: request.user }],
      max_completion_tokens: 4000,
    });
  });

  it.each(['openai responses', 'openai chat'] as const)('%s: input excludes cached and cache-written tokens', async (t) => {
    const first = await complete(t);
    expect(first.usage).toMatchObject({ input: 8, cacheRead: 0, cacheWrite: 8 });
    expect((await complete(t)).usage).toMatchObject({ input: 8, cacheRead: 8, cacheWrite: 0 });
    // The wire says input_tokens 2500 of which 2000 read and 400 written: 100 were neither.
    script({ text: 'x', usage: { input: 100, output: 300, cacheRead: 2000, cacheWrite: 400 } });
    expect((await complete(t)).usage).toEqual({ input: 100, output: 300, cacheRead: 2000, cacheWrite: 400 });
  });

  it.each([
    ['openai responses', 'max_tokens', 'max_output_tokens'],
    ['openai chat', 'max_tokens', 'length'],
    ['openai responses', 'refusal', 'refusal'],
    ['openai chat', 'refusal', 'stop'],
  ] as const)('%s: %s (raw %s)', async (t, stopReason, raw) => {
    script({ text: 'No.', stopReason });
    expect(await complete(t)).toMatchObject({ stopReason, rawStopReason: raw, text: 'No.' });
  });

  it('openai-compatible: a placeholder key, the system role and max_tokens', async () => {
    const local = createProvider({ provider: 'openai-compatible', api: 'chat', baseURL: emu.openai.baseURL, timeoutMs: 2000 });
    expect(local.id).toBe('openai-compatible');
    expect((await local.complete({ ...request, model: 'llama3.3' })).stopReason).toBe('end');
    expect(emu.requests[0]!.apiKey).toBe('not-needed');
    expect(emu.requests[0]!.body).toMatchObject({ messages: [{ role: 'system' }, { role: 'user' }], max_tokens: 4000 });
  });
});

describe.each(TARGETS)('%s faults', (target) => {
  it.each([
    [{ status: 429, retryAfterMs: 1500 }, 'rate_limit', 1500],
    [{ status: 500 }, 'server', undefined],
    [{ status: 529 }, 'overloaded', undefined],
    [{ status: 503 }, 'overloaded', undefined],
    [{ status: 401 }, 'auth', undefined],
    [{ status: 400 }, 'bad_request', undefined],
    [{ malformed: true }, 'malformed', undefined],
    [{ cutStream: true }, 'network', undefined],
  ] as Array<[Reply, string, number | undefined]>)('%j → %s', async (reply, kind, retryAfter) => {
    script(reply);
    const error = await failure(complete(target));
    expect({ kind: error.kind, retryAfterMs: error.retryAfterMs }).toEqual({ kind, retryAfterMs: retryAfter });
    expect(error.retryable).toBe(kind !== 'auth' && kind !== 'bad_request');
    expect(emu.requests).toHaveLength(1); // the SDK did not retry on its own
    expect(error.message).not.toContain(target === 'anthropic' ? ANTHROPIC_KEY : OPENAI_KEY);
  });

  // The SDKs' own timeout stops at the response headers; a stall after them needs the provider's deadline.
  it.each([{ hang: true }, { stallStream: true }] as Reply[])('%j times out after timeoutMs', async (reply) => {
    script(reply);
    const started = Date.now();
    expect((await failure(complete(target, {}, { timeoutMs: 150 }))).kind).toBe('timeout');
    expect(Date.now() - started).toBeLessThan(1000);
  });

  it.each([{ hang: true }, { stallStream: true }] as Reply[])('an abort during %j rejects promptly with an AbortError', async (reply) => {
    script(reply);
    const controller = new AbortController();
    const started = Date.now();
    setTimeout(() => controller.abort(), 50);
    const error = await complete(target, { signal: controller.signal }).then(() => null, (e: unknown) => e as Error);
    expect(error?.name).toBe('AbortError');
    expect(error).not.toBeInstanceOf(ProviderError);
    expect(Date.now() - started).toBeLessThan(500);
  });

  it('a refused connection is a network error', async () => {
    expect((await failure(complete(target, {}, { baseURL: target === 'anthropic' ? 'http://127.0.0.1:1' : 'http://127.0.0.1:1/v1' }))).kind).toBe('network');
  });

  it('an already-aborted signal sends nothing', async () => {
    const error = await complete(target, { signal: AbortSignal.abort() }).then(() => null, (e: unknown) => e as Error);
    expect(error?.name).toBe('AbortError');
    expect(emu.requests).toHaveLength(0);
  });
});

describe('the emulator', () => {
  it('counts repeats of the same request and rejects requests without a key', async () => {
    await complete('openai chat');
    await complete('openai chat');
    await complete('openai chat', { user: 'something else' });
    expect(emu.requests.map((r) => r.attempt)).toEqual([0, 1, 0]);
    const raw = await fetch(`${emu.openai.baseURL}/chat/completions`, { method: 'POST', body: JSON.stringify({ model: 'm', messages: [{ role: 'user', content: 'hi' }] }) });
    expect([raw.status, raw.headers.get('x-request-id')]).toEqual([401, expect.stringMatching(/^req_emu_/)]);
  });

  it('waits latencyMs before answering', async () => {
    const slow = await startEmulators({ latencyMs: 40 });
    try {
      const p = createProvider({ provider: 'openai', apiKey: OPENAI_KEY, baseURL: slow.openai.baseURL, timeoutMs: 2000 });
      expect((await p.complete({ ...request, model: 'gpt-5.5' })).latencyMs).toBeGreaterThanOrEqual(35);
    } finally {
      await slow.close();
    }
  });
});

describe('error helpers', () => {
  const headers = (h: Record<string, string>) => new Headers(h);
  it('reads retry-after-ms, then retry-after in seconds or as a date', () => {
    expect(retryAfterMs(headers({ 'retry-after-ms': '250.5', 'retry-after': '9' }))).toBe(250.5);
    expect(retryAfterMs(headers({ 'retry-after': '2' }))).toBe(2000);
    const inFiveSeconds = new Date(Date.now() + 5000).toUTCString();
    expect(retryAfterMs(headers({ 'retry-after': inFiveSeconds }))).toBeGreaterThan(3000);
    expect(retryAfterMs(headers({ 'retry-after': 'soon' }))).toBeUndefined();
    expect(retryAfterMs(undefined)).toBeUndefined();
  });

  it('treats an exhausted quota or spend limit as final, not as a rate limit', () => {
    const base = { status: 429, headers: headers({ 'retry-after': '1' }), type: null, message: 'x' };
    expect(httpFailure('openai', { ...base, code: 'insufficient_quota' }).retryable).toBe(false);
    expect(httpFailure('anthropic', { ...base, code: 'enforced_spend_limit_reached' }).kind).toBe('auth');
    expect(httpFailure('anthropic', { ...base, code: null })).toMatchObject({ kind: 'rate_limit', retryAfterMs: 1000 });
  });
});
