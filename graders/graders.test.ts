// One generic test for every grader (after remark-lint): each fixture in
// graders/fixtures/<id>/ named pass-*.md or fail-*.md must get that verdict from grader <id>, and
// no grader may crash or return a malformed grade on odd input.

import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv } from 'ajv';
import { describe, expect, it } from 'vitest';
import { parseDocument } from './document.ts';
import { DEFAULT_POLICY, gradeDocument } from './grade.ts';
import { graders } from './index.ts';
import { Deadline, GradingLimit, MAX_DOCUMENT_BYTES } from './limits.ts';
import { SHAPES } from '../bench/adversarial-shapes.ts';
import { DELIMITER_BUDGET, guardForParse } from './parse-guard.ts';
import { GradeSchema } from './schema.ts';
import { readScenarioFile } from '../src/dataset/load.ts';
import { atTurn } from '../src/dataset/turns.ts';

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
    const written = existsSync(join(dir, 'scenario.yaml')) ? readScenarioFile(join(dir, 'scenario.yaml')) : null;
    // A scenario with follow-ups is graded at turn 2, after the answer in previous.txt.
    const scenario = written?.followUps ? { ...atTurn(written, 2), revision: { ...atTurn(written, 2).revision!, previous: readFileSync(join(dir, 'previous.txt'), 'utf8') } } : written;

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
    // A generous deadline: this test is about size, and the machine may be busy.
    const result = gradeDocument(unit.repeat(Math.floor(MAX_DOCUMENT_BYTES / Buffer.byteLength(unit))), {}, DEFAULT_POLICY, graders, new Deadline(600_000));
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

describe('pathological markdown (bench/adversarial.bench.ts has the timings)', () => {
  // 64 KB of each shape: before the parse guard and the linear number patterns, several of these
  // overflowed the stack ("deep >") or took minutes (`*a` runs, "1,1,1,…" in scalability).
  for (const [name, shape] of Object.entries(SHAPES)) {
    it(`grades 64 KB of ${name} within the time limit, every grader well-formed`, () => {
      const result = gradeDocument(shape(64 * 1024));
      for (const g of Object.values(result.graders)) expect(validGrade(g), JSON.stringify(g)).toBe(true);
    }, 30_000);
  }

  it('a time limit that has passed stops grading with a GradingLimit naming it', () => {
    let t = 0;
    const past = new Deadline(0, () => t++); // no time at all: over at the first check
    expect(() => gradeDocument('# A\n\ntext\n', {}, DEFAULT_POLICY, graders, past)).toThrow(/grading stopped after 0 s \(the limit for one document\) while parsing the markdown/);
  });

  it('the guard leaves ordinary text alone and keeps every character where it was', () => {
    const ordinary = readFileSync(join(here, '../datasets/calibration/good-atx-numbered.md'), 'utf8');
    expect(guardForParse(ordinary).text).toBe(ordinary);
    const runs = `${'*a'.repeat(DELIMITER_BUDGET + 1)}\n\n\`\`\`\n${'*'.repeat(1000)}\n\`\`\`\n`;
    const guarded = guardForParse(runs);
    expect(guarded.text).not.toBe(runs);
    expect(guarded.text.length).toBe(runs.length);
    expect(guarded.restore(guarded.text)).toBe(runs);
    // Code is bounded too, but restored: the code block's value is exactly what was written.
    expect(parseDocument(runs).code[0]!.value).toBe('*'.repeat(1000));
  });

  it('a line that looks like a fence to the guard but not to the parser opens no way round it', () => {
    // Indented four spaces after a paragraph line, "```" continues the paragraph.
    const text = `para\n    \`\`\`\n${'*a'.repeat(4 * DELIMITER_BUDGET)}\n`;
    const guarded = guardForParse(text).text;
    expect(guarded.split('\n')[1]).toBe('    ```');
    expect((guarded.split('\n')[2]!.match(/\*/g) ?? []).length).toBeLessThanOrEqual(DELIMITER_BUDGET);
  });
});
