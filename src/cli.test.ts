// End to end: the real `promptgate` bin in a child process, as a user or CI runs it.

import { cpSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv } from 'ajv';
import { describe, expect, it } from 'vitest';
import { GradeReportSchema } from '../graders/schema.ts';
import { cli, root, tempDir as tmp } from './testing/cli.ts';

describe('promptgate grade', () => {
  it('prints the DESIGN.md JSON shape for the seed example', async () => {
    const { code, stdout } = await cli(['grade', 'datasets/calibration/seed-example.md', '--json']);
    expect(code).toBe(0);
    const report = JSON.parse(stdout);
    expect(new Ajv().validate(GradeReportSchema, report)).toBe(true);
    expect(report).toMatchObject({ file: 'datasets/calibration/seed-example.md', scenario: null, pass: false });
    expect(report.graders['word-count']).toMatchObject({ pass: false, evidence: { words: expect.any(Number) } });
    expect(report.graders['cost-table'].pass).toBe(true);
    expect(report.graders['sections'].reason).toContain('scalability');
  });

  it('prints a readable table without --json', async () => {
    const { code, stdout } = await cli(['grade', 'datasets/calibration/good-atx-numbered.md']);
    expect(code).toBe(0);
    expect(stdout).toMatch(/^grader\s+verdict\s+score\s+reason$/m);
    expect(stdout).toMatch(/^cost-table\s+pass\s+1\.00/m);
    expect(stdout).toMatch(/^overall 1\.00 — pass$/m);
  });

  it('grades an empty file to zeros with the reason "empty document"', async () => {
    const dir = tmp();
    writeFileSync(join(dir, 'empty.md'), '');
    const { code, stdout } = await cli(['grade', join(dir, 'empty.md'), '--json']);
    expect(code).toBe(0);
    const report = JSON.parse(stdout);
    expect(report.score).toBe(0);
    expect(Object.values(report.graders).every((g) => (g as { reason: string }).reason === 'empty document')).toBe(true);
  });

  it.each([
    ['a missing file', (d: string) => join(d, 'nope.md'), /nope\.md: file not found/],
    ['a directory', (d: string) => d, /is a directory/],
    ['invalid UTF-8', (d: string) => (writeFileSync(join(d, 'bad.md'), Buffer.from([0x23, 0x20, 0x0a, 0xff, 0xfe, 0x41])), join(d, 'bad.md')), /bad\.md:2: not valid UTF-8/],
  ])('exits 2 with one clear line for %s', async (_name, make, message) => {
    const { code, stdout, stderr } = await cli(['grade', make(tmp())]);
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr).toMatch(message);
    expect(stderr.trim().split('\n')).toHaveLength(1);
  });
});

describe('promptgate calibrate', () => {
  it('agrees with every label of the shipped calibration set', async () => {
    const { code, stdout } = await cli(['calibrate']);
    expect(code).toBe(0);
    expect(stdout).toMatch(/^cost-table\s+\d+\s+0\s+0\s+\d+\s+100%\s+100%\s+100%$/m);
    expect(stdout).toContain('every label agrees');
  });

  it('exits 1 and names the document and grader when a label disagrees', async () => {
    const dir = tmp();
    cpSync(join(root, 'datasets/calibration/refusal.md'), join(dir, 'refusal.md'));
    writeFileSync(join(dir, 'labels.yaml'), 'refusal.md:\n  description: wrong on purpose\n  expect: { diagram: true, sections: false }\n');
    const { code, stdout, stderr } = await cli(['calibrate', '--dir', dir]);
    expect(code).toBe(1);
    expect(stdout).toContain('✗ refusal.md · diagram: labelled pass, graded fail');
    expect(stderr).toMatch(/1 calibration label\(s\) disagree/);
  });

  it.each([
    ['a YAML syntax error', 'refusal.md:\n  description: [unclosed\n', /labels\.yaml:\d+:\d+: YAML syntax error/],
    ['a schema violation', 'refusal.md:\n  description: x\n  expect: { diagram: maybe }\n', /labels\.yaml: \/refusal\.md\/expect\/diagram: expected must be boolean/],
    ['an unknown grader', 'refusal.md:\n  description: x\n  expect: { colour: true }\n', /unknown grader "colour"/],
  ])('exits 2 for %s in labels.yaml, naming file and field', async (_name, yaml, message) => {
    const dir = tmp();
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'labels.yaml'), yaml);
    const { code, stderr } = await cli(['calibrate', '--dir', dir]);
    expect(code).toBe(2);
    expect(stderr).toMatch(message);
  });
});

describe('the command line', () => {
  it.each([[['--help']], [['grade', '--help']], [['calibrate', '--help']]])('%j prints usage and exits 0', async (args) => {
    const { code, stdout } = await cli(args);
    expect(code).toBe(0);
    expect(stdout).toMatch(/Usage: promptgate/);
  });

  it('prints the same help for `help <command>` and `<command> --help`, for every command', async () => {
    const { stdout: main } = await cli(['--help']);
    const names = [...main.matchAll(/^  ([a-z-]+)\s{2,}\S/gm)].map((m) => m[1]!);
    expect(names).toEqual(expect.arrayContaining(['eval', 'gate', 'baseline', 'regrade', 'report']));
    for (const name of names) {
      const [a, b] = await Promise.all([cli(['help', name]), cli([name, '--help'])]);
      expect(a.code, name).toBe(0);
      expect(a.stdout, name).toBe(b.stdout);
      expect(a.stdout, name).toMatch(new RegExp(`Usage: promptgate ${name}`));
    }
  });

  it('bare promptgate prints the help on stderr and exits 2 (a script that lost its arguments fails)', async () => {
    const { code, stdout, stderr } = await cli([]);
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr).toMatch(/Usage: promptgate <command>/);
  });

  it.each([['--version'], ['-V']])('%s prints the package version', async (flag) => {
    const { code, stdout } = await cli([flag]);
    expect(code).toBe(0);
    const { version } = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { version: string };
    expect(stdout.trim()).toBe(`promptgate ${version}`);
  });

  it('every command that prints results offers --json', async () => {
    const { stdout: main } = await cli(['--help']);
    const names = [...main.matchAll(/^  ([a-z-]+)\s{2,}\S/gm)].map((m) => m[1]!).filter((n) => n !== 'init');
    for (const name of names) {
      const { stdout } = await cli([name, '--help']);
      expect(stdout, name).toMatch(/--json/);
    }
  });

  it('prints no colour or cursor codes with NO_COLOR and no terminal', async () => {
    const { stdout, stderr } = await cli(['grade', 'datasets/calibration/good-atx-numbered.md'], root, { env: { NO_COLOR: '1' } });
    expect(stdout + stderr).not.toMatch(/\x1b\[/);
  });

  it('a run that is not there is named without a flag regrade does not take', async () => {
    const { code, stderr } = await cli(['regrade', 'no-such-run', '--runs', tmp()]);
    expect(code).toBe(2);
    expect(stderr).toMatch(/run no-such-run: no run at/);
    expect(stderr).not.toMatch(/--run\b(?!s)/);
  });

  it.each([
    [['help', 'frobnicate'], /unknown command "frobnicate"/],
    [['frobnicate'], /unknown command "frobnicate"/],
    [['grade', 'x.md', '--colour'], /grade: unknown option '--colour'/],
    [['grade'], /missing the document to grade/],
  ])('%j exits 2 with one line', async (args, message) => {
    const { code, stderr } = await cli(args);
    expect(code).toBe(2);
    expect(stderr).toMatch(message);
    expect(stderr.trim().split('\n')).toHaveLength(1);
  });
});
