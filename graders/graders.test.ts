// One generic test for every grader (after remark-lint): each fixture in
// graders/fixtures/<id>/ named pass-*.md or fail-*.md must get that verdict from grader <id>, and
// no grader may crash or return a malformed grade on odd input.

import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv } from 'ajv';
import { describe, expect, it } from 'vitest';
import { parseDocument } from './document.ts';
import { gradeDocument } from './grade.ts';
import { graders } from './index.ts';
import { GradingLimit, MAX_DOCUMENT_BYTES } from './limits.ts';
import { GradeSchema } from './schema.ts';
import { readScenarioFile } from '../src/dataset/load.ts';

const here = import.meta.dirname;
const validGrade = new Ajv().compile(GradeSchema);
const REQUIRED = ['sections', 'word-count', 'cost-table', 'trade-offs', 'diagram', 'monitoring', 'quality-gates', 'scalability', 'reliability', 'governance', 'config-examples'];

describe('the grader list', () => {
  it('holds every required id once, each in graders/<id>.ts', () => {
    const ids = graders.map((g) => g.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids).toEqual(expect.arrayContaining(REQUIRED));
    for (const id of ids) expect(existsSync(join(here, `${id}.ts`)), `graders/${id}.ts`).toBe(true);
  });
});

for (const grader of graders) {
  describe(`${grader.id} fixtures`, () => {
    const dir = join(here, 'fixtures', grader.id);
    const files = existsSync(dir) ? readdirSync(dir).filter((f) => f.endsWith('.md')) : [];
    // Scenario-aware graders read their fixtures against fixtures/<id>/scenario.yaml.
    const scenario = existsSync(join(dir, 'scenario.yaml')) ? readScenarioFile(join(dir, 'scenario.yaml')) : null;

    it('has a scenario when it needs one', () => {
      expect(Boolean(scenario)).toBe(Boolean(grader.needsScenario));
    });

    it('has at least one passing and one failing fixture', () => {
      expect(files.some((f) => f.startsWith('pass-'))).toBe(true);
      expect(files.some((f) => f.startsWith('fail-'))).toBe(true);
    });

    for (const file of files) {
      const expected = file.startsWith('pass-');
      it(`${expected ? 'passes' : 'fails'} ${file}`, () => {
        const result = grader.grade(parseDocument(readFileSync(join(dir, file), 'utf8')), { scenario });
        expect(result.pass, result.reason).toBe(expected);
        expect(validGrade(result)).toBe(true);
        for (const loc of result.evidence.at) expect(loc.line).toBeGreaterThan(0);
      });
    }
  });
}

describe('odd input', () => {
  const odd: Record<string, string> = {
    empty: '',
    whitespace: ' \n\n\t \r\n',
    'one word': 'Kafka',
    refusal: "I can't help with that.",
    'only a table header': '| a | b |\n|---|---|\n',
    'unclosed fence': '```python\nprint(1)\n',
    'deep nesting': Array.from({ length: 60 }, (_, i) => `${'  '.repeat(i)}- level ${i}`).join('\n'),
    'html only': '<div><script>alert(1)</script></div>',
    'binary-ish': String.fromCharCode(...Array.from({ length: 2000 }, (_, i) => (i * 7919) % 0xd7ff)),
    'huge table': `| Component | Cost |\n|---|---|\n${'| x | $1 |\n'.repeat(5000)}| Total | $5,000 |\n`,
    'long line': `${'word '.repeat(100_000)}\n`,
    'regex bait': `${'$1,'.repeat(5000)}\n${'-'.repeat(10_000)}>\n${'retry '.repeat(3000)}`,
  };
  const scenario = readScenarioFile(join(here, 'fixtures/requirements/scenario.yaml'));
  for (const [name, text] of Object.entries(odd)) {
    it(`grades "${name}" without crashing, with valid grades`, () => {
      const result = gradeDocument(text, { scenario });
      for (const g of Object.values(result.graders)) expect(validGrade(g), JSON.stringify(g)).toBe(true);
      expect(result.score).toBeGreaterThanOrEqual(0);
      expect(result.score).toBeLessThanOrEqual(1);
    });
  }

  it('grades an empty document to zeros with the reason "empty document"', () => {
    const result = gradeDocument('');
    expect(result.score).toBe(0);
    expect(result.pass).toBe(false);
    for (const g of Object.values(result.graders)) expect(g).toMatchObject({ pass: false, score: 0, reason: 'empty document' });
  });

  it('adds up a 5,000-row cost table', () => {
    expect(gradeDocument(odd['huge table']!).graders['cost-table']!.pass).toBe(true);
  });
});

describe('a document at the size cap (graders/limits.ts)', () => {
  const unit = `${readFileSync(join(here, '../datasets/calibration/good-atx-numbered.md'), 'utf8')}\n\n`;

  it('is parsed and graded by every grader just under the cap', () => {
    const result = gradeDocument(unit.repeat(Math.floor(MAX_DOCUMENT_BYTES / Buffer.byteLength(unit))));
    expect(result.graders['word-count']!.pass).toBe(false);
    expect(result.graders['cost-table']!.pass).toBe(true);
    expect(result.graders['diagram']!.pass).toBe(true);
  }, 180_000);

  it('is not graded over the cap: a GradingLimit that names it, before any parsing', () => {
    const text = unit.repeat(Math.ceil((10 * MAX_DOCUMENT_BYTES) / unit.length));
    const start = performance.now();
    expect(() => gradeDocument(text)).toThrow(GradingLimit);
    expect(() => gradeDocument(text)).toThrow(/over the 1 MiB grading limit/);
    expect(performance.now() - start).toBeLessThan(1000);
  });
});
