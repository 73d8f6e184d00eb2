// Reading the files users write (markdown, YAML) with errors that say where the problem is:
// `file:line:col: what` for syntax, `file: /json/pointer: what was expected` for schema problems.

import { createHash } from 'node:crypto';
import { accessSync, closeSync, constants, openSync, readFileSync, readSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import type { Static, TSchema } from '@sinclair/typebox';
import type { ErrorObject } from 'ajv';
import { parseDocument as parseYamlDocument } from 'yaml';
import { MAX_DOCUMENT_BYTES } from '../graders/limits.ts';
import { UsageError } from './errors.ts';
import { CACHE_DIR, compileSchema, schemaJson, writeCacheFile } from './validators.ts';

export { compileSchema } from './validators.ts';

const utf8 = new TextDecoder('utf-8', { fatal: true });

/**
 * The most bytes read from one file of each kind. A file is read whole, so without a cap a
 * mistyped path (`--suite /dev/zero`, a 5 GB log) grows memory until the machine gives out.
 * Suites, scenarios, prompts and labels are hand-written (the largest here is a few KB); a graded
 * document is a model's answer (a full-length one is ~20 KB; see graders/limits.ts for why 1 MiB);
 * results.json of a 10,000-cell run is tens of MB.
 */
export const MAX_BYTES = {
  /** A suite, a scenario, a prompt version, a policy or labels file, a lock. */
  config: 1024 * 1024,
  /** A markdown document to grade. */
  document: MAX_DOCUMENT_BYTES,
  /** results.json, run.json, a baseline. */
  json: 256 * 1024 * 1024,
} as const;

/** A UTF-8 text file, or a UsageError naming the file and the problem. */
export function readText(path: string, maxBytes: number = MAX_BYTES.config): string {
  return decodeUtf8(readBytes(path, maxBytes), path);
}

/**
 * A regular file's bytes, at most `maxBytes` of them. Anything else — a folder, a device, a
 * FIFO (opening one would wait for a writer forever), a socket — is refused before it is opened.
 */
export function readBytes(path: string, maxBytes: number): Buffer {
  let fd: number | null = null;
  try {
    const stat = statSync(path);
    if (stat.isDirectory()) throw new UsageError(`${path}: is a directory; expected a file`);
    if (!stat.isFile()) throw new UsageError(`${path}: is not a regular file (a device, pipe or socket); expected a file`);
    if (stat.size > maxBytes) throw tooBig(path, maxBytes);
    fd = openSync(path, 'r');
    // Read up to one byte past the cap: the file may have grown since it was stat'ed.
    const buffer = Buffer.allocUnsafe(Math.min(maxBytes + 1, Math.max(stat.size + 1, 64 * 1024)));
    let length = 0;
    for (;;) {
      if (length === buffer.length) break;
      const n = readSync(fd, buffer, length, buffer.length - length, null);
      if (n === 0) break;
      length += n;
    }
    if (length > maxBytes) throw tooBig(path, maxBytes);
    return buffer.subarray(0, length);
  } catch (error) {
    if (error instanceof UsageError) throw error;
    const code = (error as NodeJS.ErrnoException).code;
    throw new UsageError(code === 'ENOENT' ? `${path}: file not found` : `${path}: cannot read (${code ?? (error as Error).message})`);
  } finally {
    if (fd !== null) closeSync(fd);
  }
}

/** Standard input as UTF-8 text (`-` for a file), at most `maxBytes`. */
export async function readStdinText(maxBytes: number, stdin: NodeJS.ReadableStream = process.stdin): Promise<string> {
  const parts: Buffer[] = [];
  let length = 0;
  for await (const chunk of stdin) {
    const part = typeof chunk === 'string' ? Buffer.from(chunk) : (chunk as Buffer);
    length += part.length;
    if (length > maxBytes) {
      // Stop reading: what is left of an endless input (`yes | promptgate grade -`) is not ours to drain.
      (stdin as NodeJS.ReadStream).destroy?.();
      throw tooBig('standard input', maxBytes);
    }
    parts.push(part);
  }
  return decodeUtf8(Buffer.concat(parts), 'standard input');
}

function tooBig(path: string, maxBytes: number): UsageError {
  return new UsageError(`${path}: larger than ${formatBytes(maxBytes)}; expected a smaller file (is this the right path?)`);
}

function formatBytes(n: number): string {
  return n >= 1024 * 1024 ? `${n / (1024 * 1024)} MiB` : `${n / 1024} KiB`;
}

function decodeUtf8(bytes: Buffer, path: string): string {
  try {
    return utf8.decode(bytes);
  } catch {
    throw new UsageError(`${path}:${firstBadLine(bytes)}: not valid UTF-8 text; expected a UTF-8 markdown or YAML file`);
  }
}

/**
 * Where a command will write a folder (`--out`): refused up front, before anything is paid for or
 * graded, when it or a folder above it is a file or a device, or cannot be written.
 */
export function checkOutputDir(path: string, what: string): void {
  checkOutput(path, what, 'folder');
}

/** Where a command will write a file: not a folder, not a device (/dev/full), in a writable folder. */
export function checkOutputFile(path: string, what: string): void {
  checkOutput(path, what, 'file');
}

function checkOutput(path: string, what: string, kind: 'file' | 'folder'): void {
  const stat = statOrNull(path);
  if (stat) {
    if (kind === 'folder' && !stat.isDirectory()) throw new UsageError(`${what} ${path}: is ${stat.isFile() ? 'a file' : 'not a folder (a device, pipe or socket)'}; expected a folder to write into`);
    if (kind === 'file' && stat.isDirectory()) throw new UsageError(`${what} ${path}: is a folder; expected a file path to write`);
    if (kind === 'file' && !stat.isFile()) throw new UsageError(`${what} ${path}: is not a regular file (a device, pipe or socket); expected a file path to write`);
    if (!writable(kind === 'folder' ? path : dirname(path))) throw new UsageError(`${what} ${path}: cannot be written (permission denied); expected a writable ${kind}`);
    return;
  }
  // Not there yet: the nearest folder above that exists must be a folder we can write in.
  for (let dir = dirname(resolve(path)); ; dir = dirname(dir)) {
    const above = statOrNull(dir);
    if (above) {
      if (!above.isDirectory()) throw new UsageError(`${what} ${path}: ${dir} is ${above.isFile() ? 'a file' : 'not a folder'}; expected a folder`);
      if (!writable(dir)) throw new UsageError(`${what} ${path}: cannot create it in ${dir} (permission denied); expected a writable folder`);
      return;
    }
    if (dir === dirname(dir)) return;
  }
}

function statOrNull(path: string) {
  try {
    return statSync(path);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return null;
    if (code === 'ENOTDIR') return null; // a file above it: reported by the walk up
    throw new UsageError(`${path}: cannot be used (${code ?? (error as Error).message})`);
  }
}

function writable(path: string): boolean {
  try {
    accessSync(path, constants.W_OK);
    return true;
  } catch {
    return false;
  }
}

/** A JSON file, or a UsageError naming the file (missing, unreadable, or not valid JSON). */
export function readJsonFile(path: string): unknown {
  const text = readText(path, MAX_BYTES.json);
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new UsageError(`${path}: not valid JSON (${(error as Error).message})`);
  }
}

