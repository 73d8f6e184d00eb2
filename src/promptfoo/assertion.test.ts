// The promptfoo assertions against promptgate's own grading: the same score, pass and reasons
// as gradeDocument, the scenario from vars in each of its forms, and promptgate's pass rule.

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEFAULT_POLICY, gradeDocument } from '../../graders/grade.ts';
import { resolveScenario } from '../dataset/load.ts';
import { grade, gradeAll, scoreTest } from './assertion.ts';

const root = join(import.meta.dirname, '../..');
const doc = readFileSync(join(root, 'datasets/references/ecommerce-hybrid.md'), 'utf8');
const scenarios = join(root, 'datasets/scenarios');
const scenario = resolveScenario('ecommerce-hybrid', scenarios);

describe('gradeAll', () => {
  it("is promptgate's grade: score, pass, one component per grader with its reason", () => {
    const policy = { weights: { sections: 5 }, hard: ['sections', 'cost-table'], passThreshold: 0.7 };
    const expected = gradeDocument(doc, { scenario }, policy);
    const r = gradeAll(doc, { vars: { scenario: 'ecommerce-hybrid' }, config: { ...policy, scenarios } });
    expect(r.score).toBe(expected.score);
    expect(r.pass).toBe(expected.pass);
    expect(r.componentResults).toEqual(Object.entries(expected.graders).map(([id, g]) => ({ pass: g.pass, score: g.score, reason: `${id}: ${g.reason}` })));
    expect(r.namedScores).toEqual(Object.fromEntries(Object.entries(expected.graders).map(([id, g]) => [id, g.score])));
    expect(Object.keys(r.namedScores!)).toContain('requirements');
  });

  it('takes the scenario inline, as an object or its JSON, and runs without one', () => {
    const byId = gradeAll(doc, { vars: { scenario: 'ecommerce-hybrid' }, config: { scenarios } });
    expect(gradeAll(doc, { vars: { scenario } })).toEqual(byId);
    expect(gradeAll(doc, { vars: { scenario: JSON.stringify(scenario) } })).toEqual(byId);
    const without = gradeAll(doc, {});
    expect(without.score).toBe(gradeDocument(doc, {}, DEFAULT_POLICY).score);
    expect(Object.keys(without.namedScores!)).not.toContain('requirements');
  });

  it('fails with a one-line reason on a bad scenario or config, never a stack trace', () => {
    const bad = [
      gradeAll(doc, { vars: { scenario: 'no-such-scenario' }, config: { scenarios } }),
      gradeAll(doc, { vars: { scenario: { id: 'x' } } }),
      gradeAll(doc, { vars: { scenario: '{oops' } }),
      gradeAll(doc, { config: { hard: ['no-such-grader'] } }),
      gradeAll(doc, { config: { passThreshold: 2 } }),
    ];
    for (const r of bad) {
      expect(r).toMatchObject({ pass: false, score: 0 });
      expect(r.reason).toMatch(/^promptgate: /);
      expect(r.reason).not.toMatch(/\n|at .*\.ts/);
    }
    expect(bad[0]!.reason).toMatch(/unknown scenario "no-such-scenario"/);
    expect(bad[1]!.reason).toMatch(/^promptgate: vars\.scenario.*expected a scenario/);
    expect(bad[3]!.reason).toMatch(/unknown grader "no-such-grader"/);
  });

  it('grades an empty or non-text output as a failing document', () => {
    expect(gradeAll('', {})).toMatchObject({ pass: false, score: 0 });
    expect(gradeAll({ a: 1 }, {}).pass).toBe(false);
  });
});

describe("a suite's generic checks", () => {
  const checks = [{ type: 'contains' as const, id: 'names-kafka', value: 'Kafka' }, { type: 'regex' as const, pattern: 'no such phrase anywhere', weight: 3 }];

  it('grade with them alone (builtin: false), weighted, hard when named', () => {
    const r = gradeAll(doc, { config: { checks, builtin: false, hard: ['names-kafka'], passThreshold: 0.2 } });
    expect(r.componentResults!.map((c) => [c.reason.split(':')[0], c.pass])).toEqual([['names-kafka', true], ['regex', false]]);
    expect(r.score).toBe(0.25);
    expect(r.pass).toBe(true);
  });

  it('run one check through grade, and refuse a cell check, which grades no text', () => {
    expect(grade(doc, { config: { grader: 'names-kafka', checks } })).toMatchObject({ pass: true, score: 1 });
    expect(grade(doc, { config: { grader: 'latency', checks: [{ type: 'latency', maxMs: 10 }] } }).reason).toMatch(/^promptgate: config\.checks: "latency" is a latency check, which grades a cell, not a text/);
    expect(gradeAll(doc, { config: { checks: [{ type: 'nope' }] as never } }).reason).toMatch(/^promptgate: config\.checks\/0/);
  });
});

describe('grade (one grader)', () => {
  it("returns that grader's result", () => {
    const expected = gradeDocument(doc, { scenario }, DEFAULT_POLICY).graders['cost-table']!;
    expect(grade(doc, { vars: { scenario: 'ecommerce-hybrid' }, config: { grader: 'cost-table', scenarios } })).toEqual({ pass: expected.pass, score: expected.score, reason: `cost-table: ${expected.reason}` });
  });

  it('names what is missing: the grader, or the scenario a scenario-aware grader needs', () => {
    expect(grade(doc, {}).reason).toMatch(/^promptgate: config\.grader: missing; expected one of sections, /);
    expect(grade(doc, { config: { grader: 'requirements' } }).reason).toBe('promptgate: grader requirements needs a scenario; expected vars.scenario (an id or the scenario)');
  });
});

describe('scoreTest (the exported config\'s assertScoringFunction)', () => {
  const component = (score: number, pass: boolean, weight: number, hard = false) => ({ pass, score, reason: `r${score}`, assertion: { weight, config: hard ? { hard: true } : {} } });

  it('is the weighted mean, passing at the threshold when every hard grader passes', () => {
    const r = scoreTest({}, { threshold: 0.7, componentResults: [component(1, true, 3, true), component(0.4, false, 1)] });
    expect(r).toEqual({ pass: true, score: 0.85, reason: 'score 0.85 ≥ 0.7' });
  });

  it('fails when a hard grader fails, whatever the score', () => {
    const r = scoreTest({}, { threshold: 0.5, componentResults: [component(0.9, false, 3, true), component(1, true, 1)] });
    expect(r.pass).toBe(false);
    expect(r.score).toBe(0.925);
    expect(r.reason).toBe('hard grader failed: r0.9; score 0.925');
  });

  it('fails under the threshold', () => {
    expect(scoreTest({}, { threshold: 0.8, componentResults: [component(0.5, true, 1)] })).toEqual({ pass: false, score: 0.5, reason: 'score 0.5 < 0.8' });
  });
});
