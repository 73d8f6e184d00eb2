// The request body of one cell inside a batch: the same parameters the live providers send
// (src/providers/anthropic.ts, openai.ts), so that a batch answers the same question and its
// answer may serve a later live run from the store. Only `stream` is left out (batches do not
// stream) and OpenAI's Responses body is the one `client.responses.create` would send.

import type { Cell } from '../runner/plan.ts';

/** Anthropic Messages params: the system prompt one text block marked for caching, no temperature (API 2026-10-21). */
export function anthropicParams(cell: Cell) {
  const r = cell.request;
  return {
    model: r.model,
    max_tokens: r.maxTokens,
    ...(r.system ? { system: [{ type: 'text' as const, text: r.system, cache_control: { type: 'ephemeral' as const } }] } : {}),
    messages: [{ role: 'user' as const, content: r.user }],
  };
}

export type OpenAIEndpoint = '/v1/responses' | '/v1/chat/completions';

export const openaiEndpoint = (cell: Cell): OpenAIEndpoint => (cell.model.api === 'chat' ? '/v1/chat/completions' : '/v1/responses');

/** A Responses (default) or Chat Completions body, as the live OpenAI provider builds it. */
export function openaiBody(cell: Cell): Record<string, unknown> {
  const r = cell.request;
  const temperature = r.temperature !== undefined ? { temperature: r.temperature } : {};
  if (openaiEndpoint(cell) === '/v1/chat/completions') {
    return {
      model: r.model,
      messages: [
        { role: 'developer', content: r.system },
        { role: 'user', content: r.user },
      ],
      max_completion_tokens: r.maxTokens,
      ...temperature,
    };
  }
  return { model: r.model, instructions: r.system, input: r.user, max_output_tokens: r.maxTokens, ...temperature, store: false };
}
