// Compiled JSON Schema validators (ajv), and the cache that spares compiling them at every start.
// Kept apart from files.ts so that the graders (and the grading worker threads) can validate
// without loading the YAML parser.

import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import type { Static, TSchema } from '@sinclair/typebox';
import { Ajv, type ValidateFunction } from 'ajv';
import standaloneModule from 'ajv/dist/standalone/index.js';

/** Where parsed files and generated validators are cached: node_modules/.cache, the usual place for a tool's caches. */
export const CACHE_DIR = join(import.meta.dirname, '..', 'node_modules', '.cache', 'promptgate');

// Our schemas are TypeBox constants, checked by the type checker and the tests, so ajv need not
// check them against the JSON Schema meta-schema, nor optimise the code it generates for them:
// both cost start-up time, for validators run a few times per command. `source` keeps the
// generated code, so that it can be cached (below).
// strictNumbers: a number is finite — YAML can say `.inf` and `.nan` (`budgetUsd: .inf` would be
// no cap at all), and no field of ours means either.
const ajv = new Ajv({ allErrors: false, strict: false, strictNumbers: true, validateSchema: false, code: { optimize: false, source: true } });
const validators = new WeakMap<TSchema, ValidateFunction>();

/**
 * The ajv validator of a schema. Compiling one costs 20–50 ms at every start of every command,
 * so the code ajv generates is cached (ajv's "standalone" output, keyed by the schema and ajv's
 * version) and later starts only load it.
 */
export function compileSchema<S extends TSchema>(schema: S): ValidateFunction<Static<S>> {
  let validate = validators.get(schema);
  if (validate) return validate as ValidateFunction<Static<S>>;
  const file = join(CACHE_DIR, `ajv-${createHash('sha256').update(`${AJV_VERSION}\0strictNumbers\0${schemaJson(schema)}`).digest('hex').slice(0, 20)}.cjs`);
  validate = loadValidator(file) ?? undefined;
  if (!validate) {
    validate = ajv.compile(schema);
    writeCacheFile(file, standaloneCode(ajv, validate));
  }
  validators.set(schema, validate);
  return validate as ValidateFunction<Static<S>>;
}

// A CommonJS module whose module.exports is the function and whose .default is too: loaders
// disagree about which a default import gives, so take .default when there is one.
const standaloneCode = ((standaloneModule as { default?: unknown }).default ?? standaloneModule) as typeof standaloneModule.default;
const AJV_VERSION = (createRequire(import.meta.url)('ajv/package.json') as { version: string }).version;
/** What generated validators require(): ajv's small runtime helpers. */
const requireHere = createRequire(import.meta.url);

function loadValidator(file: string): ValidateFunction | null {
  let code: string;
  try {
    code = readFileSync(file, 'utf8');
  } catch {
    return null;
  }
  try {
    const module = { exports: {} as unknown };
    new Function('module', 'exports', 'require', code)(module, module.exports, requireHere);
    return typeof module.exports === 'function' ? (module.exports as ValidateFunction) : null;
  } catch {
    return null; // a damaged cache file: compile afresh (and overwrite it)
  }
}

/** Write a cache file atomically; a read-only checkout simply runs without the cache. */
export function writeCacheFile(file: string, text: string): void {
  try {
    mkdirSync(CACHE_DIR, { recursive: true });
    const tmp = `${file}.${process.pid}.tmp`;
    writeFileSync(tmp, text);
    renameSync(tmp, file);
  } catch {
    // Not cached; nothing lost but time.
  }
}

const schemaJsons = new WeakMap<TSchema, string>();
export const schemaJson = (schema: TSchema) => schemaJsons.get(schema) ?? schemaJsons.set(schema, JSON.stringify(schema)).get(schema)!;
