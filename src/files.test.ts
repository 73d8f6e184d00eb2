// readValidYaml's cache must be invisible: the same values, and every error still reported.

import { readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Type, type TSchema } from '@sinclair/typebox';
import { expect, it } from 'vitest';
import { compileSchema, readValidYaml } from './files.ts';
import { root, tempDir } from './testing/cli.ts';

const Schema = Type.Object({ id: Type.String(), n: Type.Integer() }, { additionalProperties: false });

it('returns what the file says, whether cached or not, and reports errors from the file itself', () => {
  const file = join(tempDir(), 'thing.yaml');
  writeFileSync(file, 'id: a\nn: 1\n');
  const first = readValidYaml(Schema, file);
  expect(first).toEqual({ id: 'a', n: 1 });
  first.n = 99; // a caller changing its copy does not change the cache
  expect(readValidYaml(Schema, file)).toEqual({ id: 'a', n: 1 });
  writeFileSync(file, 'id: a\nn: 2\n');
  expect(readValidYaml(Schema, file)).toEqual({ id: 'a', n: 2 });
  writeFileSync(file, 'id: a\nn: [2\n');
  expect(() => readValidYaml(Schema, file)).toThrow(new RegExp(`^${file}:\\d+:\\d+: YAML syntax error`));
  writeFileSync(file, 'id: a\nn: two\n');
  expect(() => readValidYaml(Schema, file)).toThrow(`${file}: /n: expected must be integer`);
  writeFileSync(file, 'id: a\nn: 1\n');
  expect(readValidYaml(Schema, file)).toEqual({ id: 'a', n: 1 });
});

it('caches generated validators, which check exactly as a fresh compile does, and survives a damaged cache file', () => {
  const field = `f${Math.random().toString(36).slice(2)}`;
  const make = () => Type.Object({ [field]: Type.Integer({ minimum: 1 }), tag: Type.String({ maxLength: 3 }) }, { additionalProperties: false });
  const cacheDir = join(root, 'node_modules/.cache/promptgate');
  const errorsOf = (schema: TSchema, data: unknown) => {
    const check = compileSchema(schema);
    return check(data) ? null : check.errors!.map((e) => `${e.instancePath} ${e.keyword} ${e.message}`);
  };
  const cases = [{ [field]: 1, tag: 'abc' }, { [field]: 0, tag: 'abc' }, { [field]: 1, tag: 'abcd' }, { [field]: 1, tag: 'a', extra: 1 }, {}];
  const fresh = cases.map((c) => errorsOf(make(), c));
  expect(fresh[0]).toBeNull();
  expect(fresh.slice(1).every((e) => e !== null)).toBe(true);
  const cached = readdirSync(cacheDir).filter((f) => f.startsWith('ajv-') && readFileSync(join(cacheDir, f), 'utf8').includes(field));
  expect(cached).toHaveLength(1);
  // A new schema object with the same content loads the cached code.
  expect(cases.map((c) => errorsOf(make(), c))).toEqual(fresh);
  writeFileSync(join(cacheDir, cached[0]!), 'module.exports = (((');
  expect(cases.map((c) => errorsOf(make(), c))).toEqual(fresh);
  expect(readFileSync(join(cacheDir, cached[0]!), 'utf8')).toContain(field);
  rmSync(join(cacheDir, cached[0]!));
});
