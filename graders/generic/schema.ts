// The generic checks a suite can configure (`graders.checks`), the ones every harness user
// expects: text that must or must not appear, a pattern, JSON (valid, or matching a JSON Schema),
// required markdown headings, a word or token range, and a cost or latency ceiling per cell.
// Each check becomes a grader with its own id, so it takes part in weights, `hard`, reports and
// the gate like a built-in one. Types are derived from these schemas; ajv checks every suite.

import { Type, type Static } from '@sinclair/typebox';

const Id = Type.String({ pattern: '^[a-z0-9]+(?:-[a-z0-9]+)*$' });
const Common = {
  /** The grader id reports and `hard` use (default: the check's type); unique in the suite. */
  id: Type.Optional(Id),
  /** Weight in the overall score (default 1; graders.weights may override it). */
  weight: Type.Optional(Type.Number({ minimum: 0 })),
  /** What the check is for, shown in reports. */
  description: Type.Optional(Type.String({ minLength: 1 })),
};
const Texts = Type.Union([Type.String({ minLength: 1 }), Type.Array(Type.String({ minLength: 1 }), { minItems: 1 })]);
const Range = { min: Type.Optional(Type.Integer({ minimum: 0 })), max: Type.Optional(Type.Integer({ minimum: 1 })) };

export const CheckSchema = Type.Union([
  /** Every one of `value` appears in the answer. */
  Type.Object({ type: Type.Literal('contains'), value: Texts, caseSensitive: Type.Optional(Type.Boolean()), ...Common }, { additionalProperties: false }),
  /** None of `value` appears in the answer. */
  Type.Object({ type: Type.Literal('not-contains'), value: Texts, caseSensitive: Type.Optional(Type.Boolean()), ...Common }, { additionalProperties: false }),
  /** The pattern matches somewhere (or, with `absent: true`, nowhere). */
  Type.Object({ type: Type.Literal('regex'), pattern: Type.String({ minLength: 1 }), flags: Type.Optional(Type.String({ pattern: '^[imsu]*$' })), absent: Type.Optional(Type.Boolean()), ...Common }, { additionalProperties: false }),
  /** The answer (or its first ```json block) is valid JSON, matching `schema` when given (ajv). */
  Type.Object({ type: Type.Literal('json'), schema: Type.Optional(Type.Record(Type.String(), Type.Unknown())), ...Common }, { additionalProperties: false }),
  /** Every title in `required` is a heading of the answer (case and numbering ignored). */
  Type.Object({ type: Type.Literal('headings'), required: Type.Array(Type.String({ minLength: 1 }), { minItems: 1 }), ...Common }, { additionalProperties: false }),
  /** Prose words (tables and code not counted) within [min, max]. */
  Type.Object({ type: Type.Literal('words'), ...Range, ...Common }, { additionalProperties: false }),
  /** Estimated tokens (characters / 4, as the runner estimates) within [min, max]. */
  Type.Object({ type: Type.Literal('tokens'), ...Range, ...Common }, { additionalProperties: false }),
  /** The cell's cost at most `maxUsd` (a cell without a price fails: its cost is unknown). */
  Type.Object({ type: Type.Literal('cost'), maxUsd: Type.Number({ exclusiveMinimum: 0 }), ...Common }, { additionalProperties: false }),
  /** The cell's latency at most `maxMs` (cells from the store keep the latency they had). */
  Type.Object({ type: Type.Literal('latency'), maxMs: Type.Number({ exclusiveMinimum: 0 }), ...Common }, { additionalProperties: false }),
]);

export type Check = Static<typeof CheckSchema>;
export type CheckType = Check['type'];
export type CellCheck = Extract<Check, { type: 'cost' | 'latency' }>;
export type TextCheck = Exclude<Check, CellCheck>;

/** Cost and latency are facts of a cell, not of its text: they are applied to cell results. */
export function isCellCheck(check: Check): check is CellCheck {
  return check.type === 'cost' || check.type === 'latency';
}

export function checkId(check: Check): string {
  return check.id ?? check.type;
}
