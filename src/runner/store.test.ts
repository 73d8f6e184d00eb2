// One contract, every store implementation.

import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { canonicalJson, sha256 } from '../canonical.ts';
import { tempDir } from '../testing/cli.ts';
import { FsStore, MemoryStore, storeKey, type ResponseStore, type StoredResponse } from './store.ts';
import { configureWriteFaults } from './write-failure.ts';

const parts = { provider: 'anthropic', model: 'claude-sonnet-5-5', params: { maxTokens: 8192 }, system: 'sys', user: 'usr', sample: 0 };
const entry = (key: string): StoredResponse => ({
  key,
  provider: 'anthropic',
  model: 'claude-sonnet-5-5',
  sample: 0,
  completion: { text: '# Doc', stopReason: 'end', rawStopReason: 'end_turn', usage: { input: 10, output: 5, cacheRead: 0, cacheWrite: 0 }, model: 'claude-sonnet-5-5', latencyMs: 12 },
  storedAt: '2026-11-27T10:00:00Z',
});

describe('storeKey', () => {
  it('is the same for the same inputs in any key order, and differs when anything that decides output differs', () => {
    expect(storeKey(parts)).toBe(storeKey({ sample: 0, user: 'usr', system: 'sys', params: { maxTokens: 8192 }, model: 'claude-sonnet-5-5', provider: 'anthropic' }));
    for (const change of [{ sample: 1 }, { user: 'usr2' }, { system: 'sys2' }, { model: 'x' }, { provider: 'openai' }, { params: { maxTokens: 100 } }]) {
      expect(storeKey({ ...parts, ...change })).not.toBe(storeKey(parts));
    }
  });

  it('is the sha256 of the canonical JSON of its parts (every key stored so far was made so)', () => {
    // Long enough (≥ 1 KB) to take the remembered-JSON path, with quotes, escapes and non-ASCII.
    const system = 'You are a "pipeline" architect.\n\u2014 € \\ end. '.repeat(40);
    for (const p of [parts, { ...parts, system }, { ...parts, system, nonce: 'control:2026-12-03', after: 'a'.repeat(64) }, { ...parts, system, params: { maxTokens: 10, temperature: 0.2, api: 'responses' }, nonce: undefined }]) {
      expect(storeKey(p)).toBe(sha256(canonicalJson(p)));
      expect(storeKey(p)).toBe(storeKey(p)); // the second time from the remembered JSON
    }
  });
});

const implementations: Array<[string, () => ResponseStore]> = [
  ['MemoryStore', () => new MemoryStore()],
  ['FsStore', () => new FsStore(join(tempDir(), 'store'))],
];

describe.each(implementations)('%s', (_name, make) => {
  it('returns what was put, and null for a miss', async () => {
    const store = make();
    const key = storeKey(parts);
    expect(store.get(key)).toBeNull();
    expect(store.has(key)).toBe(false);
    await store.put(entry(key));
    expect(store.get(key)).toEqual(entry(key));
    expect(store.has(key)).toBe(true);
  });

  it('replaces an entry under the same key', async () => {
    const store = make();
    const key = storeKey(parts);
    await store.put(entry(key));
    await store.put({ ...entry(key), completion: { ...entry(key).completion, text: '# Doc 2' } });
    expect(store.get(key)?.completion.text).toBe('# Doc 2');
  });

  it('is not changed by mutating what was put or got', async () => {
    const store = make();
    const key = storeKey(parts);
    const e = entry(key);
    await store.put(e);
    e.completion.text = 'mutated';
    store.get(key)!.completion.text = 'mutated too';
    expect(store.get(key)?.completion.text).toBe('# Doc');
  });
});

describe('FsStore on disk', () => {
  it('treats a corrupt entry as a miss and says so', () => {
    const dir = join(tempDir(), 'store');
    const warnings: string[] = [];
    const store = new FsStore(dir, (w) => warnings.push(w));
    const key = storeKey(parts);
    mkdirSync(join(dir, key.slice(0, 2)), { recursive: true });
    writeFileSync(join(dir, key.slice(0, 2), `${key}.json`), '{"key": "truncated');
    expect(store.get(key)).toBeNull();
    expect(warnings[0]).toMatch(/corrupt store entry/);
  });

  it('leaves no temporary files behind', async () => {
    const dir = join(tempDir(), 'store');
    const store = new FsStore(dir);
    const key = storeKey(parts);
    await store.put(entry(key));
    expect(readdirSync(join(dir, key.slice(0, 2)))).toEqual([`${key}.json`]);
    expect(existsSync(join(dir, key.slice(0, 2), `${key}.json`))).toBe(true);
  });

  it('checks each entry against its content hash: an answer changed on disk is a miss with a warning', async () => {
    const dir = join(tempDir(), 'store');
    const warnings: string[] = [];
    const store = new FsStore(dir, (w) => warnings.push(w));
    const key = storeKey(parts);
    await store.put(entry(key));
    const file = join(dir, key.slice(0, 2), `${key}.json`);
    const text = readFileSync(file, 'utf8');
    expect(JSON.parse(text).sha256).toMatch(/^2:[0-9a-f]{64}$/);
    writeFileSync(file, text.replace('# Doc', '# A better document'));
    expect(store.has(key)).toBe(true);
    expect(store.get(key)).toBeNull();
    expect(warnings).toEqual([expect.stringMatching(/corrupt store entry \(content does not match its sha256/)]);
    // An entry written before entries had a hash is read as it is.
    const { sha256: _, ...legacy } = JSON.parse(text) as StoredResponse;
    writeFileSync(file, JSON.stringify(legacy));
    expect(store.get(key)?.completion.text).toBe('# Doc');
    // One with the first hash (the canonical JSON of the whole completion) is still checked by it.
    const first = { ...legacy, sha256: sha256(canonicalJson(legacy.completion)) };
    writeFileSync(file, JSON.stringify(first));
    expect(store.get(key)?.completion.text).toBe('# Doc');
    writeFileSync(file, JSON.stringify(first).replace('# Doc', '# Docs'));
    expect(store.get(key)).toBeNull();
    expect(warnings).toHaveLength(2);
  });

  it('removes its temp file when a write is refused, and writes the entry once the disk takes it', async () => {
    const dir = join(tempDir(), 'store');
    const flag = join(tempDir(), 'disk-full');
    writeFileSync(flag, '');
    configureWriteFaults(`ENOSPC:${flag}:store`);
    try {
      const store = new FsStore(dir);
      const key = storeKey(parts);
      await expect(store.put(entry(key))).rejects.toMatchObject({ code: 'ENOSPC' });
      expect(readdirSync(join(dir, key.slice(0, 2)))).toEqual([]);
      rmSync(flag);
      await store.put(entry(key));
      expect(store.get(key)).toEqual(entry(key));
    } finally {
      configureWriteFaults(undefined);
    }
  });

  it('makes its folder again when it went away mid-run', async () => {
    const dir = join(tempDir(), 'store');
    const store = new FsStore(dir);
    await store.put(entry(storeKey(parts)));
    rmSync(dir, { recursive: true });
    const key = storeKey({ ...parts, sample: 0 });
    await store.put(entry(key));
    expect(store.get(key)).toEqual(entry(key));
  });
});
