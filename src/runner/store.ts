// The response store: content-addressed, so nothing is paid for twice. A cell's key is the
// sha256 of the canonical JSON of everything that decides the model's output (provider, model,
// generation params, system text, user text, sample index). Entries are written atomically
// (temp file + rename); an entry that cannot be read back is a miss, with a warning — never a
// crash and never a wrong document.

import { existsSync, mkdir as mkdirCb, mkdirSync, readFileSync, rename as renameCb, renameSync, writeFile as writeFileCb, writeFileSync } from 'node:fs';
import { promisify } from 'node:util';
import { dirname, join } from 'node:path';
import { canonicalJson, sha256 } from '../canonical.ts';
import type { Completion } from '../providers/types.ts';

export interface KeyParts {
  provider: string;
  model: string;
  params: { maxTokens: number; temperature?: number; api?: string };
  system: string;
  user: string;
  sample: number;
}

export interface StoredResponse {
  key: string;
  provider: string;
  model: string;
  sample: number;
  completion: Completion;
  storedAt: string;
}

export interface ResponseStore {
  /** Whether an entry exists (without reading it; a corrupt one still shows up as a miss on get). */
  has(key: string): boolean;
  get(key: string): StoredResponse | null;
  /** Resolves once the entry is on disk (a cell is journalled only after its response is stored). */
  put(entry: StoredResponse): Promise<void>;
}

export function storeKey(parts: KeyParts): string {
  return sha256(canonicalJson(parts));
}

export class MemoryStore implements ResponseStore {
  private readonly entries = new Map<string, StoredResponse>();
  has(key: string): boolean {
    return this.entries.has(key);
  }
  get(key: string): StoredResponse | null {
    const entry = this.entries.get(key);
    return entry ? structuredClone(entry) : null;
  }
  put(entry: StoredResponse): Promise<void> {
    this.entries.set(entry.key, structuredClone(entry));
    return Promise.resolve();
  }
}

const mkdir = promisify(mkdirCb);
const writeFile = promisify(writeFileCb);
const rename = promisify(renameCb);

export class FsStore implements ResponseStore {
  constructor(
    readonly dir: string,
    private readonly warn: (message: string) => void = () => {},
  ) {}

  private path(key: string): string {
    return join(this.dir, key.slice(0, 2), `${key}.json`);
  }

  has(key: string): boolean {
    return existsSync(this.path(key));
  }

  get(key: string): StoredResponse | null {
    const file = this.path(key);
    if (!existsSync(file)) return null;
    try {
      const entry = JSON.parse(readFileSync(file, 'utf8')) as StoredResponse;
      if (entry.key !== key || typeof entry.completion?.text !== 'string' || typeof entry.completion.usage?.output !== 'number') throw new Error('unexpected content');
      return entry;
    } catch (error) {
      this.warn(`${file}: corrupt store entry (${(error as Error).message}); treating it as not stored`);
      return null;
    }
  }

  // Asynchronous on purpose: with 16 requests in flight, a synchronous write (~0.8 ms here,
  // mostly the filesystem) held up every other request's response on the event loop. Through
  // the callback API: fs/promises spent ~4× the main-thread time per write (FileHandle objects).
  async put(entry: StoredResponse): Promise<void> {
    const { dir, file, tmp, text } = this.writing(entry);
    if (!this.made.has(dir)) {
      await mkdir(dir, { recursive: true });
      this.made.add(dir);
    }
    await writeFile(tmp, text);
    await rename(tmp, file);
  }

  /** `put`, synchronously: for tools that fill a store up front (test fixtures, benchmarks). */
  putSync(entry: StoredResponse): void {
    const { dir, file, tmp, text } = this.writing(entry);
    mkdirSync(dir, { recursive: true });
    writeFileSync(tmp, text);
    renameSync(tmp, file);
  }

  private writing(entry: StoredResponse) {
    const file = this.path(entry.key);
    return { dir: dirname(file), file, tmp: `${file}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`, text: `${JSON.stringify(entry)}\n` };
  }

  /** Folders this process made or found, so that each is made once. */
  private readonly made = new Set<string>();
}
