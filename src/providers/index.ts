// The one place that knows which module serves which provider id. Adding a vendor means one
// module and one case here; the runner only ever sees the Provider interface.
//
// A provider's module (and so its SDK) is loaded on its first request, not at start-up: the
// Anthropic SDK alone costs ~0.1 s to load, wasted on a run, a dry run or a CI job that has no
// Claude model or no key for it.

import { addSecret, addUrlSecrets, redactSecrets } from '../redact.ts';
import type { Completion, Provider, ProviderConfig } from './types.ts';

export function createProvider(config: ProviderConfig): Provider {
  // A key handed to a provider is a secret wherever it may turn up later (redact.ts), whatever
  // variable it came from.
  addSecret(config.apiKey);
  addUrlSecrets(config.baseURL);
  let loaded: Promise<Provider> | null = null;
  const load = () =>
    (loaded ??=
      config.provider === 'anthropic'
        ? import('./anthropic.ts').then((m) => m.createAnthropicProvider(config))
        : import('./openai.ts').then((m) => m.createOpenAIProvider(config)));
  return {
    id: config.provider,
    complete: async (request) => scrubbed(await (await load()).complete(request)),
  };
}

/**
 * A completion with our keys masked in every text the provider sent. Only the exact key values:
 * a gateway that echoes the request into a 200 answer must not put a key into the store and the
 * reports, but a document that merely shows what a key looks like is left as it is.
 */
function scrubbed(c: Completion): Completion {
  const mask = <T>(v: T): T => (typeof v === 'string' ? (redactSecrets(v) as T) : v);
  return { ...c, text: mask(c.text), model: mask(c.model), rawStopReason: mask(c.rawStopReason) };
}
