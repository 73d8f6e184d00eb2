// The vendor-neutral half of the local API emulators: one node:http server on 127.0.0.1, a
// record of every request, the scripting hook that decides each reply, and the replies every
// vendor shares (errors with retry-after, a hung connection, a body that is not JSON). The
// vendor halves (anthropic-emulator.ts, openai-emulator.ts) only know their wire formats.
// Tests point the REAL SDKs here: nothing in the providers is stubbed.

import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { canonicalJson, sha256 } from '../canonical.ts';
import { paced, RateLimiter, type EmulatorRateLimits } from './rate-limits.ts';

export type Vendor = 'anthropic' | 'openai';

export interface EmulatedRequest {
  vendor: Vendor;
  /** e.g. "/v1/messages", "/v1/responses", "/v1/chat/completions". */
  path: string;
  body: Record<string, unknown>;
  /** Lower-cased header names. */
  headers: Record<string, string>;
  /** From `x-api-key` or `Authorization: Bearer`; null when neither was sent. */
  apiKey: string | null;
  /** How many earlier requests had the same path and body (0 for the first). */
  attempt: number;
  /** Read from the body for the hook's convenience ("" when absent). */
  model: string;
  system: string;
  user: string;
  maxTokens: number | null;
  /** Answered 429 by the emulator's rate limits (rate-limits.ts), not by the scripting hook. */
  limited?: true;
}

/** Token counts in promptgate's terms: `input` is the uncached part. */
export interface EmulatedUsage {
  input: number;
  output: number;
  cacheRead: number;
  cacheWrite: number;
}

export type Reply = (
  | {
      text: string;
      stopReason?: 'end' | 'max_tokens' | 'refusal';
      usage?: Partial<EmulatedUsage>;
      /**
       * An answer the service did not finish: OpenAI Responses `status: "incomplete"` with this
       * `incomplete_details.reason` (e.g. "interrupted"), Chat `finish_reason`, Anthropic `stop_reason`.
       */
      incomplete?: string;
      /** The usage object exactly as the body carries it, in the vendor's field names (null: no usage at all). */
      rawUsage?: Record<string, unknown> | null;
    }
  | {
      status: number;
      retryAfterMs?: number;
      message?: string;
      /** The error message quotes the request's headers, API key included, as a misconfigured gateway does. */
      echoHeaders?: true;
    }
  /** Accept the request and never answer. */
  | { hang: true }
  /** 200 with a JSON content type and a body that is not JSON. */
  | { malformed: true }
  /** Start a stream (or a body), send a few pieces, then destroy the socket. */
  | { cutStream: true }
  /** Start a stream (or a body), send a few pieces, then go silent without closing. */
  | { stallStream: true }
  /** Start a stream (or a body), send about half of it, then reset the connection (TCP RST). */
  | { resetStream: true }
  /** The default answer in two halves with this many ms of silence between: slow but alive. */
  | { pausedStream: number }
  /**
   * An `event: error` after a few deltas of an Anthropic stream (e.g. "overloaded_error"); a
   * request that is not streamed gets the matching HTTP error (529 for overloaded, else 500).
   */
  | { streamError: string; message?: string }
) & {
  /** Wait this long before answering (overrides the emulator's latencyMs). */
  delayMs?: number;
};

export type Respond = (req: EmulatedRequest) => Reply | undefined | Promise<Reply | undefined>;

export interface EmulatorOptions {
  /** Decides each reply; undefined (or no hook) means the default answer. */
  respond?: Respond;
  /** Delay before every reply, to look like a real model. */
  latencyMs?: number;
  /** Buckets per vendor and model, enforced with 429s and reported in headers (rate-limits.ts). */
  rateLimits?: EmulatorRateLimits;
  /** Deliver answers at this many output tokens per second (streamed or, for JSON, held as long). */
  tokensPerSecond?: number;
  /** System prompts shorter than this are never cached, as the real APIs do (default 0: any size). */
  minCacheableTokens?: number;
  /** Routes served before the vendor halves (batch-api.ts); returns true when it answered. */
  routes?: (incoming: IncomingMessage, res: ServerResponse) => boolean | Promise<boolean>;
}

