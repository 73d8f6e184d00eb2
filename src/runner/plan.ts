// Planning a run: the cells of a suite (prompt version × scenario × model × sample), each with
// the exact request it sends and its response-store key. Pure: suite, registry and dataset in;
// plain cells out.

import type { Scenario } from '../dataset/schema.ts';
import type { GenerationRequest } from '../providers/types.ts';
import type { PromptVersion } from '../registry/load.ts';
import { renderUserMessage } from '../registry/template.ts';
import type { ModelConfig, Suite } from '../suite/schema.ts';
import { storeKey } from './store.ts';

export interface Cell {
  /** Unique in a run: version|scenario|provider:model|sample. */
  id: string;
  promptId: string;
  version: string;
  promptSha256: string;
  scenario: string;
  model: ModelConfig & { label: string };
  sample: number;
  request: Omit<GenerationRequest, 'signal'>;
  storeKey: string;
  /** A same-day control cell (eval --control): the baseline's version, sampled fresh. */
  control?: true;
}

/**
 * Same-day control cells: the baseline's version on the same scenarios, models and samples, with
 * `nonce` in their store key so the store's copy of the baseline's own answers is not reused —
 * the point is to see today's provider. A nonce of the UTC day lets one nightly control serve
 * every pull request of that day (their cells hit the store).
 */
export interface ControlPlan {
  version: PromptVersion;
  nonce: string;
  /** Samples per scenario and model. */
  samples: number;
}

export function modelLabel(m: ModelConfig): string {
  return m.label ?? m.model;
}

export function planCells(suite: Suite, versions: PromptVersion[], scenarios: Scenario[], control?: ControlPlan): Cell[] {
  const cells: Cell[] = [];
  const runs = [...versions.map((v) => ({ v, nonce: null as string | null, samples: suite.samples })), ...(control ? [{ v: control.version, nonce: control.nonce, samples: control.samples }] : [])];
  for (const { v, nonce, samples } of runs) {
    for (const scenario of scenarios) {
      const user = renderUserMessage(v.meta.userTemplate, scenario);
      for (const m of suite.models) {
        const params = {
          maxTokens: m.maxTokens ?? v.meta.generation.maxTokens,
          ...(m.temperature ?? v.meta.generation.temperature) !== undefined && { temperature: m.temperature ?? v.meta.generation.temperature },
          ...(m.provider !== 'anthropic' && { api: m.api ?? 'responses' }),
        };
        for (let sample = 0; sample < samples; sample++) {
          cells.push({
            id: `${v.meta.version}|${scenario.id}|${m.provider}:${m.model}|${sample}${nonce ? '|control' : ''}`,
            promptId: v.meta.id,
            version: v.meta.version,
            promptSha256: v.sha256,
            scenario: scenario.id,
            model: { ...m, label: modelLabel(m) },
            sample,
            request: { model: m.model, system: v.text, user, maxTokens: params.maxTokens, ...(params.temperature !== undefined && { temperature: params.temperature }) },
            storeKey: storeKey({ provider: m.provider, model: m.model, params, system: v.text, user, sample, ...(nonce && { nonce }) }),
            ...(nonce && { control: true as const }),
          });
        }
      }
    }
  }
  return cells;
}

/** Rough token count for planning and budgets: about 4 characters per token. */
export function estimateTokens(text: string): number {
  return Math.ceil(text.length / 4);
}
