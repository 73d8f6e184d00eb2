// The hand-written reference answers: exemplary documents, each passing every grader for its
// scenario. They are the yardstick model outputs are read against, so they must stay right.

import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { gradeDocument } from '../graders/grade.ts';
import { parseDocument } from '../graders/document.ts';
import { graders } from '../graders/index.ts';
import { resolveScenario } from './dataset/load.ts';

const root = join(import.meta.dirname, '..');
const dir = join(root, 'datasets/references');
const files = readdirSync(dir).filter((f) => f.endsWith('.md'));

describe('reference answers', () => {
  it('there are at least 4, each named after a scenario', () => {
    expect(files.length).toBeGreaterThanOrEqual(4);
  });

  describe.each(files)('%s', (file) => {
    const text = readFileSync(join(dir, file), 'utf8');
    const scenario = resolveScenario(file.replace(/\.md$/, ''), join(root, 'datasets/scenarios'));

    it('is labelled as hand-written, not model output', () => {
      expect(text.split('\n')[0]).toMatch(/^<!-- Hand-written reference answer for scenario [a-z0-9-]+; not model output\. -->$/);
    });

    it('has 1,800-2,300 prose words', () => {
      const words = parseDocument(text).words.prose;
      expect(words).toBeGreaterThanOrEqual(1800);
      expect(words).toBeLessThanOrEqual(2300);
    });

    it('passes every grader for its scenario and scores at least 0.9', () => {
      const result = gradeDocument(text, { scenario });
      const failed = Object.entries(result.graders).filter(([, g]) => !g.pass).map(([id, g]) => `${id}: ${g.reason}`);
      expect(failed).toEqual([]);
      expect(Object.keys(result.graders)).toHaveLength(graders.filter((g) => !g.needsRevision).length);
      expect(result.score).toBeGreaterThanOrEqual(0.9);
    });
  });
});
