// Mapping promptfoo results of a user's own config to cells: by label, by the prompt's system
// text, by a scenario var or message, by provider; and the reasons, counted, for what does not map.

import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { resolveScenario } from '../dataset/load.ts';
import type { PromptVersion } from '../registry/load.ts';
import { answerOf } from './cells.ts';
import { mapResults, type MappingTarget } from './mapping.ts';
import type { PromptfooResult } from './output.ts';

const dir = join(import.meta.dirname, '../../datasets/scenarios');
const [a, b] = [resolveScenario('ecommerce-hybrid', dir), resolveScenario('payments-pci', dir)];
const v = (version: string, text: string) => ({ file: `${version}.md`, text, sha256: version, meta: { id: 'p', version, userTemplate: '{{message}}', generation: { maxTokens: 100 } } }) as unknown as PromptVersion;
const target: MappingTarget = {
  promptId: 'p',
  versions: [v('1.0.0', 'You are the old P.'), v('2.0.0', 'You are the new P.')],
  scenarios: [a, b],
  models: [{ provider: 'openai-compatible', model: 'llama3', label: 'Llama' }],
  scenarioVar: 'scenario',
};
const r = (over: Partial<PromptfooResult>): PromptfooResult => ({ prompt: { raw: 'x' }, provider: { id: 'openai:chat:gpt-5.6-terra' }, vars: { scenario: 'ecommerce-hybrid' }, response: { output: 'doc' }, ...over });
const key = (m: ReturnType<typeof mapResults>['mapped'][number]) => `${m.version.meta.version}|${m.scenario.id}|${m.model.provider}:${m.model.model}|${m.sample}`;

describe('mapResults', () => {
  it('finds the version by its system text: instructions, a system message, or contained in a text prompt', () => {
    const m = mapResults(
      [
        r({ prompt: { raw: 'hello', config: { instructions: 'You are the new P.' } } }),
        r({ prompt: { raw: JSON.stringify([{ role: 'system', content: [{ type: 'text', text: 'You are the old P.' }] }, { role: 'user', content: 'hi' }]) } }),
        r({ prompt: { raw: 'You are the new P.\n\nNow: the request' } }),
      ],
      target,
    );
    expect(m.unmapped).toEqual([]);
    expect(m.mapped.map(key)).toEqual(['2.0.0|ecommerce-hybrid|openai:gpt-5.6-terra|0', '1.0.0|ecommerce-hybrid|openai:gpt-5.6-terra|0', '2.0.0|ecommerce-hybrid|openai:gpt-5.6-terra|1']);
    expect(m.extraModels).toEqual(['openai:gpt-5.6-terra']);
  });

  it('finds the scenario by id, inline object, another var name, or a var equal to its message', () => {
    const base = { prompt: { raw: 'x', label: 'p@1.0.0' } };
    const m = mapResults([r({ ...base, vars: { scenario: b } }), r({ ...base, vars: { question: a.message } }), r({ ...base, testCase: { vars: { text: `${b.message}\n` } }, vars: undefined })], target);
    expect(m.mapped.map((x) => x.scenario.id)).toEqual(['payments-pci', 'ecommerce-hybrid', 'payments-pci']);
    const other = mapResults([r({ ...base, vars: { case: 'payments-pci' } })], { ...target, scenarioVar: 'case' });
    expect(other.mapped.map((x) => x.scenario.id)).toEqual(['payments-pci']);
  });

  it("keeps the suite's own model (an openai-compatible server exported as openai:)", () => {
    const m = mapResults([r({ prompt: { raw: 'x', label: 'p@2.0.0' }, provider: { id: 'openai:responses:llama3' } })], target);
    expect(m.mapped[0]!.model).toEqual(target.models[0]);
    expect(m.extraModels).toEqual([]);
  });

  it('counts what does not map, one reason each', () => {
    const m = mapResults(
      [
        r({ prompt: { raw: 'other prompt', label: 'mine' } }),
        r({ prompt: { raw: 'other prompt', label: 'mine' } }),
        r({ prompt: { raw: 'x', label: 'p@3.0.0' } }),
        r({ prompt: { raw: 'x', label: 'p@1.0.0' }, vars: { note: 'nothing known' } }),
        r({ prompt: { raw: 'x', label: 'p@1.0.0' }, provider: 'vertex:gemini' }),
      ],
      target,
    );
    expect(m.mapped).toEqual([]);
    expect(m.unmapped).toEqual([
      { count: 2, reason: 'prompt "mine": neither its label (<prompt>@<version>) nor its text is a version of p in the registry' },
      { count: 1, reason: 'prompt label "p@3.0.0": version 3.0.0 of p is not in the registry' },
      { count: 1, reason: "a test without vars.scenario and without a var equal to a scenario's message (--scenario-var NAME names the var holding the id)" },
      { count: 1, reason: 'provider "vertex:gemini": expected anthropic:messages:<model>, openai:responses:<model> or openai:chat:<model>' },
    ]);
  });
});

describe('answerOf', () => {
  it("turns promptfoo's usage into promptgate's (uncached input) and its finish reason into a status", () => {
    const ok = answerOf(r({ latencyMs: 120, response: { output: 'doc', finishReason: 'length', tokenUsage: { prompt: 1000, completion: 50, completionDetails: { cacheReadInputTokens: 600, cacheCreationInputTokens: 100 } } } }), 'm');
    expect(ok).toEqual({ ok: true, cached: false, completion: { text: 'doc', stopReason: 'max_tokens', rawStopReason: 'length', usage: { input: 300, output: 50, cacheRead: 600, cacheWrite: 100 }, model: 'm', latencyMs: 120 } });
  });

  it('reports a failed call as an error, and a response from promptfoo\'s cache without usage', () => {
    expect(answerOf(r({ failureReason: 2, error: 'API error: 500\n  at x', response: { error: 'API error: 500' } }), 'm')).toEqual({ ok: false, error: 'promptfoo: API error: 500' });
    const cached = answerOf(r({ response: { output: { json: true }, cached: true, tokenUsage: { cached: 40, total: 40 } } }), 'm');
    expect(cached).toMatchObject({ ok: true, cached: true, completion: { text: '{"json":true}', usage: { input: 0, output: 0, cacheRead: 0, cacheWrite: 0, unreported: true } } });
  });
});
