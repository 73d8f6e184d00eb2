// A suite's generic checks, checked before the suite as a whole: against the one schema their
// `type` names (a union's error would name the first alternative's problem, not this one's), then
// what a schema cannot say — the pattern compiles, the JSON Schema compiles, ids are unique, a
// range is not empty. Every problem is one line: file, /graders/checks/<i>/<field>, what was expected.

import type { TSchema } from '@sinclair/typebox';
import { UsageError } from '../../src/errors.ts';
import { validate } from '../../src/files.ts';
import { compileJsonSchema } from './checks.ts';
import { CheckSchema, checkId, type Check } from './schema.ts';

const byType = new Map<string, TSchema>((CheckSchema.anyOf as TSchema[]).map((s) => [(s.properties as { type: { const: string } }).type.const, s]));

/** The raw `graders.checks` of a suite file, checked; returns nothing, throws a UsageError. */
export function checkChecks(raw: unknown, file: string): void {
  if (!Array.isArray(raw)) return; // the suite schema reports a checks field that is not a list
  const ids = new Map<string, number>();
  raw.forEach((item: unknown, i) => {
    const at = `/graders/checks/${i}`;
    const type = item !== null && typeof item === 'object' ? (item as { type?: unknown }).type : undefined;
    const schema = typeof type === 'string' ? byType.get(type) : undefined;
    if (!schema) throw new UsageError(`${file}: ${at}/type: ${type === undefined ? 'missing' : JSON.stringify(type)}; expected one of ${[...byType.keys()].join(', ')}`);
    const check = checked(schema, item, file, at);
    const id = checkId(check);
    const earlier = ids.get(id);
    if (earlier !== undefined) throw new UsageError(`${file}: ${at}/id: "${id}" is also /graders/checks/${earlier}'s id; expected unique ids (add id: to one of them)`);
    ids.set(id, i);
    if (check.type === 'regex') {
      try {
        new RegExp(check.pattern, check.flags ?? '');
      } catch (error) {
        throw new UsageError(`${file}: ${at}/pattern: ${(error as Error).message}; expected a JavaScript regular expression`);
      }
    }
    if (check.type === 'json' && check.schema) {
      try {
        compileJsonSchema(check.schema);
      } catch (error) {
        throw new UsageError(`${file}: ${at}/schema: ${(error as Error).message.split('\n')[0]}; expected a JSON Schema ajv can compile`);
      }
    }
    if ((check.type === 'words' || check.type === 'tokens') && check.min === undefined && check.max === undefined) throw new UsageError(`${file}: ${at}: expected min, max or both`);
    if ((check.type === 'words' || check.type === 'tokens') && check.min !== undefined && check.max !== undefined && check.min > check.max) throw new UsageError(`${file}: ${at}/max: ${check.max} is below min ${check.min}; expected max ≥ min`);
  });
}

/** The item against its type's schema, errors pointing into the suite file (`file: /graders/checks/0/value: …`). */
function checked(schema: TSchema, item: unknown, file: string, at: string): Check {
  try {
    return validate(schema, item, '\0') as Check;
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    throw new UsageError(error.message.replace(/^\0: \/(:?)/, (_, colon: string) => `${file}: ${at}${colon ? ':' : '/'}`));
  }
}