/** What a vendor module supplies: how to read its requests and write its answers. */
export interface VendorApi {
  vendor: Vendor;
  paths: readonly string[];
  requestIdHeader: string;
  apiKeyOf(headers: Record<string, string>): string | null;
  promptOf(path: string, body: Record<string, unknown>): { model: string; system: string; user: string; maxTokens: number | null };
  /** A 400 for a request the real API would reject, or null. */
  invalid(req: EmulatedRequest): string | null;
  errorBody(status: number, message: string, requestId: string): unknown;
  answer(req: EmulatedRequest, res: ServerResponse, answer: Answer, requestId: string): void;
  /** Part of the answer, then the socket is destroyed (`then: 'cut'`), reset ('reset') or left silent ('stall'). */
  cut(req: EmulatedRequest, res: ServerResponse, answer: Answer, requestId: string, then: CutEnd): void;
  /** Streams only: a few deltas, then an error event. Returns false when the request is not streamed. */
  streamError?(req: EmulatedRequest, res: ServerResponse, answer: Answer, requestId: string, error: { type: string; message: string }): boolean;
  reset(): void;
}

/** A text reply with everything filled in. */
export interface Answer {
  text: string;
  stopReason: 'end' | 'max_tokens' | 'refusal';
  /** Set when the reply gave usage numbers; otherwise the vendor estimates them. */
  usage: Partial<EmulatedUsage>;
  incomplete?: string;
  rawUsage?: Record<string, unknown> | null;
}

export interface EmulatorServer {
  url: string;
  requests: EmulatedRequest[];
  respond: Respond | undefined;
  reset(): void;
  close(): Promise<void>;
}

