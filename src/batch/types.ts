// Plain data shared by the batch modules: what a vendor's batch client does, what one submitted
// batch is on record as, and what came back for each request in it.
//
// Every request in a batch is named by its cell's response-store key (a sha256: 64 characters
// of [0-9a-f], which both vendors accept as a custom id), so a result lands in the store under
// exactly the key a live answer would have — whoever submitted the batch, and whichever run
// collects it.

import { Type, type Static } from '@sinclair/typebox';
import type { Completion } from '../providers/types.ts';
import type { Cell } from '../runner/plan.ts';

export type BatchVendor = 'anthropic' | 'openai';

/** A submitted batch, as recorded the moment its id is known (registry.ts); checked when read back. */
export const BatchRecordSchema = Type.Object(
  {
    id: Type.String({ minLength: 1, pattern: '^[A-Za-z0-9_-]+$' }),
    vendor: Type.Union([Type.Literal('anthropic'), Type.Literal('openai')]),
    /** `provider:model` of every request in it (one model per batch). */
    model: Type.String({ minLength: 3 }),
    /** The run that submitted it. */
    runId: Type.String({ minLength: 1 }),
    submittedAt: Type.String({ minLength: 1 }),
    /** One per request: its cell's store key (also its custom_id) and sample, what storing its answer needs. */
    entries: Type.Array(Type.Object({ key: Type.String({ pattern: '^[0-9a-f]{64}$' }), sample: Type.Integer({ minimum: 0 }) }, { additionalProperties: false }), { minItems: 1 }),
    /** --cancel-batches asked the vendor to cancel it. */
    cancelRequested: Type.Optional(Type.Literal(true)),
  },
  { additionalProperties: false },
);
export type BatchRecord = Static<typeof BatchRecordSchema>;

/** A batch's state as polled, in the vendor's words plus the counts promptgate shows. */
export interface BatchStatus {
  /** "in_progress", "ended", "validating", "finalizing", "completed", "expired", "cancelling"... */
  state: string;
  ended: boolean;
  total: number;
  succeeded: number;
  failed: number;
  /** Why the whole batch failed (OpenAI status "failed": the input was refused). */
  reason?: string;
}

/** One request's outcome: its answer, or why there is none (an error, expired, canceled). */
export type ItemResult =
  | { key: string; completion: Completion }
  | { key: string; failure: 'errored' | 'expired' | 'canceled'; reason: string };

/** What a vendor's batch API offers promptgate: submit, poll, collect, cancel. */
export interface BatchClient {
  vendor: BatchVendor;
  /** The vendor's limits on one batch: requests, and bytes of request bodies. */
  maxRequests: number;
  maxBytes: number;
  /** The request line for one cell (its size counts against maxBytes). */
  line(cell: Cell): string;
  submit(cells: Cell[], signal?: AbortSignal): Promise<string>;
  status(id: string): Promise<BatchStatus>;
  results(id: string, submittedAt: string): Promise<ItemResult[]>;
  cancel(id: string): Promise<void>;
}
