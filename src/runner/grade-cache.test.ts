// One contract, every grade-cache implementation; and the key: what changes a grade changes it.

import { appendFileSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEFAULT_POLICY } from '../../graders/grade.ts';
import { resolveScenario } from '../dataset/load.ts';
import { tempDir } from '../testing/cli.ts';
import { FsGradeCache, gradeKey, MemoryGradeCache, type CachedGrade, type GradeCache } from './grade-cache.ts';

const scenario = resolveScenario('ecommerce-hybrid');
const parts = { text: '# Doc\n\nSome text.', scenario, gradersVersion: 'abc123', policy: DEFAULT_POLICY };
const grade = (score = 0.5): CachedGrade => ({ score, pass: false, grades: { sections: { pass: false, score, reason: '3 of 7 sections', at: [[1, 'Overview'], [9, 'Costs']] }, 'word-count': { pass: true, score: 1, reason: '1600 words', at: [] } } });

describe('gradeKey', () => {
  it('is the same for the same inputs, and differs when the text, scenario, graders or policy differ', () => {
    expect(gradeKey(parts)).toBe(gradeKey({ ...parts, policy: { passThreshold: 0.8, hard: [...DEFAULT_POLICY.hard], weights: {} } }));
    expect(gradeKey(parts)).toMatch(/^[0-9a-f]{64}$/);
    const changes = [
      { text: '# Doc\n\nSome text!' },
      { scenario: null },
      { scenario: resolveScenario('payments-pci') },
      { scenario: { ...scenario, facts: { ...scenario.facts, sources: scenario.facts.sources.slice(1) } } },
      { gradersVersion: 'abc124' },
      { policy: { ...DEFAULT_POLICY, passThreshold: 0.7 } },
      { policy: { ...DEFAULT_POLICY, weights: { 'cost-table': 2 } } },
    ];
    for (const change of changes) expect(gradeKey({ ...parts, ...change })).not.toBe(gradeKey(parts));
  });
});

const implementations: Array<[string, () => GradeCache]> = [
  ['MemoryGradeCache', () => new MemoryGradeCache()],
  ['FsGradeCache', () => new FsGradeCache(join(tempDir(), 'grades'), 'abc123')],
];

describe.each(implementations)('%s', (_name, make) => {
  it('returns what was put, and null for a miss', () => {
    const cache = make();
    const key = gradeKey(parts);
    expect(cache.get(key)).toBeNull();
    cache.put(key, grade());
    expect(cache.get(key)).toEqual(grade());
  });

  it('replaces an entry under the same key', () => {
    const cache = make();
    const key = gradeKey(parts);
    cache.put(key, grade(0.5));
    cache.put(key, grade(0.75));
    expect(cache.get(key)?.score).toBe(0.75);
  });

  it('is not changed by mutating what was put or got', () => {
    const cache = make();
    const key = gradeKey(parts);
    const g = grade();
    cache.put(key, g);
    g.score = 0.9;
    cache.get(key)!.grades.sections!.reason = 'mutated';
    expect(cache.get(key)).toEqual(grade());
  });
});