/** Parse a YAML file; syntax errors become `file:line:col: message`. */
export function readYaml(path: string): unknown {
  return parseYaml(readText(path), path);
}

/** Parse YAML text that starts at line `firstLine` of `file` (front matter starts at line 2). */
export function parseYaml(text: string, file: string, firstLine = 1): unknown {
  const doc = parseYamlDocument(text);
  const error = doc.errors[0];
  if (error) {
    const pos = error.linePos?.[0];
    const what = error.message.split('\n')[0]!.replace(/ at line \d+, column \d+:?$/, '');
    throw new UsageError(`${file}${pos ? `:${pos.line + firstLine - 1}:${pos.col}` : ''}: YAML syntax error: ${what}`);
  }
  try {
    return doc.toJS();
  } catch (error) {
    // The yaml library refuses alias expansions that would grow without bound ("billion laughs").
    throw new UsageError(`${file}: YAML cannot be expanded (${(error as Error).message}); expected YAML without aliases expanding this far`);
  }
}

/** Check data against a schema; the first problem becomes `file: /pointer: expected ...`. */
export function validate<S extends TSchema>(schema: S, data: unknown, file: string): Static<S> {
  const check = compileSchema(schema);
  if (check(data)) return data as Static<S>;
  throw new UsageError(`${file}: ${describe(check.errors![0]!)}`);
}

