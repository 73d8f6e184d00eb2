// Batch mode's pure parts: splitting by the vendors' limits, the batch price, reading result
// bodies as completions, and the request bodies matching what the live providers send.

import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { costUsd, priceOf } from '../providers/prices.ts';
import type { Cell } from '../runner/plan.ts';
import { anthropicCompletion, chatCompletion, responsesCompletion } from './convert.ts';
import { atBatchPrice, BATCH_FACTOR, batchPrice } from './price.ts';
import { anthropicParams, openaiBody, openaiEndpoint } from './requests.ts';
import { OpenBatches } from './registry.ts';
import { splitIntoBatches } from './split.ts';
import type { BatchClient } from './types.ts';

const cell = (i: number, provider: 'anthropic' | 'openai' = 'anthropic', model = 'claude-sonnet-5-5'): Cell => ({
  id: `v|s${i}|${provider}:${model}|0`,
  promptId: 'p',
  version: '1.0.0',
  promptSha256: 'x',
  scenario: `s${i}`,
  model: { provider, model, label: model },
  sample: 0,
  request: { model, system: 'You write designs.', user: `scenario ${i} ${'x'.repeat(100)}`, maxTokens: 1000 },
  storeKey: `${String(i).padStart(64, '0')}`,
});

const client = (maxRequests: number, maxBytes: number): BatchClient => ({
  vendor: 'anthropic',
  maxRequests,
  maxBytes,
  line: (c) => JSON.stringify({ custom_id: c.storeKey, params: anthropicParams(c) }),
  submit: async () => 'id',
  status: async () => ({ state: 'ended', ended: true, total: 0, succeeded: 0, failed: 0 }),
  results: async () => [],
  cancel: async () => {},
});

describe('splitting into batches', () => {
  it('keeps each batch within the request count, one model per batch, each key once', () => {
    const cells = [...Array.from({ length: 7 }, (_, i) => cell(i)), cell(0), ...Array.from({ length: 2 }, (_, i) => cell(i + 10, 'openai', 'gpt-5.6-terra'))];
    const chunks = splitIntoBatches(cells, () => client(3, 1e9));
    expect(chunks.map((c) => [c.model, c.cells.length])).toEqual([
      ['anthropic:claude-sonnet-5-5', 3],
      ['anthropic:claude-sonnet-5-5', 3],
      ['anthropic:claude-sonnet-5-5', 1],
      ['openai:gpt-5.6-terra', 2],
    ]);
  });

  it('keeps each batch within the byte size', () => {
    const size = Buffer.byteLength(client(1, 1).line(cell(0))) + 1;
    const chunks = splitIntoBatches(Array.from({ length: 5 }, (_, i) => cell(i)), () => client(100, size * 2 + 10));
    expect(chunks.map((c) => c.cells.length)).toEqual([2, 2, 1]);
  });
});

describe('the batch price', () => {
  it('is the price file\'s discount on every rate, cache rates included', () => {
    expect(BATCH_FACTOR).toBe(0.5);
    const full = priceOf('claude-sonnet-5-5')!;
    expect(batchPrice(full)).toEqual({ input: full.input / 2, output: full.output / 2, cacheRead: full.cacheRead! / 2, cacheWrite: full.cacheWrite! / 2 });
    const usage = { input: 1000, output: 4000, cacheRead: 1300, cacheWrite: 0 };
    expect(costUsd(usage, priceOf('claude-sonnet-5-5', atBatchPrice(cell(1)).model.price))).toBeCloseTo(costUsd(usage, full)! / 2, 9);
    expect(batchPrice(null)).toBeNull();
    expect(batchPrice({ input: 2, output: 8 })).toEqual({ input: 1, output: 4, cacheRead: 1, cacheWrite: 1 });
  });
});

