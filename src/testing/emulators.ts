// Local stand-ins for the Anthropic and OpenAI APIs, for tests, the end-to-end runner test and
// the benchmark: one node:http server on 127.0.0.1 (a free port) that the REAL SDKs talk to.
//
//   const emu = await startEmulators({ respond: (req) => (req.attempt === 0 ? { status: 429, retryAfterMs: 1 } : undefined) });
//   new Anthropic({ apiKey: 'k', baseURL: emu.anthropic.baseURL });   // no /v1
//   new OpenAI({ apiKey: 'k', baseURL: emu.openai.baseURL });         // with /v1
//   ... emu.requests ...; await emu.close();
//
// `respond` returns a Reply (see emulator-core.ts) or undefined for the default answer: a short
// markdown document derived from the model, system and user text, so identical requests get
// identical text. It can be replaced between tests: `emu.respond = ...`.

import { anthropicApi } from './anthropic-emulator.ts';
import { batchApi, type BatchApi } from './batch-api.ts';
import { startServer, type EmulatedRequest, type EmulatorOptions, type Respond } from './emulator-core.ts';
import { openaiApi } from './openai-emulator.ts';

export type { EmulatedRequest, EmulatedUsage, EmulatorOptions, Reply, Respond, Vendor } from './emulator-core.ts';
export { defaultText } from './emulator-core.ts';

export interface Emulators {
  /** `http://127.0.0.1:PORT`: the Anthropic SDK adds /v1 itself. */
  anthropic: { baseURL: string };
  /** `http://127.0.0.1:PORT/v1`: the OpenAI SDK expects /v1 in the base URL. */
  openai: { baseURL: string };
  /** Every request received, in order (rejected ones included). */
  readonly requests: EmulatedRequest[];
  /** The scripting hook; replaceable at any time. */
  respond: Respond | undefined;
  /** Forget requests, attempt counts and prompt caches (the hook stays). */
  reset(): void;
  /** Both batch APIs (batch-api.ts): their script and what was submitted. */
  readonly batches: BatchApi;
  /** Stop the server, dropping hung connections. */
  close(): Promise<void>;
}

export async function startEmulators(options: EmulatorOptions = {}): Promise<Emulators> {
  const batches = batchApi(options.minCacheableTokens);
  const server = await startServer([anthropicApi(options.minCacheableTokens), openaiApi(options.minCacheableTokens)], { ...options, routes: batches.handle });
  return {
    anthropic: { baseURL: server.url },
    openai: { baseURL: `${server.url}/v1` },
    requests: server.requests,
    get respond() {
      return server.respond;
    },
    set respond(hook) {
      server.respond = hook;
    },
    batches,
    reset: () => (server.reset(), batches.reset()),
    close: () => server.close(),
  };
}
