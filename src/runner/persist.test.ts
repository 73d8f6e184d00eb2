// Persister: a refused write halts the run once and is held and retried until the disk takes it
// or the window passes; other errors are not its business.

import { expect, it } from 'vitest';
import { Persister, type WriteFailureInfo } from './persist.ts';

const refused = (code = 'ENOSPC') => Object.assign(new Error(`${code}: refused`), { code });

it('writes at once when the disk takes it (synchronously: no await for the common case)', () => {
  const persist = new Persister();
  let writes = 0;
  expect(persist.write('x', () => void writes++)).toBe(true);
  expect(writes).toBe(1);
  expect(persist.failure).toBeNull();
});

it('holds a refused write and writes it once the disk takes it again, reporting the failure once', async () => {
  const failures: WriteFailureInfo[] = [];
  const persist = new Persister({ windowMs: 5000, onFailure: (f) => failures.push(f) });
  let full = true;
  let writes = 0;
  const write = () => {
    writes++;
    if (full) throw refused();
  };
  const first = persist.write('/store', write);
  const second = persist.write('/journal', write);
  expect(persist.held).toBe(2);
  setTimeout(() => (full = false), 300);
  expect(await first).toBe(true);
  expect(await second).toBe(true);
  expect(failures).toEqual([{ where: '/store', reason: 'ENOSPC: no space left on device' }]);
  expect(persist.recovered).toBe(2);
  expect(persist.held).toBe(0);
  expect(writes).toBeGreaterThan(2);
});

it('gives a held write up when the window passes, or at once on its signal', async () => {
  const lost: string[] = [];
  const persist = new Persister({ windowMs: 300, onLost: (w) => lost.push(w) });
  const started = Date.now();
  expect(await persist.write('/store', () => Promise.reject(refused('EROFS')))).toBe(false);
  expect(Date.now() - started).toBeGreaterThanOrEqual(280);
  expect(persist.failure?.reason).toBe('EROFS: read-only file system');

  const abandon = new AbortController();
  const quick = new Persister({ windowMs: 60_000, signal: abandon.signal, onLost: (w) => lost.push(w) });
  const held = quick.write('/journal', () => {
    throw refused('EACCES');
  });
  setTimeout(() => abandon.abort(), 50);
  const t0 = Date.now();
  expect(await held).toBe(false);
  expect(Date.now() - t0).toBeLessThan(1000);
  expect(lost).toEqual(['/store', '/journal']);
});

it('lets any other error through: a bug is not a full disk', async () => {
  const persist = new Persister();
  expect(() => persist.write('x', () => {
    throw new TypeError('bug');
  })).toThrow('bug');
  await expect(persist.write('x', () => Promise.reject(new TypeError('async bug')))).rejects.toThrow('async bug');
  expect(persist.failure).toBeNull();
});
