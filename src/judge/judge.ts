// One judgement: a rubric, a document and a judge model in; a verdict with its quoted evidence,
// its cost and whether it came from the store out. Judge answers are kept in the response store
// like any model answer, keyed by what was asked (rubric and document are in the request), the
// judge model and its settings, so judging a run again — or the calibration set — pays nothing.
// A malformed answer (answer.ts) is asked once more; a second one is an error, never a verdict.

import type { Scenario } from '../dataset/schema.ts';
import { costUsd, priceOf } from '../providers/prices.ts';
import { ProviderError, type Completion, type Provider } from '../providers/types.ts';
import { DEFAULT_RETRY, withRetry, type RetryPolicy } from '../runner/retry.ts';
import { completionHash, storeKey, type ResponseStore } from '../runner/store.ts';
import type { ModelConfig } from '../suite/schema.ts';
import { readAnswer, type JudgeAnswer } from './answer.ts';
import { JUDGE_SYSTEM, judgeUserMessage } from './prompt.ts';
import type { Rubric } from './rubric.ts';

/** Long enough for the JSON and a short reason; a judge that needs more is rambling. */
export const JUDGE_MAX_TOKENS = 1024;
/** Attempts at a well-formed answer: the first, and one retry. */
const ANSWER_ATTEMPTS = 2;

export interface Judgement {
  rubric: string;
  /** The judge model, provider:model. */
  judge: string;
  verdict: 'pass' | 'fail' | null;
  score: number | null;
  quotes: string[];
  reason: string;
  /** Why there is no verdict: malformed twice, a refusal, a provider error. */
  error?: string;
  costUsd: number | null;
  /** Every answer came from the store (nothing paid now). */
  cached: boolean;
  attempts: number;
}

export interface JudgeCall {
  rubric: Rubric;
  document: string;
  scenario: Scenario | null;
  judge: ModelConfig;
  provider: Provider;
  store: ResponseStore;
  retry?: RetryPolicy;
  signal?: AbortSignal;
}

/** The judge for a document a `writer` provider wrote: one of another family when the suite names one. */
export function pickJudge(writer: string, judges: readonly ModelConfig[]): ModelConfig {
  const family = (p: string) => (p === 'anthropic' ? 'claude' : p === 'reference' ? 'none' : 'gpt');
  return judges.find((j) => family(j.provider) !== family(writer)) ?? judges[0]!;
}

export const judgeLabel = (j: Pick<ModelConfig, 'provider' | 'model'>) => `${j.provider}:${j.model}`;

export async function judge(call: JudgeCall): Promise<Judgement> {
  const { rubric, document, judge: model, provider, store } = call;
  const system = JUDGE_SYSTEM;
  const user = judgeUserMessage(rubric, document, call.scenario);
  const params = { maxTokens: model.maxTokens ?? JUDGE_MAX_TOKENS, temperature: model.temperature ?? 0, ...(model.provider !== 'anthropic' && { api: model.api ?? 'responses' }) };
  const base = { rubric: rubric.id, judge: judgeLabel(model) };
  let cost: number | null = 0;
  let cached = true;
  let problem = '';
  for (let attempt = 0; attempt < ANSWER_ATTEMPTS; attempt++) {
    // The attempt is the key's sample: a retried question is a new request, kept apart from the first.
    const key = storeKey({ provider: model.provider, model: model.model, params, system, user, sample: attempt, nonce: 'judge' });
    let completion: Completion;
    const stored = store.get(key);
    try {
      if (stored) completion = stored.completion;
      else {
        cached = false;
        completion = await withRetry(() => provider.complete({ model: model.model, system, user, maxTokens: params.maxTokens, ...(model.provider === 'anthropic' ? {} : { temperature: params.temperature }), ...(call.signal && { signal: call.signal }) }), call.retry ?? DEFAULT_RETRY, call.signal ? { signal: call.signal } : {});
        await store.put({ key, provider: model.provider, model: model.model, sample: attempt, completion, storedAt: new Date().toISOString(), sha256: completionHash(completion) });
      }
    } catch (error) {
      const message = error instanceof ProviderError ? `${error.kind}${error.status ? ` (HTTP ${error.status})` : ''}: ${error.message}` : (error as Error).message;
      return { ...base, verdict: null, score: null, quotes: [], reason: '', error: message, costUsd: cost, cached, attempts: attempt + 1 };
    }
    const spent = costUsd(completion.usage, priceOf(model.model, model.price));
    cost = cost === null || spent === null ? null : cost + spent;
    if (completion.stopReason === 'refusal') return { ...base, verdict: null, score: null, quotes: [], reason: '', error: 'the judge refused', costUsd: cost, cached, attempts: attempt + 1 };
    const read = readAnswer(completion.text, document);
    if ('answer' in read) return { ...base, ...fromAnswer(read.answer), costUsd: cost, cached, attempts: attempt + 1 };
    problem = read.problem;
  }
  return { ...base, verdict: null, score: null, quotes: [], reason: '', error: `malformed answer twice (${problem})`, costUsd: cost, cached, attempts: ANSWER_ATTEMPTS };
}

const fromAnswer = (a: JudgeAnswer) => ({ verdict: a.verdict, score: a.score, quotes: a.quotes, reason: a.reason });
