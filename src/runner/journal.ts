// The run journal: one JSON line per finished cell, appended the moment the cell finishes,
// before anything else happens. A torn last line (a kill mid-write) is skipped on reading, and
// a journal reopened after such a kill starts its next line on a fresh line.
//
// Durability, decided for runs of 10,000 cells: each line is handed to the kernel with one
// writeSync, and from then on a crash of the PROCESS — an exception, Ctrl-C, SIGKILL, the OOM
// killer — cannot lose it: the bytes are in the page cache and reach the disk without us. Only
// a crash of the MACHINE (power, kernel panic) can lose lines the kernel had not yet written
// back, and fsync is the only defence against that. fsync after every line cost 0.18 ms per
// line here (a virtual disk with a write cache; 1.8 s for 10,000 cells) and costs milliseconds
// on disks that really flush — tens of seconds for 10,000 cells, several times what a whole
// re-run of a stored suite should take (< 10 s, see bench/runner.bench.ts). So the journal
// fsyncs at most once a second (on the first append after a second has passed) and on close:
// a machine crash loses at most the cells appended in the last second before it. Those are
// not paid twice either: a lost cell simply runs again on --resume, and its response is
// already in the response store unless the crash took that too.
//
// A write the disk refuses (full, read-only) throws from append, so that the runner can hold the
// cell and try again (persist.ts); if part of the line got written first, the next append starts
// on a fresh line, so the torn piece cannot swallow the cell written after it. On reading, every
// line is checked (a caller's schema): a line that is not a valid record — `null`, `{}`, a score
// of 7.5, a cost of -100 — is skipped with its line number, and its cell simply runs again.

import { closeSync, existsSync, fstatSync, fsyncSync, openSync, readFileSync, readSync, writeSync } from 'node:fs';
import { redactSecrets } from '../redact.ts';
import { injectedFault } from './write-failure.ts';

export class Journal {
  private readonly fd: number;
  private lastSync = performance.now();
  private unsynced = false;
  /** A refused append wrote part of its line: the next one starts with a newline. */
  private tornTail = false;

  constructor(
    readonly file: string,
    private readonly syncEveryMs = 1000,
  ) {
    this.fd = openSync(file, 'a+');
    // After a kill tore the last line, start appending on a line of our own.
    const size = fstatSync(this.fd).size;
    const last = Buffer.alloc(1);
    if (size > 0 && readSync(this.fd, last, 0, 1, size - 1) === 1 && last[0] !== 0x0a) writeSync(this.fd, '\n');
  }

  append(record: object): void {
    // redactSecrets: no key value reaches the disk, whatever path it took into a record (redact.ts).
    const line = Buffer.from(`${this.tornTail ? '\n' : ''}${redactSecrets(JSON.stringify(record))}\n`);
    let written = 0;
    try {
      injectedFault('journal', this.file);
      // A full disk can take part of a write and refuse the rest: write until all of it is in.
      while (written < line.length) written += writeSync(this.fd, line, written, line.length - written);
    } catch (error) {
      if (written > 0) this.tornTail = true;
      throw error;
    }
    this.tornTail = false;
    this.unsynced = true;
    if (performance.now() - this.lastSync >= this.syncEveryMs) this.sync();
  }

  /** Force what was appended onto the disk (also done by close). */
  sync(): void {
    if (this.unsynced) fsyncSync(this.fd);
    this.unsynced = false;
    this.lastSync = performance.now();
  }

  close(): void {
    this.sync();
    closeSync(this.fd);
  }
}

/** A line that was not a valid record: where it is and why. */
export interface SkippedLine {
  line: number;
  problem: string;
}

/**
 * Every complete record in a journal, in order; a torn line is ignored, and so is a line that
 * `check` finds a problem with (it returns the problem, or null for a good record). Skipped
 * lines go to `skipped`, for the caller's one warning.
 */
export function readJournal<T>(file: string, check?: (record: unknown) => string | null, skipped: SkippedLine[] = []): T[] {
  if (!existsSync(file)) return [];
  const out: T[] = [];
  const lines = readFileSync(file, 'utf8').split('\n');
  for (const [i, line] of lines.entries()) {
    if (!line.trim()) continue;
    let record: unknown;
    try {
      record = JSON.parse(line);
    } catch {
      // A line torn by a kill or a full disk mid-write (a kill's shows up mid-file once the
      // journal is appended to again): that cell simply runs again, and that is expected.
      continue;
    }
    const problem = check ? check(record) : null;
    if (problem) skipped.push({ line: i + 1, problem });
    else out.push(record as T);
  }
  return out;
}
