// Keys and endpoints, read from the environment once, at the edge, and handed to providers.
// A key is never written anywhere: not to run.json, the journal, the store, results or logs.

import { UsageError } from '../errors.ts';
import { MASK } from '../redact.ts';
import type { ModelConfig } from '../suite/schema.ts';
import type { ProviderConfig } from '../providers/types.ts';

export interface Credentials {
  config: ProviderConfig | null;
  /** Why the model cannot run live, as one line a user can act on. */
  missing: string | null;
}

/** The environment variable a model's key comes from (also named by reports of a run without it). */
export const keyVarOf = (m: Pick<ModelConfig, 'provider' | 'apiKeyEnv'>) => m.apiKeyEnv ?? (m.provider === 'anthropic' ? 'ANTHROPIC_API_KEY' : 'OPENAI_API_KEY');

export function credentialsFor(m: ModelConfig, env: NodeJS.ProcessEnv): Credentials {
  const keyVar = keyVarOf(m);
  const urlVar = m.provider === 'anthropic' ? 'ANTHROPIC_BASE_URL' : 'OPENAI_BASE_URL';
  const apiKey = env[keyVar]?.trim() || undefined;
  const baseURL = m.baseURL ?? (env[urlVar]?.trim() || undefined);
  // fetch refuses URLs with credentials, and its error quotes the URL, password and all: say so
  // now, without the password, instead of failing every request with it in the message.
  if (baseURL && hasUserinfo(baseURL)) {
    const where = m.baseURL ? `the suite's baseURL of ${m.label ?? m.model}` : urlVar;
    throw new UsageError(`${where}: ${withoutUserinfo(baseURL)} carries credentials (user:password@), which cannot be sent that way; give the key in ${keyVar} and drop them from the URL`);
  }
  if (!apiKey && m.provider !== 'openai-compatible') {
    return { config: null, missing: `skipping ${m.label ?? m.model}: set ${keyVar} to run it live (stored responses are still graded)` };
  }
  if (m.provider === 'openai-compatible' && !baseURL) {
    return { config: null, missing: `skipping ${m.label ?? m.model}: an openai-compatible model needs baseURL in the suite or ${urlVar}` };
  }
  return {
    config: {
      provider: m.provider,
      ...(baseURL && { baseURL }),
      ...(apiKey && { apiKey }),
      ...(m.provider !== 'anthropic' && { api: m.api ?? 'responses' }),
      timeoutMs: (m.timeoutSeconds ?? 600) * 1000,
      idleTimeoutMs: (m.idleTimeoutSeconds ?? 60) * 1000,
    },
    missing: null,
  };
}

const USERINFO = /^([a-z][a-z0-9+.-]*:\/\/)[^\s/?#@]*@/i;
const hasUserinfo = (url: string) => USERINFO.test(url);
const withoutUserinfo = (url: string) => url.replace(USERINFO, `$1${MASK}@`);