describe('result bodies as completions', () => {
  it('reads an Anthropic message like the live provider', () => {
    const c = anthropicCompletion({ model: 'm', content: [{ type: 'text', text: 'a' }, { type: 'thinking' }, { type: 'text', text: 'b' }], stop_reason: 'max_tokens', usage: { input_tokens: 5, output_tokens: 7, cache_read_input_tokens: 3 } }, 9);
    expect(c).toEqual({ text: 'ab', stopReason: 'max_tokens', rawStopReason: 'max_tokens', usage: { input: 5, output: 7, cacheRead: 3, cacheWrite: 0 }, model: 'm', latencyMs: 9 });
    expect(() => anthropicCompletion({ stop_reason: 'pause_turn', content: [] }, 0)).toThrow(/incomplete/);
    expect(() => anthropicCompletion({ stop_reason: 'end_turn', content: [], usage: { input_tokens: -3, output_tokens: 1 } }, 0)).toThrow(/input_tokens is -3/);
  });

  it('reads OpenAI Responses and Chat bodies with uncached input', () => {
    const r = responsesCompletion({ model: 'g', status: 'completed', output: [{ type: 'message', content: [{ type: 'output_text', text: 'doc' }] }], usage: { input_tokens: 100, output_tokens: 20, input_tokens_details: { cached_tokens: 60 } } }, 1);
    expect(r).toMatchObject({ text: 'doc', stopReason: 'end', usage: { input: 40, output: 20, cacheRead: 60, cacheWrite: 0 } });
    const cut = responsesCompletion({ status: 'incomplete', incomplete_details: { reason: 'max_output_tokens' }, output: [], usage: { input_tokens: 1, output_tokens: 1 } }, 1);
    expect(cut.stopReason).toBe('max_tokens');
    expect(() => responsesCompletion({ status: 'incomplete', incomplete_details: { reason: 'interrupted' }, output: [] }, 1)).toThrow(/interrupted/);
    const chat = chatCompletion({ model: 'g', choices: [{ message: { content: 'hi' }, finish_reason: 'length' }], usage: { prompt_tokens: 10, completion_tokens: 2 } }, 1);
    expect(chat).toMatchObject({ text: 'hi', stopReason: 'max_tokens', usage: { input: 10, output: 2 } });
  });
});

describe('request bodies', () => {
  it('are what the live providers send (no stream), so the answer fits the same store key', () => {
    const c = cell(3);
    expect(anthropicParams(c)).toEqual({ model: 'claude-sonnet-5-5', max_tokens: 1000, system: [{ type: 'text', text: 'You write designs.', cache_control: { type: 'ephemeral' } }], messages: [{ role: 'user', content: c.request.user }] });
    const o = cell(4, 'openai', 'gpt-5.6-terra');
    expect(openaiEndpoint(o)).toBe('/v1/responses');
    expect(openaiBody(o)).toEqual({ model: 'gpt-5.6-terra', instructions: 'You write designs.', input: o.request.user, max_output_tokens: 1000, store: false });
    const chat = { ...o, model: { ...o.model, api: 'chat' as const } };
    expect(openaiEndpoint(chat)).toBe('/v1/chat/completions');
    expect(openaiBody(chat)).toMatchObject({ max_completion_tokens: 1000, messages: [{ role: 'developer' }, { role: 'user' }] });
  });
});

describe('the store\'s open batches', () => {
  it('lists records in submission order, skips a damaged one with a warning, and forgets a collected one', () => {
    const open = new OpenBatches(mkdtempSync(join(tmpdir(), 'promptgate-batches-')));
    const record = (id: string, at: string) => ({ id, vendor: 'anthropic' as const, model: 'anthropic:claude-sonnet-5-5', runId: 'r1', submittedAt: at, entries: [{ key: 'a'.repeat(64), sample: 0 }] });
    open.put(record('msgbatch_2', '2026-12-03T10:00:01Z'));
    open.put(record('msgbatch_1', '2026-12-03T10:00:00Z'));
    writeFileSync(join(open.dir, 'broken.json'), JSON.stringify({ ...record('x', 'y'), entries: [{ key: 'not a key', sample: 0 }] }));
    const warnings: string[] = [];
    expect(open.list((w) => warnings.push(w)).map((r) => r.id)).toEqual(['msgbatch_1', 'msgbatch_2']);
    expect(warnings).toEqual([expect.stringMatching(/broken\.json: unreadable batch record \(\/entries\/0\/key must match pattern/)]);
    open.remove('msgbatch_1');
    expect(open.list().map((r) => r.id)).toEqual(['msgbatch_2']);
  });
});
