// Prompt caching, as far as a run can see it: the system prompt of a version is the same in every
// request for it, and Claude (marked with cache_control, anthropic.ts) and OpenAI (automatically)
// cache it — but only from a minimum length. Under it nothing is cached and no error says so:
// every request pays the whole prompt as input. The dry run names those versions; the run's
// summary shows how much input was read from the cache.
//
// Minimums, from Anthropic's prompt-caching page as reported in 2026 (4,096 tokens for Opus
// 4.5/4.6 and Haiku 4.5, 2,048 for Opus 4.7, 512 for the 5.0 Opus/Fable/Mythos, 1,024 for the
// Sonnets and the rest) and OpenAI's (1,024 for every model). A model not listed gets 1,024.

import { estimateTokens } from '../runner/plan.ts';

const ANTHROPIC_MIN: Array<[RegExp, number]> = [
  [/^claude-(opus-4-[56]|haiku-4-5)/, 4096],
  [/^claude-opus-4-7/, 2048],
  [/^claude-(opus|fable|mythos)-5(-\d{8})?$/, 512],
];

/** The shortest prompt prefix the provider caches for this model, in tokens; null when it does not cache. */
export function minCacheableTokens(provider: string, model: string): number | null {
  if (provider === 'anthropic') return ANTHROPIC_MIN.find(([re]) => re.test(model))?.[1] ?? 1024;
  if (provider === 'openai') return 1024;
  return null;
}

interface PlannedCell {
  version: string;
  model: { provider: string; model: string; label: string };
  request: { system: string };
}

/** One line per version × model whose system prompt is too short to be cached ("" when none). */
export function uncachedNotes(cells: readonly PlannedCell[]): string {
  const seen = new Set<string>();
  const lines: string[] = [];
  for (const c of cells) {
    const key = `${c.version}\n${c.model.provider}:${c.model.model}`;
    if (seen.has(key)) continue;
    seen.add(key);
    const min = minCacheableTokens(c.model.provider, c.model.model);
    const size = estimateTokens(c.request.system);
    if (min !== null && size > 0 && size < min) {
      lines.push(`  ${c.version} on ${c.model.label}: the system prompt is ~${size.toLocaleString('en')} tokens, under the ${min.toLocaleString('en')} the model caches: never cached, every request pays it in full`);
    }
  }
  return lines.length ? `\nprompt caching:\n${lines.join('\n')}\n` : '';
}

interface FinishedCell {
  version: string;
  label: string;
  usage: { input: number; cacheRead: number; cacheWrite: number };
}

/** Input read from the cache for one version × model: "62% (12.3k)", or "–" without input. */
export function cachedInput(cells: readonly FinishedCell[], version: string, label: string): string {
  let read = 0;
  let total = 0;
  for (const c of cells) {
    if (c.version !== version || c.label !== label) continue;
    read += c.usage.cacheRead;
    total += c.usage.input + c.usage.cacheRead + c.usage.cacheWrite;
  }
  if (!total) return '–';
  return `${Math.round((100 * read) / total)}% (${read >= 1000 ? `${(read / 1000).toFixed(1)}k` : read})`;
}
