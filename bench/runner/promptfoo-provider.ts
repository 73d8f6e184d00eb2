// promptfoo's side of the runner benchmark: a custom provider that sends each row through
// promptgate's OWN OpenAI provider (the official SDK, Responses API, retries off) to the same
// emulator, with the same system and user text promptgate sends for that cell. So both tools
// do identical wire work and the benchmark compares the harnesses, not the HTTP clients.
// Default export only (promptfoo 0.121 mis-resolves `file:…:name` next to a default export).

import { readFileSync } from 'node:fs';
import { createProvider } from '../../src/providers/index.ts';
import type { Provider } from '../../src/providers/types.ts';

interface Request {
  system: string;
  user: string;
  maxTokens: number;
}

export default class PromptgateBenchProvider {
  private readonly provider: Provider;
  private readonly requests: Record<string, Request>;
  private readonly model: string;

  constructor(opts: { config: { requests: string; model: string } }) {
    this.requests = JSON.parse(readFileSync(opts.config.requests, 'utf8')) as Record<string, Request>;
    this.model = opts.config.model;
    this.provider = createProvider({ provider: 'openai', api: 'responses', baseURL: process.env.OPENAI_BASE_URL!, apiKey: process.env.OPENAI_API_KEY!, timeoutMs: 600_000 });
  }

  id(): string {
    return 'promptgate-bench';
  }

  /** `prompt` names the version ("version 1_2_0"); the scenario comes from the test's vars. */
  async callApi(prompt: string, context?: { vars?: Record<string, unknown> }) {
    const request = this.requests[`${prompt.replace(/^version /, '').replaceAll('_', '.')}|${String(context?.vars?.scenario)}`];
    if (!request) return { error: `no request for ${prompt} × ${String(context?.vars?.scenario)}` };
    try {
      const c = await this.provider.complete({ model: this.model, ...request });
      return { output: c.text, tokenUsage: { prompt: c.usage.input, completion: c.usage.output, total: c.usage.input + c.usage.output }, latencyMs: c.latencyMs };
    } catch (error) {
      return { error: (error as Error).message };
    }
  }
}
