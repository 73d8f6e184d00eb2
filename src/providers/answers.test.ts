// How a provider classifies what comes back, through the REAL SDKs against the emulators: an
// answer the service did not finish is never a plain success, token counts are checked before
// they become a cost, and a key echoed in an error body never reaches the error's message.

import { describe, expect, it, vi } from 'vitest';
import type { Reply } from '../testing/emulators.ts';
import { useEmulators } from '../testing/use-emulators.ts';
import { costUsd, priceOf } from './prices.ts';
import { createProvider } from './index.ts';
import { ProviderError, type Provider } from './types.ts';

const KEY = { anthropic: 'answers-test-anthropic-key-0123456789', openai: 'answers-test-openai-key-9876543210' };
type Target = 'anthropic' | 'openai responses' | 'openai chat';
const TARGETS: Target[] = ['anthropic', 'openai responses', 'openai chat'];

const emu = useEmulators();

function provider(t: Target): Provider {
  if (t === 'anthropic') return createProvider({ provider: 'anthropic', apiKey: KEY.anthropic, baseURL: emu.anthropic.baseURL, timeoutMs: 5000 });
  return createProvider({ provider: 'openai', api: t === 'openai chat' ? 'chat' : 'responses', apiKey: KEY.openai, baseURL: emu.openai.baseURL, timeoutMs: 5000 });
}
const model = (t: Target) => (t === 'anthropic' ? 'claude-sonnet-5-5' : 'gpt-5.6-terra');
const complete = (t: Target) => provider(t).complete({ model: model(t), system: 'Be brief.', user: 'Design a pipeline.', maxTokens: 2000 });
const script = (reply: Reply) => (emu.respond = () => reply);
async function failure(t: Target): Promise<ProviderError> {
  const error = await complete(t).then(() => null, (e: unknown) => e);
  expect(error).toBeInstanceOf(ProviderError);
  return error as ProviderError;
}

describe('openai responses: an answer the service did not finish', () => {
  it.each(['interrupted', 'server_error', 'cancelled'])('status incomplete (%s) is a retryable error, never an answer', async (reason) => {
    script({ text: '# Half a doc', incomplete: reason });
    const error = await failure('openai responses');
    expect([error.kind, error.retryable]).toEqual(['server', true]);
    expect(error.message).toContain(reason);
  });

  it.each([
    ['max_output_tokens', 'max_tokens'],
    ['content_filter', 'refusal'],
  ])('status incomplete (%s) stays an answer, stopped for %s', async (reason, stop) => {
    script({ text: '# Cut', incomplete: reason });
    expect(await complete('openai responses')).toMatchObject({ stopReason: stop, rawStopReason: reason });
  });
});

describe('anthropic: an answer the service did not finish', () => {
  it('stop_reason pause_turn is a retryable error, never an answer', async () => {
    script({ text: '# Paused', incomplete: 'pause_turn' });
    const error = await failure('anthropic');
    expect([error.kind, error.retryable]).toEqual(['server', true]);
    expect(error.message).toContain('pause_turn');
  });
});

describe.each(TARGETS)('%s: token counts', (t) => {
  const raw = (input: unknown, output: unknown): Record<string, unknown> =>
    t === 'anthropic' ? { input_tokens: input, output_tokens: output } : t === 'openai chat' ? { prompt_tokens: input, completion_tokens: output } : { input_tokens: input, output_tokens: output };

  it.each([
    ['negative', -23_000],
    ['fractional', 12.5],
    ['a string', '12'],
    ['absurd', 1e15],
    ['not a number', { n: 1 }],
  ])('an output count that is %s is a malformed answer naming the field', async (_name, value) => {
    script({ text: '# Doc', rawUsage: raw(10, value) });
    const error = await failure(t);
    expect(error.kind).toBe('malformed');
    expect(error.message).toMatch(/usage (output_tokens|completion_tokens) is .*; expected a whole number of tokens/);
  });

  it('missing usage is unreported: counts 0 and a cost that is unknown, never $0', async () => {
    script({ text: '# Doc', rawUsage: null });
    const c = await complete(t);
    expect(c.usage).toEqual({ input: 0, output: 0, cacheRead: 0, cacheWrite: 0, unreported: true });
    expect(priceOf(model(t))).not.toBeNull();
    expect(costUsd(c.usage, priceOf(model(t)))).toBeNull();
  });

  it('reported usage keeps its cost', async () => {
    const c = await complete(t);
    expect(c.usage.unreported).toBeUndefined();
    expect(costUsd(c.usage, priceOf(model(t)))).toBeGreaterThan(0);
  });
});

describe.each(TARGETS)('%s: secrets in what comes back', (t) => {
  it.each([401, 400, 500])('an HTTP %i body echoing the request headers reaches the error without the key', async (status) => {
    script({ status, echoHeaders: true });
    const error = await failure(t);
    expect(error.message).toMatch(/request headers/);
    expect(error.message).not.toContain(KEY.anthropic);
    expect(error.message).not.toContain(KEY.openai);
    expect(error.message).toContain('[redacted]');
  });

  it('an answer that echoes the key in its text is stored without it', async () => {
    emu.respond = (req) => ({ text: `# Echo\n\nyou sent ${req.apiKey}` });
    const c = await complete(t);
    expect(c.text).toBe('# Echo\n\nyou sent [redacted]');
  });

  it('with the SDK debug log on (OPENAI_LOG / ANTHROPIC_LOG=debug), the echoed body it logs has no key', async () => {
    const saved = { OPENAI_LOG: process.env.OPENAI_LOG, ANTHROPIC_LOG: process.env.ANTHROPIC_LOG };
    const lines: string[] = [];
    const spies = (['debug', 'info', 'warn', 'error'] as const).map((level) => vi.spyOn(console, level).mockImplementation((...args: unknown[]) => void lines.push(args.join(' '))));
    try {
      process.env.OPENAI_LOG = 'debug';
      process.env.ANTHROPIC_LOG = 'debug';
      script({ status: 400, echoHeaders: true });
      await failure(t);
    } finally {
      for (const spy of spies) spy.mockRestore();
      for (const [k, v] of Object.entries(saved)) if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
    expect(lines.length).toBeGreaterThan(0);
    // The Anthropic SDK logs the error body itself, echo and all.
    if (t === 'anthropic') expect(lines.join('\n')).toMatch(/request headers/);
    expect(lines.join('\n')).not.toContain(t === 'anthropic' ? KEY.anthropic : KEY.openai);
  });

  it('an error body with control characters becomes one printable line', async () => {
    script({ status: 400, message: 'bad\u0000thing\u001b[2J\nsecond line' });
    const error = await failure(t);
    expect(error.message).not.toMatch(/[\u0000-\u001f]/);
    expect(error.message).toContain('bad\uFFFDthing\uFFFD[2J second line');
  });
});
