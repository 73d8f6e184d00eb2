// A promptfoo result as the answer promptgate's runner would have recorded: the text, why it
// stopped, token usage in promptgate's terms, and whether the call failed. Pure.

import type { Completion, StopReason, Usage } from '../providers/types.ts';
import { FAILED_CALL, type PromptfooResult } from './output.ts';

export type Answer = { ok: true; completion: Completion; cached: boolean } | { ok: false; error: string };

export function answerOf(result: PromptfooResult, model: string): Answer {
  const response = result.response ?? null;
  const output = response?.output;
  const failed = result.failureReason === FAILED_CALL || !response || (output === undefined && response.error !== undefined);
  if (failed) return { ok: false, error: `promptfoo: ${oneLine(response?.error ?? result.error ?? 'the call failed without an output')}` };
  const text = typeof output === 'string' ? output : output === undefined || output === null ? '' : JSON.stringify(output);
  const finish = response.finishReason ?? null;
  // promptfoo normalises finish reasons to OpenAI's words (stop, length, content_filter…).
  const stopReason: StopReason = finish === 'length' || finish === 'max_tokens' ? 'max_tokens' : finish === 'content_filter' || finish === 'refusal' ? 'refusal' : finish === null || finish === 'stop' || finish === 'end_turn' ? 'end' : 'other';
  return {
    ok: true,
    cached: response.cached === true,
    completion: { text, stopReason, rawStopReason: finish, usage: usageOf(result), model, latencyMs: Math.round(result.latencyMs ?? 0) },
  };
}

/**
 * promptfoo's `prompt` count includes cache reads and writes for both vendors; promptgate's
 * `input` is the uncached rest (as src/providers/openai.ts normalises it). A response promptfoo
 * served from its own cache reports only a total: its usage is unknown here, as it was not paid.
 */
function usageOf(result: PromptfooResult): Usage {
  const u = result.response?.tokenUsage;
  if (!u || u.prompt === undefined || u.completion === undefined) return { input: 0, output: 0, cacheRead: 0, cacheWrite: 0, unreported: true };
  const cacheRead = Math.round(u.completionDetails?.cacheReadInputTokens ?? 0);
  const cacheWrite = Math.round(u.completionDetails?.cacheCreationInputTokens ?? 0);
  return { input: Math.max(0, Math.round(u.prompt) - cacheRead - cacheWrite), output: Math.round(u.completion), cacheRead, cacheWrite };
}

function oneLine(text: string): string {
  const line = text.replace(/\s+/g, ' ').trim();
  return line.length > 300 ? `${line.slice(0, 297)}…` : line;
}