export async function startServer(apis: VendorApi[], options: EmulatorOptions): Promise<EmulatorServer> {
  const requests: EmulatedRequest[] = [];
  const seen = new Map<string, number>();
  const limiter = new RateLimiter(options.rateLimits ?? {});
  let nextId = 1;
  const state: EmulatorServer = {
    url: '',
    requests,
    respond: options.respond,
    reset() {
      requests.length = 0;
      seen.clear();
      for (const api of apis) api.reset();
    },
    close: () => new Promise<void>((resolve) => {
      server.closeAllConnections(); // hung requests included
      server.close(() => resolve());
    }),
  };

  const handle = async (incoming: IncomingMessage, res: ServerResponse) => {
    if (await options.routes?.(incoming, res)) return;
    const path = (incoming.url ?? '/').split('?')[0]!;
    const api = incoming.method === 'POST' ? apis.find((a) => a.paths.includes(path)) : undefined;
    if (!api) return sendJson(res, 404, { error: { type: 'not_found_error', message: `emulator: no route ${incoming.method} ${path}` } });
    const requestId = `req_emu_${String(nextId++).padStart(6, '0')}`;
    const headers = Object.fromEntries(Object.entries(incoming.headers).map(([k, v]) => [k, Array.isArray(v) ? v.join(', ') : (v ?? '')]));
    const fail = (status: number, message: string, extra: Record<string, string> = {}) =>
      sendJson(res, status, api.errorBody(status, message, requestId), { [api.requestIdHeader]: requestId, ...extra });

    let body: Record<string, unknown>;
    try {
      const parsed: unknown = JSON.parse(await readBody(incoming));
      if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) throw new Error('not an object');
      body = parsed as Record<string, unknown>;
    } catch {
      return fail(400, 'emulator: the request body is not a JSON object');
    }
    const key = `${path} ${canonicalJson(body)}`;
    const attempt = seen.get(key) ?? 0;
    seen.set(key, attempt + 1);
    const req: EmulatedRequest = { vendor: api.vendor, path, body, headers, apiKey: api.apiKeyOf(headers), attempt, ...api.promptOf(path, body) };
    requests.push(req);

    if (!req.apiKey) return fail(401, 'emulator: no API key (expected x-api-key or Authorization: Bearer)');
    const invalid = api.invalid(req);
    if (invalid) return fail(400, invalid);

    const reply = (await state.respond?.(req)) ?? { text: defaultText(req) };
    const limits = () => limiter.headers(api.vendor, req.model);
    // Admitted (or refused) on arrival, as the real APIs do, before the model's latency.
    const admission = 'text' in reply ? limiter.admit(api.vendor, req.model, tokens(req.system) + tokens(req.user), req.maxTokens ?? 0) : null;
    if (admission && !admission.ok) {
      req.limited = true;
      return fail(429, `emulator: rate limit exceeded for ${req.model}; retry after ${Math.ceil(admission.retryAfterMs / 1000)} s`, { 'retry-after': String(Math.ceil(admission.retryAfterMs / 1000)), ...limits() });
    }
    await sleep(reply.delayMs ?? options.latencyMs ?? 0);
    if (incoming.socket.destroyed) return; // the client gave up while we waited
    if ('hang' in reply) return;
    if ('malformed' in reply) {
      res.writeHead(200, { 'content-type': 'application/json', [api.requestIdHeader]: requestId });
      return void res.end('{"id": "broken", "content": [{"type": "text", "text": "cut he');
    }
    if ('status' in reply) {
      const retry: Record<string, string> =
        reply.retryAfterMs === undefined ? {} : { 'retry-after-ms': String(reply.retryAfterMs), 'retry-after': String(Math.ceil(reply.retryAfterMs / 1000)) };
      const echo = reply.echoHeaders ? ` (request headers: ${JSON.stringify(headers)})` : '';
      return fail(reply.status, `${reply.message ?? `emulator: scripted ${reply.status}`}${echo}`, { ...limits(), ...retry });
    }
    if ('text' in reply) {
      const answer: Answer = {
        text: reply.text,
        stopReason: reply.stopReason ?? 'end',
        usage: reply.usage ?? {},
        ...(reply.incomplete !== undefined && { incomplete: reply.incomplete }),
        ...(reply.rawUsage !== undefined && { rawUsage: reply.rawUsage }),
      };
      const fitted = reply.stopReason ? answer : fitToLimit(answer, req.maxTokens);
      const output = fitted.usage.output ?? tokens(fitted.text);
      const tps = options.tokensPerSecond;
      if (!tps && !limiter.limits(api.vendor)) return api.answer(req, res, fitted, requestId);
      return api.answer(req, paced(res, tps ? (output / tps) * 1000 : 0, limits, () => admission?.finish(output)), fitted, requestId);
    }
    const partial: Answer = { text: defaultText(req), stopReason: 'end', usage: {} };
    if ('pausedStream' in reply) return api.answer(req, pausing(res, reply.pausedStream), partial, requestId);
    if ('cutStream' in reply || 'stallStream' in reply || 'resetStream' in reply) return api.cut(req, res, partial, requestId, 'cutStream' in reply ? 'cut' : 'resetStream' in reply ? 'reset' : 'stall');
    const error = { type: reply.streamError, message: reply.message ?? `emulator: scripted ${reply.streamError}` };
    if (api.streamError?.(req, res, partial, requestId, error)) return;
    fail(reply.streamError === 'overloaded_error' ? 529 : 500, error.message);
  };

  const server = createServer((incoming, res) => {
    handle(incoming, res).catch((error: unknown) => {
      if (!res.headersSent) sendJson(res, 500, { error: { type: 'api_error', message: `emulator bug: ${String(error)}` } });
      else res.destroy();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  state.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return state;
}

/** About four characters a token, as the vendors' rule of thumb says; never 0 for text. */
export function tokens(text: string): number {
  return text ? Math.ceil(text.length / 4) : 0;
}

/**
 * The default answer: a short markdown document that depends only on the request (model,
 * system and user text), so identical requests get identical text.
 */
export function defaultText(req: Pick<EmulatedRequest, 'model' | 'system' | 'user'>): string {
  const hash = sha256(`${req.model}\n${req.system}\n${req.user}`);
  const asked = req.user.replace(/\s+/g, ' ').trim().slice(0, 80);
  return [
    `# Emulated answer from ${req.model || 'an unnamed model'}`,
    '',
    `Fingerprint: \`${hash.slice(0, 12)}\``,
    '',
    '## Summary',
    '',
    `This deterministic document stands in for a model's answer to: "${asked}".`,
    '',
    '## Request',
    '',
    `- System prompt: ${req.system.length} characters`,
    `- User message: ${req.user.length} characters`,
    `- Digest words: ${hash.slice(12, 36).match(/.{6}/g)!.join(' ')}`,
    '',
  ].join('\n');
}

/** The emulator honours max tokens like a model: a longer text is cut and says so (unless the reply names a stop reason). */
function fitToLimit(answer: Answer, maxTokens: number | null): Answer {
  if (maxTokens === null || tokens(answer.text) <= maxTokens) return answer;
  return { ...answer, text: answer.text.slice(0, maxTokens * 4), stopReason: 'max_tokens' };
}

export function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text), ...headers });
  res.end(text);
}

