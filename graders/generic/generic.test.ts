// Generic checks and custom grader modules: each check passes and fails where it should, with
// evidence; cost and latency ceilings are applied per cell; a suite's bad check is one line naming
// the field; a project's module is held to the same contract as the built-in graders.

import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../../src/testing/cli.ts';
import { loadSuite } from '../../src/suite/load.ts';
import { GraderBug } from '../core.ts';
import { parseDocument, type Document as RealDocument } from '../document.ts';
import { DEFAULT_POLICY, gradeDocument } from '../grade.ts';
import { graders } from '../index.ts';
import type { Document as ApiDocument, Grade as ApiGrade } from './api.d.ts';
import type { GradedCell } from './cell-checks.ts';
import { checkedGrader } from './modules.ts';
import type { Check } from './schema.ts';
import { applyCellChecks, BUILTIN_PROMPT, gradersFor, prepareGraderSet, type SetPolicy } from './set.ts';

const POSTMORTEM = `# Incident: late orders table

## Summary
The nightly load finished at 09:40, 100 minutes after the 08:00 deadline.

## Timeline
- 02:00 job started
- 07:55 job still running

## Action items
- Add a row-count alert — @dana
- Partition the orders table (owner: ops)
`;

const policy = (checks: Check[], extra: Partial<SetPolicy> = {}): SetPolicy => ({ ...DEFAULT_POLICY, hard: [], builtin: false, checks, ...extra });
const gradeWith = (text: string, checks: Check[]) => gradeDocument(text, {}, policy(checks), gradersFor(policy(checks)));

