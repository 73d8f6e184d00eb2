// Rubrics for the model judge: one YAML file per criterion in the project's judges/ folder. A
// rubric is a yes/no question a pattern cannot decide well ("is this over-engineered for a team
// of two?"), what a passing and a failing document do, and — so that a judge can be calibrated
// like a grader — which calibration label it is checked against. Types come from the schema.

import { existsSync, readdirSync } from 'node:fs';
import { basename, join } from 'node:path';
import { Type, type Static } from '@sinclair/typebox';
import { UsageError } from '../errors.ts';
import { readYaml, validate } from '../files.ts';

export const RubricSchema = Type.Object(
  {
    id: Type.String({ pattern: '^[a-z][a-z0-9-]*$' }),
    title: Type.String({ minLength: 1 }),
    /** The question, answered pass (yes, the document does well) or fail. */
    question: Type.String({ minLength: 1 }),
    /** What a document that passes does. */
    pass: Type.String({ minLength: 1 }),
    /** What a document that fails does. */
    fail: Type.String({ minLength: 1 }),
    /** The judge is shown the scenario's facts (team, volumes, targets, budget); without them the question has no answer. */
    scenario: Type.Optional(Type.Boolean()),
    /**
     * The calibration label the rubric is measured against: a grader id in
     * datasets/calibration/labels.yaml whose rule asks the same question, or the rubric's own id
     * in datasets/calibration/judge-labels.yaml (default).
     */
    label: Type.Optional(Type.String({ minLength: 1 })),
  },
  { additionalProperties: false },
);

export type Rubric = Static<typeof RubricSchema>;

export function loadRubrics(dir: string): Rubric[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((f) => /\.ya?ml$/.test(f))
    .sort()
    .map((f) => {
      const file = join(dir, f);
      const rubric = validate(RubricSchema, readYaml(file), file);
      if (rubric.id !== basename(f).replace(/\.ya?ml$/, '')) throw new UsageError(`${file}: /id: "${rubric.id}" must be the file's name (${basename(f)})`);
      return rubric;
    });
}

/** The rubrics named by `ids` (all when none are named); an unknown id is a usage error. */
export function pickRubrics(all: Rubric[], ids: string[] | undefined, where: string): Rubric[] {
  if (!ids?.length) return all;
  return ids.map((id) => {
    const r = all.find((x) => x.id === id);
    if (!r) throw new UsageError(`${where}: no rubric "${id}"; expected one of: ${all.map((x) => x.id).join(', ') || '(none: add judges/<id>.yaml)'}`);
    return r;
  });
}
