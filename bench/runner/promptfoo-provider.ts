// promptfoo's side of the runner benchmark: a custom provider that sends each row through
// promptgate's OWN OpenAI provider (the official SDK, Responses API, retries off) to the same
// emulator, with the same system and user text promptgate sends for that cell. So both tools
// do identical wire work and the benchmark compares the harnesses, not the HTTP clients.
// `config.provider` picks Anthropic or OpenAI (default). Each answer, and each error, carries its
// HTTP status and rate-limit headers in `metadata.http`, as promptfoo's own providers report
// them, so its scheduler can honour retry-after and learn the limits (src/scheduler in 0.121).
// Default export only (promptfoo 0.121 mis-resolves `file:…:name` next to a default export).

import { readFileSync } from 'node:fs';
import { createProvider } from '../../src/providers/index.ts';
import type { ResponseInfo } from '../../src/providers/rate-headers.ts';
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

  private readonly vendor: 'anthropic' | 'openai';

  constructor(opts: { config: { requests: string; model: string; provider?: 'anthropic' | 'openai' } }) {
    this.requests = JSON.parse(readFileSync(opts.config.requests, 'utf8')) as Record<string, Request>;
    this.model = opts.config.model;
    this.vendor = opts.config.provider ?? 'openai';
    this.provider =
      this.vendor === 'anthropic'
        ? createProvider({ provider: 'anthropic', baseURL: process.env.ANTHROPIC_BASE_URL!, apiKey: process.env.ANTHROPIC_API_KEY!, timeoutMs: 600_000 })
        : createProvider({ provider: 'openai', api: 'responses', baseURL: process.env.OPENAI_BASE_URL!, apiKey: process.env.OPENAI_API_KEY!, timeoutMs: 600_000 });
  }

  id(): string {
    return `promptgate-bench-${this.vendor}`;
  }

  /** `prompt` names the version ("version 1_2_0"); the scenario comes from the test's vars. */
  async callApi(prompt: string, context?: { vars?: Record<string, unknown> }) {
    const request = this.requests[`${prompt.replace(/^version /, '').replaceAll('_', '.')}|${String(context?.vars?.scenario)}`];
    if (!request) return { error: `no request for ${prompt} × ${String(context?.vars?.scenario)}` };
    let http: ResponseInfo | null = null;
    const metadata = () => (http ? { http: { status: http.status, headers: http.headers } } : {});
    try {
      const c = await this.provider.complete({ model: this.model, ...request, onResponse: (info) => void (http = info) });
      return { output: c.text, tokenUsage: { prompt: c.usage.input, completion: c.usage.output, total: c.usage.input + c.usage.output }, latencyMs: c.latencyMs, metadata: metadata() };
    } catch (error) {
      return { error: (error as Error).message, metadata: metadata() };
    }
  }
}
