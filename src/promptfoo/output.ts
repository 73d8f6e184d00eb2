// The part of a promptfoo output file (`promptfoo eval -o results.json`, 0.121) that `import
// promptfoo` reads: each result's prompt, provider, vars, output, usage and timing. Checked with
// ajv like every other input; everything else in the file is left alone.

import { Type, type Static } from '@sinclair/typebox';

const Loose = { additionalProperties: true } as const;

const TokenUsage = Type.Object(
  {
    prompt: Type.Optional(Type.Number({ minimum: 0 })),
    completion: Type.Optional(Type.Number({ minimum: 0 })),
    cached: Type.Optional(Type.Number({ minimum: 0 })),
    total: Type.Optional(Type.Number({ minimum: 0 })),
    completionDetails: Type.Optional(Type.Object({ cacheReadInputTokens: Type.Optional(Type.Number({ minimum: 0 })), cacheCreationInputTokens: Type.Optional(Type.Number({ minimum: 0 })) }, Loose)),
  },
  Loose,
);

export const PromptfooResultSchema = Type.Object(
  {
    promptIdx: Type.Optional(Type.Integer({ minimum: 0 })),
    testIdx: Type.Optional(Type.Integer({ minimum: 0 })),
    prompt: Type.Object({ raw: Type.String(), label: Type.Optional(Type.String()), config: Type.Optional(Type.Object({ instructions: Type.Optional(Type.Unknown()) }, Loose)) }, Loose),
    provider: Type.Union([Type.Object({ id: Type.String({ minLength: 1 }), label: Type.Optional(Type.String()) }, Loose), Type.String({ minLength: 1 })]),
    vars: Type.Optional(Type.Record(Type.String(), Type.Unknown())),
    testCase: Type.Optional(Type.Object({ vars: Type.Optional(Type.Record(Type.String(), Type.Unknown())), description: Type.Optional(Type.String()) }, Loose)),
    response: Type.Optional(
      Type.Union([
        Type.Object(
          {
            output: Type.Optional(Type.Unknown()),
            error: Type.Optional(Type.String()),
            cached: Type.Optional(Type.Boolean()),
            finishReason: Type.Optional(Type.String()),
            tokenUsage: Type.Optional(TokenUsage),
          },
          Loose,
        ),
        Type.Null(),
      ]),
    ),
    error: Type.Optional(Type.Union([Type.String(), Type.Null()])),
    /** promptfoo's ResultFailureReason: 0 none, 1 an assertion failed, 2 the call failed. */
    failureReason: Type.Optional(Type.Integer()),
    latencyMs: Type.Optional(Type.Number({ minimum: 0 })),
    success: Type.Optional(Type.Boolean()),
  },
  Loose,
);

export const PromptfooOutputSchema = Type.Object(
  {
    evalId: Type.Optional(Type.Union([Type.String(), Type.Null()])),
    results: Type.Object({ version: Type.Optional(Type.Integer()), timestamp: Type.Optional(Type.String()), results: Type.Array(PromptfooResultSchema) }, Loose),
  },
  Loose,
);

export type PromptfooResult = Static<typeof PromptfooResultSchema>;
export type PromptfooOutput = Static<typeof PromptfooOutputSchema>;

/** promptfoo's failure reason for a call that failed (no output to grade). */
export const FAILED_CALL = 2;
