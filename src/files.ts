// Reading the files users write (markdown, YAML) with errors that say where the problem is:
// `file:line:col: what` for syntax, `file: /json/pointer: what was expected` for schema problems.

import { createHash } from 'node:crypto';
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { Static, TSchema } from '@sinclair/typebox';
import type { ErrorObject } from 'ajv';
import { parseDocument as parseYamlDocument } from 'yaml';
import { UsageError } from './errors.ts';
import { CACHE_DIR, compileSchema, schemaJson, writeCacheFile } from './validators.ts';

export { compileSchema } from './validators.ts';

const utf8 = new TextDecoder('utf-8', { fatal: true });

/** A UTF-8 text file, or a UsageError naming the file and the problem. */
export function readText(path: string): string {
  let bytes: Buffer;
  try {
    if (statSync(path).isDirectory()) throw new UsageError(`${path}: is a directory; expected a file`);
    bytes = readFileSync(path);
  } catch (error) {
    if (error instanceof UsageError) throw error;
    const code = (error as NodeJS.ErrnoException).code;
    throw new UsageError(code === 'ENOENT' ? `${path}: file not found` : `${path}: cannot read (${code ?? (error as Error).message})`);
  }
  try {
    return utf8.decode(bytes);
  } catch {
    throw new UsageError(`${path}:${firstBadLine(bytes)}: not valid UTF-8 text; expected a UTF-8 markdown or YAML file`);
  }
}

/** A JSON file, or a UsageError naming the file (missing, unreadable, or not valid JSON). */
export function readJsonFile(path: string): unknown {
  const text = readText(path);
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
  return doc.toJS();
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

const CACHE_FILE = join(CACHE_DIR, 'yaml-v1.json');
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
