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

import { closeSync, existsSync, fstatSync, fsyncSync, openSync, readFileSync, readSync, writeSync } from 'node:fs';

export class Journal {
  private readonly fd: number;
  private lastSync = performance.now();
  private unsynced = false;

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
    writeSync(this.fd, `${JSON.stringify(record)}\n`);
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

/** Every complete record in a journal, in order; a torn last line is ignored. */
export function readJournal<T>(file: string): T[] {
  if (!existsSync(file)) return [];
  const out: T[] = [];
  for (const line of readFileSync(file, 'utf8').split('\n')) {
    if (!line.trim()) continue;
    try {
      out.push(JSON.parse(line) as T);
    } catch {
      // A line torn by a kill mid-write: that cell simply runs again.
    }
  }
  return out;
}
