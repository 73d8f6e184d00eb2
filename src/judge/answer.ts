// The judge's answer: one JSON object, checked with ajv, whose quotes must be lines the document
// really has. An answer that is not JSON, breaks the schema, or quotes text the document does not
// contain is malformed: the judge is asked once more, then the judgement is an error — a judge
// that invents its evidence is not one to trust with a verdict.

import { Type, type Static } from '@sinclair/typebox';
import { compileSchema } from '../validators.ts';

export const JudgeAnswerSchema = Type.Object(
  {
    verdict: Type.Union([Type.Literal('pass'), Type.Literal('fail')]),
    /** 0 (plainly fails) to 1 (plainly passes). */
    score: Type.Number({ minimum: 0, maximum: 1 }),
    /** The document's own lines the verdict rests on, copied exactly. */
    quotes: Type.Array(Type.String({ minLength: 3, maxLength: 400 }), { minItems: 1, maxItems: 6 }),
    reason: Type.String({ minLength: 1, maxLength: 1200 }),
  },
  { additionalProperties: false },
);

export type JudgeAnswer = Static<typeof JudgeAnswerSchema>;

const squash = (s: string) => s.replace(/[`*_]/g, '').replace(/\s+/g, ' ').trim().toLowerCase();

/** The answer, or why it cannot be used (one line). */
export function readAnswer(text: string, document: string): { answer: JudgeAnswer } | { problem: string } {
  // Models wrap JSON in a fence or a sentence despite being told not to: take the outermost object.
  const start = text.indexOf('{');
  const end = text.lastIndexOf('}');
  if (start < 0 || end <= start) return { problem: 'no JSON object in the answer' };
  let data: unknown;
  try {
    data = JSON.parse(text.slice(start, end + 1));
  } catch (error) {
    return { problem: `not JSON (${(error as Error).message.split('\n')[0]})` };
  }
  const check = compileSchema(JudgeAnswerSchema);
  if (!check(data)) {
    const e = check.errors![0]!;
    return { problem: `${e.instancePath || '/'} ${e.message ?? 'is invalid'}` };
  }
  const answer = data as JudgeAnswer;
  const doc = squash(document);
  const invented = answer.quotes.find((q) => !doc.includes(squash(q)));
  if (invented !== undefined) return { problem: `quotes text the document does not contain: "${invented.slice(0, 80)}"` };
  return { answer };
}
