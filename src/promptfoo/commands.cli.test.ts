// `export promptfoo` and `import promptfoo` through the real CLI: their help, and bad input —
// every row ends with exit 2 and ONE stderr line naming the file or option and what was expected.

import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { cli, tempDir } from '../testing/cli.ts';

let tmp = '';
const p = (name: string) => join(tmp, name);
const result = (extra: object) => ({ prompt: { raw: 'hi', label: 'pipeline-design-architect@1.2.0' }, provider: { id: 'openai:responses:gpt-5.6-terra' }, vars: { scenario: 'ecommerce-hybrid' }, response: { output: '# doc' }, ...extra });

beforeAll(() => {
  tmp = tempDir();
  writeFileSync(p('bad.json'), 'nope\n');
  writeFileSync(p('empty.json'), '{}\n');
  writeFileSync(p('no-results.json'), JSON.stringify({ results: { results: [] } }));
  writeFileSync(p('wrong-shape.json'), JSON.stringify({ results: { results: [{ prompt: 'x' }] } }));
  writeFileSync(p('unknown-scenario.json'), JSON.stringify({ results: { results: [result({ vars: { scenario: 'no-such-scenario' } })] } }));
  writeFileSync(p('unknown-version.json'), JSON.stringify({ results: { results: [result({ prompt: { raw: 'hi', label: 'pipeline-design-architect@9.9.9' } })] } }));
  writeFileSync(p('unknown-provider.json'), JSON.stringify({ results: { results: [result({ provider: { id: 'bedrock:claude' } })] } }));
  writeFileSync(p('suite-bad.yaml'), 'prompt: pipeline-design-architect\nversions: all\n');
});

const rows: Array<[string, () => string[], RegExp]> = [
  ['export: no format', () => ['export'], /^export: expected the format "promptfoo", got nothing/],
  ['export: another format', () => ['export', 'csv'], /^export: expected the format "promptfoo", got "csv"/],
  ['export: a stray argument', () => ['export', 'promptfoo', 'x.yaml'], /^export: unexpected "x.yaml"/],
  ['export: a missing suite', () => ['export', 'promptfoo', '--suite', p('missing.yaml')], /missing\.yaml: file not found/],
  ['export: a broken suite', () => ['export', 'promptfoo', '--suite', p('suite-bad.yaml')], /suite-bad\.yaml: \/: missing field "models"/],
  ['export: --out is a folder', () => ['export', 'promptfoo', '--out', tmp], /^--out .*: is a folder; expected a file path to write/],
  ['export: --samples 0', () => ['export', 'promptfoo', '--samples', '0'], /^--samples: "0" is not a whole number from 1 to 100/],
  ['export: an unknown scenario', () => ['export', 'promptfoo', '--scenarios', 'no-such-scenario'], /no-such-scenario/],
  ['import: no format', () => ['import'], /^import: expected the format "promptfoo", got nothing/],
  ['import: no file', () => ['import', 'promptfoo'], /^import promptfoo: expected the promptfoo output file/],
  ['import: a missing file', () => ['import', 'promptfoo', p('missing.json')], /missing\.json: file not found/],
  ['import: not JSON', () => ['import', 'promptfoo', p('bad.json')], /bad\.json: not valid JSON/],
  ['import: not a promptfoo output', () => ['import', 'promptfoo', p('empty.json')], /empty\.json: \/: missing field "results"/],
  ['import: a result of the wrong shape', () => ['import', 'promptfoo', p('wrong-shape.json')], /wrong-shape\.json: \/results\/results\/0(\/prompt)?: (missing field "provider"|must be object)/],
  ['import: no results', () => ['import', 'promptfoo', p('no-results.json')], /none of the 0 results maps .*the file has no results/],
  ['import: an unknown scenario', () => ['import', 'promptfoo', p('unknown-scenario.json')], /none of the 1 results maps .*vars\.scenario "no-such-scenario": not a scenario in the dataset/],
  ['import: an unknown version', () => ['import', 'promptfoo', p('unknown-version.json')], /prompt label "pipeline-design-architect@9\.9\.9": version 9\.9\.9 of pipeline-design-architect is not in the registry/],
  ['import: an unknown provider', () => ['import', 'promptfoo', p('unknown-provider.json')], /provider "bedrock:claude": expected anthropic:messages:<model>, openai:responses:<model> or openai:chat:<model>/],
  ['import: a bad --scenario-var', () => ['import', 'promptfoo', p('unknown-scenario.json'), '--scenario-var', 'a b'], /^--scenario-var: "a b" is not a var name/],
];

describe('export / import promptfoo: bad input', () => {
  it.each(rows)('%s: exit 2, one line', async (_, args, line) => {
    const r = await cli(args(), undefined, { env: { ANTHROPIC_API_KEY: undefined, OPENAI_API_KEY: undefined } });
    expect(r.code, r.stderr).toBe(2);
    expect(r.stdout).toBe('');
    const lines = r.stderr.trimEnd().split('\n');
    expect(lines, r.stderr).toHaveLength(1);
    expect(lines[0]!.replace(/^promptgate: /, '')).toMatch(line);
  });
});

describe('export / import promptfoo: help', () => {
  it('says what each command writes and how results map', async () => {
    const exported = await cli(['export', '--help']);
    expect(exported.code).toBe(0);
    expect(exported.stdout).toMatch(/^Usage: promptgate export promptfoo \[--suite FILE\] \[--out FILE\]/);
    expect(exported.stdout).toMatch(/anthropic:messages:<model> \/ openai:responses:<model>/);
    expect(exported.stdout).toMatch(/evaluateOptions\.repeat/);
    const imported = await cli(['import', '--help']);
    expect(imported.code).toBe(0);
    expect(imported.stdout).toMatch(/^Usage: promptgate import promptfoo FILE/);
    expect(imported.stdout).toMatch(/vars\.scenario/);
    const main = await cli(['--help']);
    expect(main.stdout).toMatch(/\n {2}export {6}Write a promptfooconfig\.yaml/);
    expect(main.stdout).toMatch(/\n {2}import {6}Turn a promptfoo output file/);
  });
});
