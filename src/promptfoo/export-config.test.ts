// The promptfooconfig a suite becomes: the runner's request shapes, text that promptfoo's
// templates leave as it is, settings per version × model, weights, repeat, and the ids that
// bring results back.

import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { resolveScenario } from '../dataset/load.ts';
import type { PromptVersion } from '../registry/load.ts';
import type { Suite } from '../suite/schema.ts';
import { parsePromptfooPromptId, promptfooConfig, promptfooPromptId, type ExportInput } from './export-config.ts';
import { mapResults } from './mapping.ts';
import type { PromptfooResult } from './output.ts';

const scenarios = join(import.meta.dirname, '../../datasets/scenarios');
const scenario = resolveScenario('ecommerce-hybrid', scenarios);

function version(v: string, text: string, opts: { userTemplate?: string; maxTokens?: number; temperature?: number } = {}): PromptVersion {
  return {
    file: `prompts/p/${v}.md`,
    text,
    sha256: `sha-${v}`,
    meta: { id: 'p', version: v, status: 'released', title: 'P', userTemplate: opts.userTemplate ?? '{{message}}', generation: { maxTokens: opts.maxTokens ?? 1000, ...(opts.temperature !== undefined && { temperature: opts.temperature }) } } as PromptVersion['meta'],
  };
}

function input(suite: Partial<Suite>, versions: PromptVersion[]): ExportInput {
  return {
    suite: { prompt: 'p', versions: 'all', scenarios: 'ecommerce-hybrid', samples: 3, models: [{ provider: 'anthropic', model: 'claude-sonnet-5-5' }, { provider: 'openai', model: 'gpt-5.6-terra', label: 'GPT', maxTokens: 500, temperature: 0.2, concurrency: 8 }], ...suite },
    suiteFile: 'suite.yaml',
    versions,
    scenarios: [scenario],
    policy: { weights: { b: 7 }, hard: ['a'], passThreshold: 0.75 },
    graders: [{ id: 'a', weight: 1 }, { id: 'b', weight: 2 }, { id: 'c', weight: 3, needsScenario: true, check: { type: 'contains', id: 'c', value: 'x' } }],
    assertionModule: 'file://lib/promptfoo.js',
    scenariosDir: 'datasets/scenarios',
  };
}

type Prompt = { id: string; label: string; raw: string; config: Record<string, unknown> };

