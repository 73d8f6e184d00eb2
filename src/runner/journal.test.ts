// The journal keeps every appended record, skips a torn last line, and appends after one safely.

import { appendFileSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { tempDir } from '../testing/cli.ts';
import { Journal, readJournal } from './journal.ts';

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