/**
 * A YAML file parsed and checked against `schema`, from a cache of earlier results keyed by the
 * file's content and the schema. The YAML parser is slow to warm up: the 16 scenario files
 * cost ~110 ms to parse (plus ~40 ms compiling their schema) at every start of every command,
 * and a cached result is one JSON.parse. Only files that parsed and validated are cached, so
 * every error is still reported from the file itself.
 */
export function readValidYaml<S extends TSchema>(schema: S, path: string): Static<S> {
  const text = readText(path);
  const cache = yamlCache();
  const key = createHash('sha256').update(schemaJson(schema)).update('\0').update(text).digest('hex');
  if (key in cache.entries) return structuredClone(cache.entries[key]) as Static<S>;
  const value = validate(schema, parseYaml(text, path), path);
  cache.entries[key] = structuredClone(value);
  cache.dirty = true;
  return value;
}

// v2: validated with strictNumbers (a cached `.inf` must not outlive the rule against it).
const CACHE_FILE = join(CACHE_DIR, 'yaml-v2.json');
/** Entries kept: a few datasets' worth; the oldest go first. */
const CACHE_MAX = 2000;
let cached: { entries: Record<string, unknown>; dirty: boolean } | null = null;

function yamlCache() {
  if (cached) return cached;
  let entries: Record<string, unknown> = {};
  try {
    entries = JSON.parse(readFileSync(CACHE_FILE, 'utf8')) as Record<string, unknown>;
  } catch {
    // No cache yet, or a torn one: start afresh.
  }
  cached = { entries, dirty: false };
  // Written once, when the process exits, atomically: concurrent commands at worst lose entries.
  process.once('exit', () => {
    if (!cached?.dirty) return;
    const keys = Object.keys(cached.entries);
    writeCacheFile(CACHE_FILE, JSON.stringify(Object.fromEntries(keys.slice(Math.max(0, keys.length - CACHE_MAX)).map((k) => [k, cached!.entries[k]]))));
  });
  return cached;
}

function describe(e: ErrorObject): string {
  const where = e.instancePath || '/';
  switch (e.keyword) {
    case 'required':
      return `${where}: missing field "${(e.params as { missingProperty: string }).missingProperty}"`;
    case 'additionalProperties':
      return `${where}: unknown field "${(e.params as { additionalProperty: string }).additionalProperty}"`;
    case 'enum':
      return `${where}: expected one of ${(e.params as { allowedValues: unknown[] }).allowedValues.map((v) => JSON.stringify(v)).join(', ')}`;
    default:
      return `${where}: expected ${e.message ?? 'a valid value'}`;
  }
}

/** The line of the first undecodable byte (a lenient decode marks it with U+FFFD). */
function firstBadLine(bytes: Buffer): number {
  const text = new TextDecoder('utf-8').decode(bytes);
  const bad = text.indexOf('\uFFFD');
  return text.slice(0, Math.max(0, bad)).split('\n').length;
}
