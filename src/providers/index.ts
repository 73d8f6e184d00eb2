// The one place that knows which module serves which provider id. Adding a vendor means one
// module and one case here; the runner only ever sees the Provider interface.
//
// A provider's module (and so its SDK) is loaded on its first request, not at start-up: the
// Anthropic SDK alone costs ~0.1 s to load, wasted on a run, a dry run or a CI job that has no
// Claude model or no key for it.

import type { Provider, ProviderConfig } from './types.ts';

export function createProvider(config: ProviderConfig): Provider {
  let loaded: Promise<Provider> | null = null;
  const load = () =>
    (loaded ??=
      config.provider === 'anthropic'
        ? import('./anthropic.ts').then((m) => m.createAnthropicProvider(config))
        : import('./openai.ts').then((m) => m.createOpenAIProvider(config)));
  return {
    id: config.provider,
    complete: async (request) => (await load()).complete(request),
  };
}
