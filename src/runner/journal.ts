// The run journal: one JSON line per finished cell, appended (and flushed) the moment the cell
// finishes, before anything else happens. A crash, Ctrl-C or SIGKILL leaves every finished cell
// on disk; a line cut off by a kill is the only thing that can be lost, and it is skipped.

import { closeSync, existsSync, fsyncSync, openSync, readFileSync, writeSync } from 'node:fs';

export class Journal {
  private readonly fd: number;
  constructor(readonly file: string) {
    this.fd = openSync(file, 'a');
  }

  append(record: object): void {
    writeSync(this.fd, `${JSON.stringify(record)}\n`);
    fsyncSync(this.fd);
  }

  close(): void {
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