/** Start an SSE response; `send` writes one event (with an `event:` line when named). */
export function startSse(res: ServerResponse, headers: Record<string, string>): (event: string | null, data: unknown) => void {
  res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache', connection: 'keep-alive', ...headers });
  return (event, data) => void res.write(`${event ? `event: ${event}\n` : ''}data: ${typeof data === 'string' ? data : JSON.stringify(data)}\n\n`);
}

/** Destroy the socket once what was written so far has been flushed: the client sees a cut. */
export function destroyAfterFlush(res: ServerResponse): void {
  res.write('', () => res.socket?.destroy());
}

/**
 * `res`, made to send its body in two halves with `ms` of silence between: what the vendor half
 * writes is held until it ends, then the first half goes out at once and the rest after the pause.
 */
function pausing(res: ServerResponse, ms: number): ServerResponse {
  const held: Buffer[] = [];
  const write = res.write.bind(res) as (chunk: Buffer) => boolean;
  const end = res.end.bind(res) as (chunk: Buffer) => ServerResponse;
  const hold = (chunk: unknown) => void (chunk != null && held.push(Buffer.from(chunk as string)));
  Object.assign(res, {
    write: (chunk: unknown) => (hold(chunk), true),
    end: (chunk?: unknown) => {
      hold(typeof chunk === 'function' ? null : chunk);
      const body = Buffer.concat(held);
      const half = Math.floor(body.length / 2);
      write(body.subarray(0, half));
      setTimeout(() => void (!res.destroyed && end(body.subarray(half))), ms);
      return res;
    },
  });
  return res;
}

/** How a cut reply ends: the socket closed, reset (RST: the client sees ECONNRESET), or silent. */
export type CutEnd = 'cut' | 'stall' | 'reset';

/** End a cut reply as `then` says, once what was written has been flushed. */
export function endCut(res: ServerResponse, then: CutEnd): void {
  if (then === 'cut') destroyAfterFlush(res);
  else if (then === 'reset') res.write('', () => res.socket?.resetAndDestroy());
}

/** Text in pieces of about `size` characters (whole code points), as a stream would deliver it. */
export function chunks(text: string, size = 48): string[] {
  const points = Array.from(text);
  const out: string[] = [];
  for (let i = 0; i < points.length; i += size) out.push(points.slice(i, i + size).join(''));
  return out;
}

/** A JSON body that promises more than it sends: headers, a few bytes, then a dropped socket or silence. */
export function cutBody(res: ServerResponse, headers: Record<string, string>, then: CutEnd): void {
  res.writeHead(200, { 'content-type': 'application/json', 'content-length': 4096, ...headers });
  res.write('{"id": "emu_cut", "object": "response", "content": [{"type": "text", "text": "the answer sto');
  endCut(res, then);
}

export const str = (v: unknown): string => (typeof v === 'string' ? v : '');

/** A string, or the text of an array of content blocks (`{ text }` parts). */
export function textOf(content: unknown): string {
  if (typeof content === 'string') return content;
  if (!Array.isArray(content)) return '';
  return content.map((b: { text?: unknown }) => str(b?.text)).join('\n');
}

/** The content of the last message with one of these roles. */
export function lastOfRole(messages: unknown, ...roles: string[]): unknown {
  if (!Array.isArray(messages)) return undefined;
  return (messages as Array<{ role?: unknown; content?: unknown }>).filter((m) => roles.includes(str(m?.role))).at(-1)?.content;
}

export function bearer(authorization: string | undefined): string | null {
  const m = /^Bearer\s+(.+)$/i.exec(authorization ?? '');
  return m ? m[1]!.trim() : null;
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const parts: Buffer[] = [];
    req.on('data', (c: Buffer) => parts.push(c));
    req.on('end', () => resolve(Buffer.concat(parts).toString('utf8')));
    req.on('error', reject);
  });
}

const sleep = (ms: number) => (ms > 0 ? new Promise<void>((r) => setTimeout(r, ms)) : Promise.resolve());
