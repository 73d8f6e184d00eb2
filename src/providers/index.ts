// The one place that knows which module serves which provider id. Adding a vendor means one
// module and one case here; the runner only ever sees the Provider interface.

import { createAnthropicProvider } from './anthropic.ts';
import { createOpenAIProvider } from './openai.ts';
import type { Provider, ProviderConfig } from './types.ts';

export function createProvider(config: ProviderConfig): Provider {
  switch (config.provider) {
    case 'anthropic':
      return createAnthropicProvider(config);
    case 'openai':
    case 'openai-compatible':
      return createOpenAIProvider(config);
  }
}

