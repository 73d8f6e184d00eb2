// Reading the files users write (markdown, YAML) with errors that say where the problem is:
// `file:line:col: what` for syntax, `file: /json/pointer: what was expected` for schema problems.

import { readFileSync, statSync } from 'node:fs';
import type { Static, TSchema } from '@sinclair/typebox';
import { Ajv, type ErrorObject } from 'ajv';
import { parseDocument as parseYamlDocument } from 'yaml';
import { UsageError } from './errors.ts';

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

const ajv = new Ajv({ allErrors: false, strict: false });

/** Check data against a schema; the first problem becomes `file: /pointer: expected ...`. */
export function validate<S extends TSchema>(schema: S, data: unknown, file: string): Static<S> {
  const check = ajv.compile(schema);
  if (check(data)) return data as Static<S>;
  throw new UsageError(`${file}: ${describe(check.errors![0]!)}`);
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
