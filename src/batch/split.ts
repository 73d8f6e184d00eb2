// Cells into batches: one model per batch (OpenAI requires it; Anthropic bills and limits per
// model anyway), each batch within the vendor's request count and byte size. Requests that
// share a store key are sent once: they are the same question, and a custom id must be unique.

import { modelKey } from '../runner/execute.ts';
import type { Cell } from '../runner/plan.ts';
import type { BatchClient } from './types.ts';

export interface Chunk {
  model: string;
  cells: Cell[];
}

export function splitIntoBatches(cells: Cell[], clientOf: (model: string) => BatchClient): Chunk[] {
  const byModel = new Map<string, Cell[]>();
  const seen = new Set<string>();
  for (const c of cells) {
    if (seen.has(c.storeKey)) continue;
    seen.add(c.storeKey);
    const list = byModel.get(modelKey(c)) ?? byModel.set(modelKey(c), []).get(modelKey(c))!;
    list.push(c);
  }
  const chunks: Chunk[] = [];
  for (const [model, list] of byModel) {
    const client = clientOf(model);
    let current: Cell[] = [];
    let bytes = 0;
    for (const c of list) {
      const size = Buffer.byteLength(client.line(c)) + 1;
      if (current.length && (current.length >= client.maxRequests || bytes + size > client.maxBytes)) {
        chunks.push({ model, cells: current });
        current = [];
        bytes = 0;
      }
      current.push(c);
      bytes += size;
    }
    if (current.length) chunks.push({ model, cells: current });
  }
  return chunks;
}
