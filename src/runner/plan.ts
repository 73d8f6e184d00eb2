// Planning a run: the cells of a suite (prompt version × scenario × model × sample), each with
// the exact request it sends and its response-store key. Pure: suite, registry and dataset in;
// plain cells out.

import type { Scenario } from '../dataset/schema.ts';
import type { GenerationRequest } from '../providers/types.ts';
import type { PromptVersion } from '../registry/load.ts';
import { turnCount, turnId, userMessages } from '../dataset/turns.ts';
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
  /** A later turn (2, 3…) of a multi-turn scenario; `scenario` is then `<id>@t<turn>`. */
  turn?: number;
  /**
   * The turns before this one, oldest first: each user message and the store key of its answer.
   * The runner sends them as the conversation's history, the answers read from the store.
   */
  chain?: Array<{ user: string; storeKey: string; cell: string }>;
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
      // Turn 1 through the version's template; a follow-up turn's message as the user wrote it.
      const users = userMessages(scenario, turnCount(scenario)).map((u, i) => (i === 0 ? renderUserMessage(v.meta.userTemplate, scenario) : u));
      for (const m of suite.models) {
        const params = {
          maxTokens: m.maxTokens ?? v.meta.generation.maxTokens,
          ...(m.temperature ?? v.meta.generation.temperature) !== undefined && { temperature: m.temperature ?? v.meta.generation.temperature },
          ...(m.provider !== 'anthropic' && { api: m.api ?? 'responses' }),
        };
        for (let sample = 0; sample < samples; sample++) {
          // Each turn after the first continues this sample's conversation: its key chains the one before.
          const chain: NonNullable<Cell['chain']> = [];
          users.forEach((user, i) => {
            const turn = i + 1;
            const scenarioId = turnId(scenario.id, turn);
            const after = chain.at(-1)?.storeKey;
            const cell: Cell = {
              id: `${v.meta.version}|${scenarioId}|${m.provider}:${m.model}|${sample}${nonce ? '|control' : ''}`,
              promptId: v.meta.id,
              version: v.meta.version,
              promptSha256: v.sha256,
              scenario: scenarioId,
              model: { ...m, label: modelLabel(m) },
              sample,
              request: { model: m.model, system: v.text, user, maxTokens: params.maxTokens, ...(params.temperature !== undefined && { temperature: params.temperature }) },
              storeKey: storeKey({ provider: m.provider, model: m.model, params, system: v.text, user, sample, ...(nonce && { nonce }), ...(after && { after }) }),
              ...(nonce && { control: true as const }),
              ...(turn > 1 && { turn, chain: [...chain] }),
            };
            cells.push(cell);
            chain.push({ user, storeKey: cell.storeKey, cell: cell.id });
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
