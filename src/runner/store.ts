// The response store: content-addressed, so nothing is paid for twice. A cell's key is the
// sha256 of the canonical JSON of everything that decides the model's output (provider, model,
// generation params, system text, user text, sample index). Entries are written atomically
// (temp file + rename; a write that fails removes its temp file); an entry that cannot be read
// back is a miss, with a warning — never a crash and never a wrong document. Each entry carries
// the sha256 of its completion, checked on every read: an answer changed on disk (by hand, by a
// bad copy) is a miss, not a document graded as if a model wrote it. Entries written before the
// hash existed have none and are read as they are (a missing hash is not a reason to pay again).

import { existsSync, mkdir as mkdirCb, mkdirSync, readFileSync, rename as renameCb, renameSync, unlink as unlinkCb, writeFile as writeFileCb, writeFileSync } from 'node:fs';
import { promisify } from 'node:util';
import { dirname, join } from 'node:path';
import { canonicalJson, sha256, textSha256 } from '../canonical.ts';
import type { Completion } from '../providers/types.ts';
import { injectedFault } from './write-failure.ts';

export interface KeyParts {
  provider: string;
  model: string;
  params: { maxTokens: number; temperature?: number; api?: string };
  system: string;
  user: string;
  sample: number;
  /** Same-day control cells only (plan.ts ControlPlan): keeps them apart from the cached answers. */
  nonce?: string;
  /**
   * A later turn of a multi-turn scenario: the store key of the turn before. The earlier answers
   * are a function of their keys (the store holds them), so the chain of keys names the whole
   * conversation, and a re-run pays nothing for any turn.
   */
  after?: string;
}

export interface StoredResponse {
  key: string;
  provider: string;
  model: string;
  sample: number;
  completion: Completion;
  storedAt: string;
  /** The run that paid for it: a resumed run counts what it paid in an earlier invocation. */
  runId?: string;
  /** The completion's hash (completionHash), checked on read (absent in the oldest entries). */
  sha256?: string;
}

export interface ResponseStore {
  /** Where it is, for messages (a folder for FsStore). */
  readonly dir?: string;
  /** Whether an entry exists (without reading it; a corrupt one still shows up as a miss on get). */
  has(key: string): boolean;
  get(key: string): StoredResponse | null;
  /** Resolves once the entry is on disk (a cell is journalled only after its response is stored). */
  put(entry: StoredResponse): Promise<void>;
}

export function storeKey(parts: KeyParts): string {
  return sha256(canonicalJson(parts, rememberedJson));
}

/**
 * JSON of a key's values, long strings remembered: planning 10,000 cells spent 0.4 s escaping
 * the same few-KB system prompt once per cell. A run has a few prompt versions and scenarios;
 * a long-lived process (tests) never holds more than 64.
 */
const longJson = new Map<string, string>();
function rememberedJson(value: unknown): string {
  if (typeof value !== 'string' || value.length < 1024) return JSON.stringify(value) ?? 'null';
  let json = longJson.get(value);
  if (json === undefined) {
    if (longJson.size >= 64) longJson.clear();
    longJson.set(value, (json = JSON.stringify(value)));
  }
  return json;
}

/**
 * The content hash an entry carries: of the completion, the part that is graded and billed, with
 * its text as the text's own sha256 ("2:" + hex). Hashing the text directly, not inside the
 * canonical JSON, is the point: a re-run reads and checks every entry, and JSON-escaping 17 KB
 * of text to hash it cost ~3× the hash itself (10,000 stored documents: 1.6 s → 0.4 s).
 */
export function completionHash(completion: Completion): string {
  return `${HASH_V2}${sha256(canonicalJson({ ...completion, text: textSha256(completion.text) }))}`;
}
const HASH_V2 = '2:';

/** The hash entries carried before "2:" (the canonical JSON of the whole completion): still checked. */
function legacyHash(completion: Completion): string {
  return sha256(canonicalJson(completion));
}

/** Why a parsed entry cannot be used for `key`, or null. */
function entryProblem(entry: StoredResponse, key: string): string | null {
  if (!entry || typeof entry !== 'object' || entry.key !== key) return 'unexpected content';
  const c = entry.completion;
  const count = (n: unknown) => typeof n === 'number' && Number.isFinite(n) && n >= 0;
  if (typeof c?.text !== 'string' || !c.usage || !count(c.usage.input) || !count(c.usage.output) || !count(c.usage.cacheRead) || !count(c.usage.cacheWrite)) return 'unexpected content';
  if (entry.sha256 !== undefined && entry.sha256 !== (entry.sha256.startsWith(HASH_V2) ? completionHash(c) : legacyHash(c))) return 'content does not match its sha256; changed after it was stored';
  return null;
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
const unlink = promisify(unlinkCb);

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
    let text: string;
    try {
      // Read, not checked for first: a re-run reads every entry, and existsSync cost 0.2 s of 10,000.
      text = readFileSync(file, 'utf8');
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === 'ENOENT' || code === 'ENOTDIR') return null;
      this.warn(`${file}: unreadable store entry (${(error as Error).message}); treating it as not stored`);
      return null;
    }
    try {
      const entry = JSON.parse(text) as StoredResponse;
      const problem = entryProblem(entry, key);
      if (problem) throw new Error(problem);
      // The hash is the store's own check, not part of what was put.
      const { sha256: _, ...put } = entry;
      return put;
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
    for (let tries = 0; ; tries++) {
      if (!this.made.has(dir)) {
        await mkdir(dir, { recursive: true });
        this.made.add(dir);
      }
      try {
        await writeFile(tmp, text);
        injectedFault('store', tmp);
        await rename(tmp, file);
        if (this.strays.size) await this.removeStrays();
        return;
      } catch (error) {
        // A full disk leaves a partial temp file: never leave it behind (the entry is retried whole).
        // One that cannot be reached now (its folder is gone for the moment) is removed later.
        await unlink(tmp).catch((e: NodeJS.ErrnoException) => e.code !== 'ENOENT' && this.strays.add(tmp));
        // The folder went away since it was made (a store moved or restored mid-run): make it again.
        this.made.delete(dir);
        if ((error as NodeJS.ErrnoException).code !== 'ENOENT' || tries > 0) throw error;
      }
    }
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
    const hashed: StoredResponse = { ...entry, sha256: completionHash(entry.completion) };
    return { dir: dirname(file), file, tmp: `${file}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`, text: `${JSON.stringify(hashed)}\n` };
  }

  /** Temp files a failed write could not remove at the time: tried again after the next good write. */
  private readonly strays = new Set<string>();

  private async removeStrays(): Promise<void> {
    for (const tmp of [...this.strays]) {
      await unlink(tmp).then(
        () => this.strays.delete(tmp),
        (e: NodeJS.ErrnoException) => e.code === 'ENOENT' && this.strays.delete(tmp),
      );
    }
  }

  /** Folders this process made or found, so that each is made once. */
  private readonly made = new Set<string>();
}
