// A batch result's body as the one plain Completion every provider returns. Same readings as
// the live providers (src/providers/anthropic.ts, openai.ts): stop reasons normalised, token
// counts checked (usage.ts) and OpenAI's input made "uncached" — so a batch answer is graded,
// priced and stored exactly as the live answer to the same request would be. A body that is
// not a finished answer (pause_turn, "incomplete" for another reason than the length limit or
// the content filter) throws: that cell failed inside the batch and is retried.

import { checkedUsage } from '../providers/usage.ts';
import type { Completion, StopReason } from '../providers/types.ts';

interface AnthropicMessage {
  model?: string;
  content?: Array<{ type?: string; text?: string }>;
  stop_reason?: string | null;
  usage?: { input_tokens?: unknown; output_tokens?: unknown; cache_read_input_tokens?: unknown; cache_creation_input_tokens?: unknown };
}

export function anthropicCompletion(m: AnthropicMessage, latencyMs: number): Completion {
  const raw = m.stop_reason ?? null;
  if (raw === null || raw === 'pause_turn') throw new Error(`anthropic: the answer is incomplete (stop_reason ${raw ?? 'missing'})`);
  const u = m.usage ?? {};
  return {
    text: (m.content ?? []).filter((b) => b.type === 'text').map((b) => b.text ?? '').join(''),
    stopReason: raw === 'end_turn' || raw === 'stop_sequence' ? 'end' : raw === 'max_tokens' || raw === 'model_context_window_exceeded' ? 'max_tokens' : raw === 'refusal' ? 'refusal' : 'other',
    rawStopReason: raw,
    usage: checkedUsage(
      'anthropic batch',
      { input: u.input_tokens, output: u.output_tokens, cacheRead: u.cache_read_input_tokens, cacheWrite: u.cache_creation_input_tokens },
      { input: 'input_tokens', output: 'output_tokens', cacheRead: 'cache_read_input_tokens', cacheWrite: 'cache_creation_input_tokens' },
    ),
    model: m.model ?? '',
    latencyMs,
  };
}

interface ResponsesBody {
  model?: string;
  status?: string | null;
  output?: Array<{ type?: string; content?: Array<{ type?: string; text?: string; refusal?: string }> }>;
  incomplete_details?: { reason?: string } | null;
  error?: { code?: string; message?: string } | null;
  usage?: { input_tokens?: unknown; output_tokens?: unknown; input_tokens_details?: { cached_tokens?: unknown; cache_write_tokens?: unknown } };
}

export function responsesCompletion(r: ResponsesBody, latencyMs: number): Completion {
  if (!Array.isArray(r.output)) throw new Error('responses: the body has no output array');
  if (r.status === 'failed') throw new Error(`responses: status "failed"${r.error ? `: ${r.error.code}: ${r.error.message}` : ''}`);
  const parts = r.output.flatMap((item) => (item.type === 'message' ? (item.content ?? []) : []));
  const refusal = parts.find((p) => p.type === 'refusal');
  const incomplete = r.status === 'incomplete' ? (r.incomplete_details?.reason ?? 'incomplete') : null;
  if (incomplete !== null && incomplete !== 'max_output_tokens' && incomplete !== 'content_filter') throw new Error(`responses: the answer is incomplete (${incomplete})`);
  if (r.status != null && r.status !== 'completed' && r.status !== 'incomplete') throw new Error(`responses: status "${r.status}"; expected "completed"`);
  const stopReason: StopReason = incomplete === 'max_output_tokens' ? 'max_tokens' : incomplete === 'content_filter' || refusal ? 'refusal' : r.status === 'completed' ? 'end' : 'other';
  const u = r.usage;
  return {
    // The SDK computes output_text on responses.create; a batch line is plain JSON, so join here.
    text: parts.filter((p) => p.type === 'output_text').map((p) => p.text ?? '').join('') || refusal?.refusal || '',
    stopReason,
    rawStopReason: incomplete ?? (refusal ? 'refusal' : (r.status ?? null)),
    usage: uncached('responses batch', [u?.input_tokens, u?.output_tokens, u?.input_tokens_details?.cached_tokens, u?.input_tokens_details?.cache_write_tokens]),
    model: r.model ?? '',
    latencyMs,
  };
}

interface ChatBody {
  model?: string;
  choices?: Array<{ message?: { content?: string | null; refusal?: string | null }; finish_reason?: string | null }>;
  usage?: { prompt_tokens?: unknown; completion_tokens?: unknown; prompt_tokens_details?: { cached_tokens?: unknown; cache_write_tokens?: unknown } };
}

export function chatCompletion(c: ChatBody, latencyMs: number): Completion {
  const choice = c.choices?.[0];
  if (!choice?.message) throw new Error('chat completions: the body has no choices[0].message');
  const refused = choice.message.refusal != null || choice.finish_reason === 'content_filter';
  const u = c.usage;
  return {
    text: choice.message.content || choice.message.refusal || '',
    stopReason: refused ? 'refusal' : choice.finish_reason === 'length' ? 'max_tokens' : choice.finish_reason === 'stop' ? 'end' : 'other',
    rawStopReason: choice.finish_reason ?? null,
    usage: uncached('chat completions batch', [u?.prompt_tokens, u?.completion_tokens, u?.prompt_tokens_details?.cached_tokens, u?.prompt_tokens_details?.cache_write_tokens]),
    model: c.model ?? '',
    latencyMs,
  };
}

/** OpenAI's input total includes cache reads and writes; ours is the uncached rest (as openai.ts). */
function uncached(api: string, [input, output, cacheRead, cacheWrite]: unknown[]) {
  const u = checkedUsage(api, { input, output, cacheRead, cacheWrite }, { input: 'input_tokens', output: 'output_tokens', cacheRead: 'cached_tokens', cacheWrite: 'cache_write_tokens' });
  return u.unreported ? u : { ...u, input: Math.max(0, u.input - u.cacheRead - u.cacheWrite) };
}
