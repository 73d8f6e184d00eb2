// The eval suite file format (evals/<suite>.yaml): which prompt versions run on which models
// against which scenarios, how many samples, how grades combine, what it may cost, and where
// results go. Types are derived from the schema; ajv checks every suite file.

import { Type, type Static } from '@sinclair/typebox';

const Price = Type.Object(
  {
    /** USD per million tokens. */
    input: Type.Number({ minimum: 0 }),
    output: Type.Number({ minimum: 0 }),
    cacheRead: Type.Optional(Type.Number({ minimum: 0 })),
    cacheWrite: Type.Optional(Type.Number({ minimum: 0 })),
  },
  { additionalProperties: false },
);

export const ModelSchema = Type.Object(
  {
    provider: Type.Union([Type.Literal('anthropic'), Type.Literal('openai'), Type.Literal('openai-compatible')]),
    model: Type.String({ minLength: 1 }),
    /** How reports name it ("Claude Sonnet 5.5"); defaults to the model id. */
    label: Type.Optional(Type.String({ minLength: 1 })),
    /** OpenAI and compatible servers: the Responses API (default) or Chat Completions. */
    api: Type.Optional(Type.Union([Type.Literal('responses'), Type.Literal('chat')])),
    /** Overrides ANTHROPIC_BASE_URL / OPENAI_BASE_URL and the vendor default. */
    baseURL: Type.Optional(Type.String({ minLength: 1 })),
    /** The environment variable holding the key (default ANTHROPIC_API_KEY / OPENAI_API_KEY). Never the key itself. */
    apiKeyEnv: Type.Optional(Type.String({ pattern: '^[A-Z_][A-Z0-9_]*$' })),
    /** Requests in flight at once for this model (default 4). */
    concurrency: Type.Optional(Type.Integer({ minimum: 1, maximum: 256 })),
    /** Generation settings; override the prompt version's defaults. */
    maxTokens: Type.Optional(Type.Integer({ minimum: 1 })),
    temperature: Type.Optional(Type.Number({ minimum: 0, maximum: 2 })),
    timeoutSeconds: Type.Optional(Type.Number({ exclusiveMinimum: 0 })),
    /** Give a connection up and retry when it sends no byte for this long (default 60): a stalled stream. */
    idleTimeoutSeconds: Type.Optional(Type.Number({ exclusiveMinimum: 0 })),
    price: Type.Optional(Price),
  },
  { additionalProperties: false },
);

/**
 * The CI gate's policy (`gate:` in a suite; see src/gate/policy.ts for the defaults and
 * src/gate/gate.ts for how it is applied). A model fails when its mean score falls by more than
 * `maxDrop` AND the fall is significant (one-sided paired permutation p ≤ `alpha`), or when a
 * hard grader's pass rate falls by more than its allowance in percentage points.
 */
export const GatePolicySchema = Type.Object(
  {
    /** Largest tolerated fall of the mean overall score, on the 0..1 scale (default 0.03). */
    maxDrop: Type.Optional(Type.Number({ minimum: 0, maximum: 1 })),
    /** Significance level of the one-sided test "the candidate is worse" (default 0.05). */
    alpha: Type.Optional(Type.Number({ exclusiveMinimum: 0, maximum: 0.5 })),
    /** Fewest graded samples per model, in the baseline and in the run, to judge it (default 3). */
    minSamples: Type.Optional(Type.Integer({ minimum: 1 })),
    /** Grader id → the most its pass rate may fall, in percentage points (default: the suite's hard graders, 10 each). */
    hard: Type.Optional(Type.Record(Type.String({ minLength: 1 }), Type.Number({ minimum: 0, maximum: 100 }))),
    /** Bootstrap resamples for the 95% CI (default 10000). */
    bootstrap: Type.Optional(Type.Integer({ minimum: 100, maximum: 1_000_000 })),
    /** Seed of the bootstrap and of sampled permutations: same inputs, same verdict (default 1). */
    seed: Type.Optional(Type.Integer({ minimum: 0 })),
  },
  { additionalProperties: false },
);

export const SuiteSchema = Type.Object(
  {
    description: Type.Optional(Type.String()),
    prompt: Type.String({ minLength: 1 }),
    /** "released", "candidates", "all", or versions; a list is the union. */
    versions: Type.Union([Type.String({ minLength: 1 }), Type.Array(Type.String({ minLength: 1 }), { minItems: 1 })]),
    models: Type.Array(ModelSchema, { minItems: 1 }),
    /** "all", "tag:NAME", or scenario ids (a list or comma-separated). */
    scenarios: Type.Union([Type.String({ minLength: 1 }), Type.Array(Type.String({ minLength: 1 }), { minItems: 1 })]),
    samples: Type.Integer({ minimum: 1, maximum: 100 }),
    graders: Type.Optional(
      Type.Object(
        {
          weights: Type.Optional(Type.Record(Type.String(), Type.Number({ minimum: 0 }))),
          /** Graders that must pass for a document to pass. */
          hard: Type.Optional(Type.Array(Type.String())),
          passThreshold: Type.Optional(Type.Number({ minimum: 0, maximum: 1 })),
        },
        { additionalProperties: false },
      ),
    ),
    /** The run never lets its estimated spend pass this (USD). */
    budgetUsd: Type.Optional(Type.Number({ exclusiveMinimum: 0 })),
    /** Response store folder (default .promptgate/store). */
    store: Type.Optional(Type.String({ minLength: 1 })),
    /** Where runs are written (default reports/runs). */
    out: Type.Optional(Type.String({ minLength: 1 })),
    /** Grade the hand-written reference answers alongside (default true). */
    references: Type.Optional(Type.Boolean()),
    /** The CI gate's policy (promptgate gate). */
    gate: Type.Optional(GatePolicySchema),
  },
  { additionalProperties: false },
);

export type Suite = Static<typeof SuiteSchema>;
export type ModelConfig = Static<typeof ModelSchema>;
export type Price = Static<typeof Price>;
export type GatePolicyConfig = Static<typeof GatePolicySchema>;
