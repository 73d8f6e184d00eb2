// The journal keeps every appended record, skips a torn last line, and appends after one safely;
// it skips lines its check refuses, and a refused append throws (the runner holds the cell).

import { appendFileSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { tempDir } from '../testing/cli.ts';
import { Journal, readJournal, type SkippedLine } from './journal.ts';
import { configureWriteFaults } from './write-failure.ts';

it('reads back what was appended, in order, across reopenings', () => {
  const file = join(tempDir(), 'journal.jsonl');
  const first = new Journal(file, 0);
  first.append({ id: 'a' });
  first.append({ id: 'b' });
  first.close();
  const second = new Journal(file);
  second.append({ id: 'c' });
  second.close();
  expect(readJournal<{ id: string }>(file).map((r) => r.id)).toEqual(['a', 'b', 'c']);
});

it('skips a line torn by a kill, and starts the next append on a fresh line', () => {
  const file = join(tempDir(), 'journal.jsonl');
  const journal = new Journal(file);
  journal.append({ id: 'a' });
  journal.close();
  appendFileSync(file, '{"id": "torn');
  expect(readJournal<{ id: string }>(file).map((r) => r.id)).toEqual(['a']);
  const resumed = new Journal(file);
  resumed.append({ id: 'b' });
  resumed.close();
  expect(readJournal<{ id: string }>(file).map((r) => r.id)).toEqual(['a', 'b']);
  expect(readFileSync(file, 'utf8').endsWith('\n')).toBe(true);
});

it('returns nothing for a journal that does not exist', () => {
  expect(readJournal(join(tempDir(), 'none.jsonl'))).toEqual([]);
});

it('skips lines its check refuses (null, {}, out-of-range values) and says which', () => {
  const file = join(tempDir(), 'journal.jsonl');
  const journal = new Journal(file);
  journal.append({ id: 'a', score: 0.5 });
  journal.close();
  appendFileSync(file, 'null\n{}\n{"id":"b","score":7.5}\n{"id":"c","score":1}\n');
  const check = (r: unknown) => {
    const x = r as { id?: unknown; score?: unknown } | null;
    if (!x || typeof x.id !== 'string') return 'no id';
    return typeof x.score === 'number' && x.score >= 0 && x.score <= 1 ? null : 'score out of range';
  };
  const skipped: SkippedLine[] = [];
  expect(readJournal<{ id: string }>(file, check, skipped).map((r) => r.id)).toEqual(['a', 'c']);
  expect(skipped).toEqual([
    { line: 2, problem: 'no id' },
    { line: 3, problem: 'no id' },
    { line: 4, problem: 'score out of range' },
  ]);
});

it('throws a refused append (for the runner to hold), and after one that tore its line starts on a fresh line', () => {
  const file = join(tempDir(), 'journal.jsonl');
  const flag = join(tempDir(), 'full');
  writeFileSync(flag, '');
  const journal = new Journal(file);
  journal.append({ id: 'a' });
  configureWriteFaults(`ENOSPC:${flag}:journal`);
  try {
    expect(() => journal.append({ id: 'b' })).toThrow(expect.objectContaining({ code: 'ENOSPC' }));
    // What a full disk does to a write: part of the line goes in, the rest is refused.
    appendFileSync(file, '{"id":"b","par');
    (journal as unknown as { tornTail: boolean }).tornTail = true;
    rmSync(flag);
    journal.append({ id: 'b' });
  } finally {
    configureWriteFaults(undefined);
    journal.close();
  }
  expect(readJournal<{ id: string }>(file).map((r) => r.id)).toEqual(['a', 'b']);
});
