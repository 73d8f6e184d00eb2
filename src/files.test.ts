// readValidYaml's cache must be invisible: the same values, and every error still reported.

import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Type } from '@sinclair/typebox';
import { expect, it } from 'vitest';
import { readValidYaml } from './files.ts';
import { tempDir } from './testing/cli.ts';

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
