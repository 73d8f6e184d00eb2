// Where submitted batches are on record until their results are in the store.
//
// Two records, both written the moment a batch id is known, before anything waits on it:
// - the store's `batches/<id>.json` (one file per open batch, written atomically): any later
//   eval on this store — `--resume`, or a second `eval` of the same suite — finds the batch and
//   polls it instead of submitting its requests again. The file goes once every answer of the
//   batch is in the store, so a kill while collecting only means collecting again.
// - the run's `batches.jsonl` (appended, like the cell journal): every batch the run submitted
//   or collected, each failed request with its reason — the run's history of its batches.

import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Journal, readJournal } from '../runner/journal.ts';
import { compileSchema } from '../validators.ts';
import { BatchRecordSchema, type BatchRecord, type BatchStatus } from './types.ts';

export class OpenBatches {
  readonly dir: string;
  constructor(storeDir: string) {
    this.dir = join(storeDir, 'batches');
  }

  list(warn: (message: string) => void = () => {}): BatchRecord[] {
    if (!existsSync(this.dir)) return [];
    return readdirSync(this.dir)
      .filter((f) => f.endsWith('.json'))
      .flatMap((f) => {
        try {
          const r: unknown = JSON.parse(readFileSync(join(this.dir, f), 'utf8'));
          const valid = compileSchema(BatchRecordSchema);
          if (!valid(r)) throw new Error(`${valid.errors?.[0]?.instancePath || '/'} ${valid.errors?.[0]?.message ?? 'is not a batch record'}`);
          return [r];
        } catch (error) {
          warn(`${join(this.dir, f)}: unreadable batch record (${(error as Error).message}); its batch is not polled`);
          return [];
        }
      })
      .sort((a, b) => a.submittedAt.localeCompare(b.submittedAt));
  }

  put(record: BatchRecord): void {
    mkdirSync(this.dir, { recursive: true });
    const file = join(this.dir, `${record.id}.json`);
    const tmp = `${file}.${process.pid}.tmp`;
    writeFileSync(tmp, `${JSON.stringify(record)}\n`);
    renameSync(tmp, file);
  }

  remove(id: string): void {
    rmSync(join(this.dir, `${id}.json`), { force: true });
  }
}

/** One line of a run's batches.jsonl. */
export type BatchLogLine =
  | { type: 'submitted'; at: string; id: string; vendor: BatchRecord['vendor']; model: string; requests: number; keys: string[] }
  | { type: 'adopted'; at: string; id: string; model: string; submittedBy: string; requests: number }
  | { type: 'ended'; at: string; id: string; status: BatchStatus }
  | { type: 'collected'; at: string; id: string; keys: string[] }
  | { type: 'failed'; at: string; id: string; key: string; failure: string; reason: string }
  | { type: 'cancel'; at: string; id: string };

export class BatchLog {
  private journal: Journal | null = null;
  constructor(readonly file: string) {}

  append(line: BatchLogLine): void {
    this.journal ??= new Journal(this.file);
    this.journal.append(line);
  }

  close(): void {
    this.journal?.close();
    this.journal = null;
  }
}

export function readBatchLog(file: string): BatchLogLine[] {
  return readJournal<BatchLogLine>(file, (r) => (r && typeof r === 'object' && typeof (r as { type?: unknown }).type === 'string' ? null : 'not a batch line'));
}

/** Store keys whose answers this run collected from a batch (in any invocation): billed at the batch price. */
export function collectedKeys(lines: BatchLogLine[]): Set<string> {
  return new Set(lines.flatMap((l) => (l.type === 'collected' ? l.keys : [])));
}
