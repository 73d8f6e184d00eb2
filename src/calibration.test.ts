import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { gradeDocument } from '../graders/grade.ts';
import { graders } from '../graders/index.ts';
import { calibrate, loadLabels } from './calibration.ts';
import { resolveScenario } from './dataset/load.ts';

const root = join(import.meta.dirname, '..');
const dir = join(root, 'datasets/calibration');
const labels = loadLabels(dir);

describe('the calibration set', () => {
  it('labels at least 16 documents, every grader on each, and every document is labelled', () => {
    const docs = readdirSync(dir).filter((f) => f.endsWith('.md'));
    expect(docs.length).toBeGreaterThanOrEqual(16);
    expect(Object.keys(labels).sort()).toEqual(docs.sort());
    for (const entry of Object.values(labels)) {
      // A calibration document is a single answer: graders of a later turn (revision) do not apply.
      const applicable = graders.filter((g) => (entry.scenario || !g.needsScenario) && !g.needsRevision).map((g) => g.id);
      expect(Object.keys(entry.expect).sort()).toEqual(applicable.sort());
    }
  });

  it('covers a pass and a fail for every grader', () => {
    for (const g of graders.filter((g) => !g.needsRevision)) {
      const verdicts = new Set(Object.values(labels).map((l) => l.expect[g.id]).filter((v) => v !== undefined));
      expect([...verdicts].sort(), g.id).toEqual([false, true]);
    }
  });

  it('holds the seed example output verbatim', () => {
    // The seed is copied into datasets/seed/; when the shared original is at hand, the copy must match it.
    const seedCopy = readFileSync(join(root, 'datasets/seed/pipeline-design-architect.md'), 'utf8');
    const shared = join(root, '../shared/seeds/000_1793b6e1d7d8a95a.txt');
    if (existsSync(shared)) expect(seedCopy).toBe(readFileSync(shared, 'utf8'));
    const output = seedCopy.slice(seedCopy.indexOf('### Output\n\n') + 12, seedCopy.indexOf('\n\n---\n\n## Related Prompts'));
    expect(output.length).toBeGreaterThan(4000);
    expect(readFileSync(join(dir, 'seed-example.md'), 'utf8')).toBe(`${output}\n`);
  });
});

describe.each(Object.entries(labels))('%s', (name, entry) => {
  const scenario = entry.scenario ? resolveScenario(entry.scenario, join(root, 'datasets/scenarios')) : null;
  const result = gradeDocument(readFileSync(join(dir, name), 'utf8'), { scenario });
  it.each(Object.entries(entry.expect))(`%s is labelled %s`, (id, expected) => {
    expect(result.graders[id]!.pass, result.graders[id]!.reason).toBe(expected);
  });
});

describe('calibrate()', () => {
  it('reports precision and recall per grader from a confusion matrix', () => {
    const result = calibrate(dir, labels);
    expect(result.documents).toBe(Object.keys(labels).length);
    for (const g of result.graders) {
      const labelled = Object.values(labels).filter((l) => g.grader in l.expect).length;
      expect(g.tp + g.fp + g.fn + g.tn).toBe(labelled);
      expect(g.precision).toBe(g.tp + g.fp ? g.tp / (g.tp + g.fp) : 1);
    }
  });

  it('the seed example: its cost total equals the sum of its items', () => {
    const evidence = gradeDocument(readFileSync(join(dir, 'seed-example.md'), 'utf8')).graders['cost-table']!.evidence;
    const table = ((evidence as { tables?: unknown }).tables as Array<{ totals: Array<{ stated: number; computed: number }> }>)[0]!;
    expect(table.totals[0]).toMatchObject({ stated: 3350, computed: 3350 });
  });
});