describe('generic checks', () => {
  it.each<[string, Check, boolean, RegExp]>([
    ['contains', { type: 'contains', value: ['deadline', 'ACTION ITEMS'] }, true, /contains "deadline", "ACTION ITEMS"/],
    ['contains (case-sensitive)', { type: 'contains', value: 'ACTION ITEMS', caseSensitive: true }, false, /missing "ACTION ITEMS"/],
    ['not-contains', { type: 'not-contains', value: ['blame', 'lorem'] }, true, /contains none/],
    ['not-contains, present', { type: 'not-contains', value: 'nightly' }, false, /contains "nightly"/],
    ['regex', { type: 'regex', pattern: '\\b\\d{2}:\\d{2}\\b' }, true, /matches/],
    ['regex across lines', { type: 'regex', pattern: 'Summary\\nThe nightly' }, true, /matches/],
    ['regex absent', { type: 'regex', pattern: 'TODO', absent: true }, true, /no match/],
    ['headings', { type: 'headings', required: ['summary', 'Timeline', 'Action Items'] }, true, /3 required/],
    ['headings missing', { type: 'headings', required: ['Summary', 'Root cause'] }, false, /missing heading\(s\): "Root cause"/],
    ['words in range', { type: 'words', min: 10, max: 200 }, true, /within 10–200/],
    ['words below', { type: 'words', min: 500 }, false, /below 500–∞/],
    ['tokens above', { type: 'tokens', max: 20 }, false, /tokens \(estimated\), above 0–20/],
  ])('%s', (_, check, pass, reason) => {
    const g = gradeWith(POSTMORTEM, [check]).graders[check.id ?? check.type]!;
    expect(g.pass).toBe(pass);
    expect(g.reason).toMatch(reason);
    expect(g.score).toBeGreaterThanOrEqual(0);
    if (pass) expect(g.score).toBe(1);
    else expect(g.score).toBeLessThan(1);
  });

  it('points at the lines it is about', () => {
    const g = gradeWith(POSTMORTEM, [{ type: 'headings', required: ['Timeline'] }, { type: 'contains', value: '09:40' }]);
    expect(g.graders.headings!.evidence.at).toEqual([{ line: 6, note: 'Timeline' }]);
    expect(g.graders.contains!.evidence.at).toEqual([{ line: 4, note: '"09:40"' }]);
  });

  it('checks JSON: the whole answer or its ```json block, against a JSON Schema', () => {
    const schema = { type: 'object', required: ['severity', 'owner'], properties: { severity: { enum: ['sev1', 'sev2', 'sev3'] }, owner: { type: 'string' } } };
    const json: Check = { type: 'json', schema };
    expect(gradeWith('{"severity":"sev2","owner":"dana"}', [json]).graders.json).toMatchObject({ pass: true, score: 1 });
    expect(gradeWith('Here it is:\n\n```json\n{"severity":"sev1","owner":"ops"}\n```\n', [json]).graders.json).toMatchObject({ pass: true, evidence: { at: [{ line: 3 }] } });
    expect(gradeWith('{"severity":"sev9","owner":"dana"}', [json]).graders.json).toMatchObject({ pass: false, score: 0.5, reason: expect.stringMatching(/^valid JSON, but \/severity must be equal to one of the allowed values/) });
    expect(gradeWith('{"severity": ', [{ type: 'json' }]).graders.json).toMatchObject({ pass: false, score: 0, reason: expect.stringMatching(/not valid JSON .* no ```json block/) });
  });

  it('fails an empty answer without calling the check, like every built-in grader', () => {
    expect(gradeWith('   \n', [{ type: 'regex', pattern: '.*', absent: true }]).graders.regex).toMatchObject({ pass: false, reason: 'empty document' });
  });

  it('keeps the built-in graders for their prompt and adds the checks; another prompt grades with its checks alone', () => {
    const builtins = graders.filter((g) => !g.id.startsWith('x-')).length;
    expect(gradersFor({ ...DEFAULT_POLICY })).toHaveLength(builtins);
    const both = gradersFor(policy([{ type: 'contains', value: 'x', id: 'x-contains' }], { builtin: true }));
    expect(both.map((g) => g.id)).toEqual([...graders.map((g) => g.id), 'x-contains']);
    expect(gradersFor(policy([{ type: 'contains', value: 'x' }])).map((g) => g.id)).toEqual(['contains']);
  });
});

describe('cost and latency ceilings per cell', () => {
  const cell: GradedCell = { provider: 'anthropic', costUsd: 0.02, latencyMs: 9000, score: 1, pass: true, grades: { contains: { pass: true, score: 1, reason: 'ok' } } };
  it('adds their grades and recomputes the score and pass with the suite weights and hard graders', () => {
    const p = policy([{ type: 'contains', value: 'x' }, { type: 'cost', maxUsd: 0.01 }, { type: 'latency', maxMs: 10_000, weight: 2 }], { hard: ['cost'] });
    const after = applyCellChecks(cell, p);
    expect(after.grades.cost).toEqual({ pass: false, score: 0.5, reason: '$0.0200 over the $0.01 ceiling' });
    expect(after.grades.latency).toEqual({ pass: true, score: 1, reason: '9000 ms within the 10000 ms ceiling' });
    expect(after.score).toBe(Math.round(((1 + 0.5 + 2) / 4) * 1000) / 1000);
    expect(after.pass).toBe(false); // cost is hard
    expect(applyCellChecks({ ...cell, costUsd: null }, p).grades.cost).toMatchObject({ pass: false, reason: /cost unknown/ });
    expect(applyCellChecks({ ...cell, latencyMs: null }, p).grades.latency).toBeUndefined();
    expect(applyCellChecks({ ...cell, score: null, grades: {} }, p).grades).toEqual({});
    expect(applyCellChecks({ ...cell, provider: 'reference' }, p)).toEqual({ ...cell, provider: 'reference' });
  });
});

describe('a suite with checks', () => {
  const suite = (graders: string, prompt = 'pipeline-incident-postmortem') => {
    const file = join(tempDir(), 'suite.yaml');
    writeFileSync(file, `prompt: ${prompt}\nversions: all\nmodels: [{ provider: anthropic, model: claude-sonnet-5-5 }]\nscenarios: all\nsamples: 1\ngraders:\n${graders}`);
    return file;
  };

  it('makes the set explicit: built-in graders only for their prompt, no built-in hard graders without them', () => {
    const own = loadSuite(suite('  checks: [{ type: words, min: 100 }]\n'));
    expect(own.graders).toMatchObject({ builtin: false, hard: [] });
    const builtin = loadSuite(suite('  checks: [{ type: words, min: 100 }]\n', BUILTIN_PROMPT));
    expect(builtin.graders).toMatchObject({ builtin: true });
    expect(builtin.graders!.hard).toBeUndefined();
  });

  it.each([
    ['  checks: [{ type: contain, value: x }]\n', /: \/graders\/checks\/0\/type: "contain"; expected one of contains, not-contains, regex, json, headings, words, tokens, cost, latency$/],
    ['  checks: [{ value: x }]\n', /: \/graders\/checks\/0\/type: missing; expected one of contains/],
    ['  checks: [{ type: contains }]\n', /: \/graders\/checks\/0: missing field "value"$/],
    ['  checks: [{ type: contains, value: x, colour: red }]\n', /: \/graders\/checks\/0: unknown field "colour"$/],
    ['  checks: [{ type: words, min: -1 }]\n', /: \/graders\/checks\/0\/min: expected must be >= 0$/],
    ['  checks: [{ type: words, min: 9, max: 3 }]\n', /: \/graders\/checks\/0\/max: 3 is below min 9; expected max ≥ min$/],
    ['  checks: [{ type: words }]\n', /: \/graders\/checks\/0: expected min, max or both$/],
    ['  checks: [{ type: regex, pattern: "(" }]\n', /: \/graders\/checks\/0\/pattern: Invalid regular expression.*; expected a JavaScript regular expression$/],
    ['  checks: [{ type: json, schema: { type: objekt } }]\n', /: \/graders\/checks\/0\/schema: .*; expected a JSON Schema ajv can compile$/],
    ['  checks: [{ type: contains, value: a }, { type: contains, value: b }]\n', /: \/graders\/checks\/1\/id: "contains" is also \/graders\/checks\/0's id; expected unique ids/],
    ['  checks: [{ type: contains, value: a }]\n  hard: [sections]\n', /: \/graders\/hard\/0: "sections" is not a grader of this suite; expected one of contains$/],
    ['  checks: [{ type: cost, maxUsd: 0 }]\n', /: \/graders\/checks\/0\/maxUsd: expected must be > 0$/],
  ])('refuses %j with one line naming the field', (graders, message) => {
    const file = suite(graders);
    let error: unknown;
    try {
      loadSuite(file);
    } catch (e) {
      error = e;
    }
    expect((error as Error)?.name).toBe('UsageError');
    expect((error as Error).message.startsWith(file)).toBe(true);
    expect((error as Error).message).toMatch(message);
    expect((error as Error).message).not.toContain('\n');
  });
});

describe('grader modules', () => {
  const fixtures = join(import.meta.dirname, 'fixtures');
  const examples = join(import.meta.dirname, 'examples');

  it('loads a TypeScript module that imports the public API, grades with it, and holds it to the contract', async () => {
    const file = join(tempDir(), 'suite.yaml');
    const p = await prepareGraderSet(policy([], { modules: [join(examples, 'action-items.ts')], hard: ['action-items'] }), file);
    expect(p.graderModules).toEqual([{ spec: join(examples, 'action-items.ts'), file: join(examples, 'action-items.ts'), sha256: expect.stringMatching(/^[0-9a-f]{16}$/) }]);
    const good = gradeDocument(POSTMORTEM, {}, p, gradersFor(p));
    expect(good.graders['action-items']).toMatchObject({ pass: true, score: 1, reason: '2 action items, each with an owner' });
    expect(good.pass).toBe(true);
    const bad = gradeDocument(POSTMORTEM.replace(' — @dana', ''), {}, p, gradersFor(p));
    expect(bad.graders['action-items']).toMatchObject({ pass: false, score: 0.5, evidence: { at: [{ line: 11, note: 'no owner' }] } });
    expect(bad.pass).toBe(false); // a hard grader
    // Known to the gate, reports and calibration (graders/index.ts's hook).
    expect(graders.map((g) => g.id)).toContain('action-items');
  });

  it('refuses a module that breaks the contract, names a grader that throws, and refuses a built-in id', async () => {
    const where = 'suite.yaml';
    await expect(prepareGraderSet(policy([], { modules: [join(fixtures, 'not-a-grader.mjs')] }), where)).rejects.toThrow(/^suite\.yaml: \/graders\/modules\/0: .*not-a-grader\.mjs: grade is not a function; expected a default export made with defineGrader/);
    await expect(prepareGraderSet(policy([], { modules: ['./nope.ts'] }), where)).rejects.toThrow(/^suite\.yaml: \/graders\/modules\/0: \.\/nope\.ts: file not found/);
    await expect(prepareGraderSet(policy([], { modules: ['no-such-package-xyz'] }), where)).rejects.toThrow(/package not found/);
    const p = await prepareGraderSet(policy([], { modules: [join(fixtures, 'throws.mjs')] }), where);
    expect(() => gradeDocument(POSTMORTEM, {}, p, gradersFor(p))).toThrow(GraderBug);
    expect(() => gradeDocument(POSTMORTEM, {}, p, gradersFor(p))).toThrow('grader throws: threw boom');
    expect(() => checkedGrader({ id: 'sections', description: 'x', weight: 1, grade: () => null }, 'm')).not.toThrow();
    writeFileSync(join(tempDir(), 'x'), '');
    await expect(prepareGraderSet(policy([{ type: 'contains', value: 'x', id: 'word-count' }]), where)).rejects.toThrow(/\/graders\/checks\/0: grader id "word-count" is a built-in grader's/);
  });

  it('describes the document and grade it gets with the types the graders use', () => {
    // A compile-time check (tsc runs over tests): the public types accept the real model.
    const doc: ApiDocument = parseDocument(POSTMORTEM) satisfies RealDocument;
    const g: ApiGrade = gradeDocument(doc as RealDocument, {}, DEFAULT_POLICY, gradersFor(DEFAULT_POLICY)).graders.sections!;
    expect(doc.sections.length).toBeGreaterThan(0);
    expect(typeof g.reason).toBe('string');
  });
});

describe('on grading threads', () => {
  it('grades a suite set with checks and a TypeScript module on worker threads exactly as inline', async () => {
    const { GradePool } = await import('../../src/runner/grade-pool.ts');
    const { gradeOutput } = await import('../../src/runner/grade-worker.ts');
    const module = join(import.meta.dirname, 'examples/action-items.ts');
    const p = await prepareGraderSet(policy([{ type: 'headings', required: ['Summary', 'Action items'] }, { type: 'cost', maxUsd: 1 }], { modules: [module], hard: ['action-items'] }), 'suite.yaml');
    const pool = new GradePool(2);
    try {
      const texts = [POSTMORTEM, POSTMORTEM.replace(' — @dana', ''), `${POSTMORTEM}\n${'More detail. '.repeat(400)}\n`, ''];
      const jobs = texts.map((text) => ({ text, scenario: null, policy: p }));
      const pooled = await Promise.all(jobs.map((job) => pool.grade(job)));
      expect(pooled).toEqual(jobs.map(gradeOutput));
      expect(pooled.map((g) => g.grades['action-items']?.pass)).toEqual([true, false, true, false]);
      expect(Object.keys(pooled[0]!.grades).sort()).toEqual(['action-items', 'headings']);
    } finally {
      await pool.close();
    }
  }, 60_000);
});

describe('through the CLI', () => {
  it.each([
    ['  checks: [{ type: regex, pattern: "[" }]\n', /\/graders\/checks\/0\/pattern: Invalid regular expression/],
    ['  modules: [./graders/nope.ts]\n', /\/graders\/modules\/0: \.\/graders\/nope\.ts: file not found/],
    ['  checks: [{ type: json, schema: { type: 5 } }]\n', /\/graders\/checks\/0\/schema: .*expected a JSON Schema ajv can compile/],
  ])('eval refuses %j before planning: exit 2, one line, nothing on stdout', async (graders, message) => {
    const { cli, root } = await import('../../src/testing/cli.ts');
    const file = join(tempDir(), 'suite.yaml');
    writeFileSync(file, `prompt: pipeline-incident-postmortem\nversions: all\nmodels: [{ provider: anthropic, model: claude-sonnet-5-5 }]\nscenarios: all\nsamples: 1\ngraders:\n${graders}`);
    const r = await cli(['eval', '--suite', file, '--dry-run'], root, { env: { ANTHROPIC_API_KEY: undefined, OPENAI_API_KEY: undefined } });
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(message);
  });
});
