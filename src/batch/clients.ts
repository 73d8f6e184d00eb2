// A batch client per model that can be batched: a key (or endpoint) to reach it and a vendor
// with a batch API. OpenAI-compatible servers have none; their cells run live.

import type { ProviderConfig } from '../providers/types.ts';
import type { Suite } from '../suite/schema.ts';
import { anthropicBatches } from './anthropic.ts';
import { openaiBatches } from './openai.ts';
import { hasBatchApi } from './price.ts';
import type { BatchClient } from './types.ts';

export function batchClients(suite: Suite, configs: Map<string, ProviderConfig | null>): Map<string, BatchClient> {
  const limits = { ...(suite.batch?.maxRequests !== undefined && { maxRequests: suite.batch.maxRequests }), ...(suite.batch?.maxBytes !== undefined && { maxBytes: suite.batch.maxBytes }) };
  const clients = new Map<string, BatchClient>();
  for (const m of suite.models) {
    const key = `${m.provider}:${m.model}`;
    const config = configs.get(key);
    if (!config || !hasBatchApi(m.provider)) continue;
    clients.set(key, m.provider === 'anthropic' ? anthropicBatches(config, limits) : openaiBatches(config, limits));
  }
  return clients;
}
