// Plain data shared by the batch modules: what a vendor's batch client does, what one submitted
// batch is on record as, and what came back for each request in it.
//
// Every request in a batch is named by its cell's response-store key (a sha256: 64 characters
// of [0-9a-f], which both vendors accept as a custom id), so a result lands in the store under
// exactly the key a live answer would have — whoever submitted the batch, and whichever run
// collects it.

import type { Completion } from '../providers/types.ts';
import type { Cell } from '../runner/plan.ts';

export type BatchVendor = 'anthropic' | 'openai';

/** One request of a submitted batch: what is needed to store its answer. */
export interface BatchEntry {
  /** The cell's store key, also the request's custom_id. */
  key: string;
  sample: number;
}

/** A submitted batch, as recorded the moment its id is known (registry.ts, the run's batches.jsonl). */
export interface BatchRecord {
  id: string;
  vendor: BatchVendor;
  /** `provider:model` of every request in it (one model per batch). */
  model: string;
  /** The run that submitted it. */
  runId: string;
  submittedAt: string;
  entries: BatchEntry[];
  /** --cancel-batches asked the vendor to cancel it. */
  cancelRequested?: true;
}

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
