// JSON Schemas (TypeBox) for what graders return and what `grade --json` prints. The TypeScript
// types are derived from these schemas, and ajv checks data against the same schemas, so the
// two can never drift apart.

import { Type, type Static } from '@sinclair/typebox';

export const LocationSchema = Type.Object(
  {
    line: Type.Integer({ minimum: 1 }),
    column: Type.Optional(Type.Integer({ minimum: 1 })),
    note: Type.String(),
  },
  { additionalProperties: false },
);

export const GradeSchema = Type.Object(
  {
    pass: Type.Boolean(),
    score: Type.Number({ minimum: 0, maximum: 1 }),
    reason: Type.String({ minLength: 1 }),
    /** `at` points into the document; other keys are the grader's own facts (counts, items). */
    evidence: Type.Object({ at: Type.Array(LocationSchema) }, { additionalProperties: true }),
  },
  { additionalProperties: false },
);

export const GradeReportSchema = Type.Object(
  {
    file: Type.String(),
    scenario: Type.Union([Type.String(), Type.Null()]),
    score: Type.Number({ minimum: 0, maximum: 1 }),
    pass: Type.Boolean(),
    graders: Type.Record(Type.String(), GradeSchema),
  },
  { additionalProperties: false },
);

export type Location = Static<typeof LocationSchema>;
export type Grade = Static<typeof GradeSchema>;
export type GradeReport = Static<typeof GradeReportSchema>;