describe('promptfooConfig', () => {
  it("sends each vendor the runner's request: Anthropic a cached system block, OpenAI Responses instructions", () => {
    const { config } = promptfooConfig(input({}, [version('1.0.0', 'You are P.', { maxTokens: 900, temperature: 0.5 })]));
    const prompts = config.prompts as Prompt[];
    expect(prompts.map((p) => p.id)).toEqual(['promptgate:p@1.0.0|anthropic:claude-sonnet-5-5', 'promptgate:p@1.0.0|openai:gpt-5.6-terra']);
    expect(prompts.map((p) => p.label)).toEqual(['p@1.0.0', 'p@1.0.0']);
    expect(JSON.parse(prompts[0]!.raw)).toEqual([
      { role: 'system', content: [{ type: 'text', text: 'You are P.', cache_control: { type: 'ephemeral' } }] },
      { role: 'user', content: '{{ message }}' },
    ]);
    // The version's max tokens; no temperature for Claude (the runner never sends one).
    expect(prompts[0]!.config).toEqual({ max_tokens: 900 });
    // The suite's model settings win over the version's.
    expect(prompts[1]).toMatchObject({ raw: '{{ message }}', config: { instructions: 'You are P.', max_output_tokens: 500, temperature: 0.2 } });
    expect(config.providers).toEqual([
      { id: 'anthropic:messages:claude-sonnet-5-5', label: 'claude-sonnet-5-5', prompts: [prompts[0]!.id], config: { stream: true } },
      { id: 'openai:responses:gpt-5.6-terra', label: 'GPT', prompts: [prompts[1]!.id], config: { omitDefaults: true, store: false } },
    ]);
    expect(config.evaluateOptions).toEqual({ repeat: 3, maxConcurrency: 12 });
    expect(config.tests).toEqual([{ description: `ecommerce-hybrid: ${scenario.title}`, vars: { scenario: 'ecommerce-hybrid', message: scenario.message } }]);
  });

  it("carries the suite's weights and hard graders, and promptgate's pass rule", () => {
    const { config } = promptfooConfig(input({}, [version('1.0.0', 'S')]));
    const test = config.defaultTest as { threshold: number; assertScoringFunction: string; assert: Array<Record<string, unknown>> };
    expect(test.threshold).toBe(0.75);
    expect(test.assertScoringFunction).toBe('file://lib/promptfoo.js:scoreTest');
    expect(test.assert).toEqual([
      { type: 'javascript', value: 'file://lib/promptfoo.js:grade', metric: 'a', weight: 1, config: { grader: 'a', hard: true, scenarios: 'datasets/scenarios' } },
      { type: 'javascript', value: 'file://lib/promptfoo.js:grade', metric: 'b', weight: 7, config: { grader: 'b', scenarios: 'datasets/scenarios' } },
      { type: 'javascript', value: 'file://lib/promptfoo.js:grade', metric: 'c', weight: 3, config: { grader: 'c', checks: [{ type: 'contains', id: 'c', value: 'x' }], scenarios: 'datasets/scenarios' } },
    ]);
  });

  it('asserts a grader that runs for some scenarios only in their tests', () => {
    const other = resolveScenario('payments-pci', scenarios);
    const base = input({ scenarios: 'ecommerce-hybrid,payments-pci' }, [version('1.0.0', 'S')]);
    const { config } = promptfooConfig({ ...base, scenarios: [scenario, other], graders: [{ id: 'a', weight: 1 }, { id: 'turn-2', weight: 2, appliesTo: ['payments-pci'] }] });
    expect((config.defaultTest as { assert: Array<{ metric: string }> }).assert.map((a) => a.metric)).toEqual(['a']);
    const tests = config.tests as Array<{ assert?: Array<{ metric: string; weight: number }> }>;
    expect(tests[0]!.assert).toBeUndefined();
    expect(tests[1]!.assert).toMatchObject([{ metric: 'turn-2', weight: 2 }]);
  });

  it("keeps text with template syntax literal for promptfoo's nunjucks, and refuses what cannot be", () => {
    const { config } = promptfooConfig(input({ models: [{ provider: 'anthropic', model: 'claude-sonnet-5-5' }] }, [version('1.0.0', 'Use {{ braces }} and {% tags %}.', { userTemplate: 'Brief {# not a comment #}: {{ message }}' })]));
    const [prompt] = config.prompts as Prompt[];
    const messages = JSON.parse(prompt!.raw) as Array<{ content: string | Array<{ text: string }> }>;
    expect((messages[0]!.content as Array<{ text: string }>)[0]!.text).toBe('{% raw %}Use {{ braces }} and {% tags %}.{% endraw %}');
    expect(messages[1]!.content).toBe('{% raw %}Brief {# not a comment #}: {% endraw %}{{ message }}');
    expect(() => promptfooConfig(input({}, [version('1.0.0', 'a {% endraw %} b')]))).toThrow(/prompts\/p\/1\.0\.0\.md: the text contains "\{% endraw %\}"/);
  });

  it('sends a user template that promptfoo would read as a file path as a one-message input, and says so', () => {
    const { config, notes } = promptfooConfig(input({ models: [{ provider: 'openai', model: 'gpt-5.6-terra' }] }, [version('1.0.0', 'S', { userTemplate: 'see docs/{{message}}' })]));
    expect((config.prompts as Prompt[])[0]!.raw).toBe(JSON.stringify([{ role: 'user', content: 'see docs/{{ message }}' }]));
    expect(notes).toContain('p@1.0.0: the user template looks like a file path to promptfoo, so it is sent as a one-message input list');
  });

  it('notes the Claude models promptfoo sends a temperature to', () => {
    const { notes } = promptfooConfig(input({ models: [{ provider: 'anthropic', model: 'claude-haiku-4-5' }, { provider: 'anthropic', model: 'claude-opus-4-8' }] }, [version('1.0.0', 'S')]));
    expect(notes.filter((n) => /temperature/.test(n))).toEqual([expect.stringMatching(/^claude-haiku-4-5: promptfoo sends it temperature 0/)]);
  });

  it("uses Chat Completions with the runner's roles and token fields for api: chat and compatible servers", () => {
    const { config } = promptfooConfig(input({ models: [{ provider: 'openai', model: 'gpt-5.6-terra', api: 'chat' }, { provider: 'openai-compatible', model: 'llama3', api: 'chat', baseURL: 'http://localhost:11434/v1' }] }, [version('1.0.0', 'S')]));
    const prompts = config.prompts as Prompt[];
    expect(JSON.parse(prompts[0]!.raw)[0]).toEqual({ role: 'developer', content: 'S' });
    expect(prompts[0]!.config).toEqual({ max_completion_tokens: 1000 });
    expect(JSON.parse(prompts[1]!.raw)[0]).toEqual({ role: 'system', content: 'S' });
    expect(prompts[1]!.config).toEqual({ max_tokens: 1000 });
    expect((config.providers as Array<{ id: string; config: object }>).map((p) => [p.id, p.config])).toEqual([
      ['openai:chat:gpt-5.6-terra', { omitDefaults: true }],
      ['openai:chat:llama3', { omitDefaults: true, apiBaseUrl: 'http://localhost:11434/v1' }],
    ]);
  });

  it('names prompts so that results map back to their version, and parses those ids', () => {
    const id = promptfooPromptId('p', '1.2.0', { provider: 'openai', model: 'gpt-5.6-terra' });
    expect(parsePromptfooPromptId(id)).toEqual({ promptId: 'p', version: '1.2.0', model: 'openai:gpt-5.6-terra' });
    expect(parsePromptfooPromptId('49147854ca94f016')).toBeNull();
    // What promptfoo records (the label, the provider id, the vars) maps back to the cell.
    const v = version('1.0.0', 'S');
    const { config } = promptfooConfig(input({}, [v]));
    const results = (config.providers as Array<{ id: string }>).map((p, i): PromptfooResult => ({ prompt: { raw: 'x', label: (config.prompts as Prompt[])[i]!.label }, provider: { id: p.id }, vars: (config.tests as Array<{ vars: Record<string, unknown> }>)[0]!.vars, response: { output: 'doc' } }));
    const mapped = mapResults([...results, results[0]!], { promptId: 'p', versions: [v], scenarios: [scenario], models: input({}, []).suite.models, scenarioVar: 'scenario' });
    expect(mapped.unmapped).toEqual([]);
    expect(mapped.mapped.map((m) => `${m.version.meta.version}|${m.scenario.id}|${m.model.provider}:${m.model.model}|${m.sample}`)).toEqual([
      '1.0.0|ecommerce-hybrid|anthropic:claude-sonnet-5-5|0',
      '1.0.0|ecommerce-hybrid|openai:gpt-5.6-terra|0',
      '1.0.0|ecommerce-hybrid|anthropic:claude-sonnet-5-5|1',
    ]);
  });
});
