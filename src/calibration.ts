// Calibration: labelled documents prove each grader right. The labels file says, per document,
// whether each grader should pass; agreement is reported per grader as a confusion matrix with
// precision and recall (positive = "passes"), so a grader that passes everything shows up as
// low precision even when most labels happen to be "pass".

import { join } from 'node:path';
import { Type, type Static } from '@sinclair/typebox';
import { gradeDocument } from '../graders/grade.ts';
import { graders } from '../graders/index.ts';
import { UsageError } from './errors.ts';
import { DEFAULT_SCENARIOS_DIR, resolveScenario } from './dataset/load.ts';
import { readText, readYaml, validate } from './files.ts';
import { didYouMean } from './suggest.ts';

export const LabelsSchema = Type.Record(
  Type.String({ pattern: '\\.md$' }),
  Type.Object(
    {
      description: Type.String({ minLength: 1 }),
      /** Grade against this scenario (an id in datasets/scenarios), adding the scenario-aware graders. */
      scenario: Type.Optional(Type.String({ minLength: 1 })),
      expect: Type.Record(Type.String(), Type.Boolean()),
    },
    { additionalProperties: false },
  ),
);
export type Labels = Static<typeof LabelsSchema>;

export interface Disagreement {
  document: string;
  grader: string;
  expected: boolean;
  actual: boolean;
  reason: string;
}

export interface GraderAgreement {
  grader: string;
  tp: number;
  fp: number;
  fn: number;
  tn: number;
  /** Of the documents the grader passed, the share labelled pass (1 when it passed none). */
  precision: number;
  /** Of the documents labelled pass, the share the grader passed (1 when none are labelled pass). */
  recall: number;
  agreement: number;
}

export interface Calibration {
  documents: number;
  graders: GraderAgreement[];
  disagreements: Disagreement[];
}

export function loadLabels(dir: string): Labels {
  const file = join(dir, 'labels.yaml');
  const labels = validate(LabelsSchema, readYaml(file), file);
  const known = new Map(graders.map((g) => [g.id, g]));
  for (const [doc, entry] of Object.entries(labels)) {
    for (const id of Object.keys(entry.expect)) {
      const grader = known.get(id);
      if (!grader) throw new UsageError(`${file}: /${doc}/expect/${id}: unknown grader "${id}"${didYouMean(id, [...known.keys()])}`);
      if (grader.needsScenario && !entry.scenario) throw new UsageError(`${file}: /${doc}/expect/${id}: grader "${id}" needs a scenario; add scenario: <id>`);
    }
  }
  return labels;
}

export function calibrate(dir: string, labels: Labels, scenariosDir = DEFAULT_SCENARIOS_DIR): Calibration {
  const disagreements: Disagreement[] = [];
  const counts = new Map(graders.map((g) => [g.id, { tp: 0, fp: 0, fn: 0, tn: 0 }]));
  const labelled = new Set(Object.values(labels).flatMap((l) => Object.keys(l.expect)));
  for (const [name, entry] of Object.entries(labels)) {
    const scenario = entry.scenario ? resolveScenario(entry.scenario, scenariosDir) : null;
    const result = gradeDocument(readText(join(dir, name)), { scenario });
    for (const [id, expected] of Object.entries(entry.expect)) {
      const actual = result.graders[id]!;
      const c = counts.get(id)!;
      if (expected && actual.pass) c.tp++;
      else if (!expected && actual.pass) c.fp++;
      else if (expected && !actual.pass) c.fn++;
      else c.tn++;
      if (expected !== actual.pass) disagreements.push({ document: name, grader: id, expected, actual: actual.pass, reason: actual.reason });
    }
  }
  const rows = [...counts].filter(([grader]) => labelled.has(grader)).map(([grader, c]) => {
    const n = c.tp + c.fp + c.fn + c.tn;
    return {
      grader,
      ...c,
      precision: c.tp + c.fp ? c.tp / (c.tp + c.fp) : 1,
      recall: c.tp + c.fn ? c.tp / (c.tp + c.fn) : 1,
      agreement: n ? (c.tp + c.tn) / n : 1,
    };
  });
  return { documents: Object.keys(labels).length, graders: rows, disagreements };
}