describe('FsGradeCache on disk', () => {
  it('is read back by a new instance, from one file per graders version', () => {
    const dir = join(tempDir(), 'grades');
    const key = gradeKey(parts);
    const first = new FsGradeCache(dir, 'abc123');
    first.put(key, grade());
    first.close();
    expect(new FsGradeCache(dir, 'abc123').get(key)).toEqual(grade());
    expect(new FsGradeCache(dir, 'other').get(key)).toBeNull();
    expect(readdirSync(dir)).toEqual(['abc123.v3.jsonl']);
  });

  it('does not read a cache file of an older format (its outputs are graded again)', () => {
    const dir = join(tempDir(), 'grades');
    const key = gradeKey(parts);
    const old = { ...grade(), grades: { sections: { pass: false, score: 0.5, reason: 'old' } } };
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'abc123.jsonl'), `{"k":"${key}","g":${JSON.stringify(old)}}\n`);
    expect(new FsGradeCache(dir, 'abc123').get(key)).toBeNull();
  });

  it('treats a torn, unparseable or misshapen entry as a miss and says so', () => {
    const dir = join(tempDir(), 'grades');
    const [good, badJson, badShape, wrongKey, noLines] = ['a', 'b', 'c', 'd', 'e'].map((t) => gradeKey({ ...parts, text: t }));
    const writer = new FsGradeCache(dir, 'abc123');
    writer.put(good!, grade());
    writer.close();
    const file = join(dir, 'abc123.v3.jsonl');
    appendFileSync(file, `{"k":"${badJson}","g":{"score":0.5,"pa\n`);
    appendFileSync(file, `{"k":"${badShape}","g":{"score":7,"pass":true,"grades":{}}}\n`);
    // A grade without evidence lines (the older shape) is a miss too: the report needs them.
    const { at: _, ...noEvidence } = grade().grades.sections!;
    appendFileSync(file, `{"k":"${noLines}","g":${JSON.stringify({ ...grade(), grades: { sections: noEvidence } })}}\n`);
    appendFileSync(file, `{"k":"${wrongKey}","g":${JSON.stringify(grade())},"k":"${good}"}\n`);
    appendFileSync(file, `{"k":"torn`);
    const warnings: string[] = [];
    const cache = new FsGradeCache(dir, 'abc123', (w) => warnings.push(w));
    expect(cache.get(good!)).toEqual(grade());
    expect(cache.get(badJson!)).toBeNull();
    expect(cache.get(badShape!)).toBeNull();
    expect(cache.get(wrongKey!)).toBeNull();
    expect(cache.get(noLines!)).toBeNull();
    expect(warnings.filter((w) => /corrupt grade-cache entry/.test(w))).toHaveLength(4);
    expect(warnings.some((w) => /1 unreadable grade-cache line/.test(w))).toBe(true);
    // A corrupt entry graded again is simply appended; the new line wins.
    cache.put(badJson!, grade(0.25));
    expect(new FsGradeCache(dir, 'abc123').get(badJson!)?.score).toBe(0.25);
  });

  it('carries a checksum: a grade changed on disk is a miss with a warning, never used', () => {
    const dir = join(tempDir(), 'grades');
    const key = gradeKey(parts);
    const writer = new FsGradeCache(dir, 'abc123');
    writer.put(key, grade(0.25));
    writer.close();
    const file = join(dir, 'abc123.v3.jsonl');
    const line = readFileSync(file, 'utf8');
    expect(line).toMatch(/^\{"k":"[0-9a-f]{64}","c":"[0-9a-f]{16}","g":/);
    // A plausible edit: the score raised, the shape intact.
    writeFileSync(file, line.replace('"score":0.25', '"score":0.95'));
    const warnings: string[] = [];
    expect(new FsGradeCache(dir, 'abc123', (w) => warnings.push(w)).get(key)).toBeNull();
    expect(warnings).toEqual([expect.stringMatching(/corrupt grade-cache entry .*checksum mismatch/)]);
  });

  it('warns once and keeps grading in memory when its file cannot be written', () => {
    const root = tempDir();
    // A file where the grades folder should be: every write fails with ENOTDIR.
    writeFileSync(join(root, 'grades'), 'not a folder');
    const warnings: string[] = [];
    const cache = new FsGradeCache(join(root, 'grades', 'sub'), 'abc123', (w) => warnings.push(w));
    const keys = ['a', 'b', 'c'].map((t) => gradeKey({ ...parts, text: t }));
    for (const k of keys) cache.put(k, grade(0.5));
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(/grade cache cannot write \((ENOTDIR|EEXIST)[^)]*\); grading without it/);
    expect(keys.map((k) => cache.get(k)?.score)).toEqual([0.5, 0.5, 0.5]);
  });

  it('writes one line per grade and nothing else', () => {
    const dir = join(tempDir(), 'grades');
    const cache = new FsGradeCache(dir, 'abc123');
    for (const t of ['a', 'b', 'c']) cache.put(gradeKey({ ...parts, text: t }), grade());
    cache.close();
    expect(readdirSync(dir)).toEqual(['abc123.v3.jsonl']);
    expect(readFileSync(join(dir, 'abc123.v3.jsonl'), 'utf8').split('\n')).toHaveLength(4);
    writeFileSync(join(dir, 'abc123.v3.jsonl'), '');
    expect(new FsGradeCache(dir, 'abc123').size).toBe(0);
  });
});
