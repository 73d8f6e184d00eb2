// The eval suite file format (evals/<suite>.yaml): which prompt versions run on which models
// against which scenarios, how many samples, how grades combine, what it may cost, and where
// results go. Types are derived from the schema; ajv checks every suite file.

import { Type, type Static } from '@sinclair/typebox';
import { CheckSchema } from '../../graders/generic/schema.ts';

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
 * The CI gate's policy (`gate:` in a suite; src/gate/policy.ts has the defaults and why,
 * src/gate/gate.ts how it is applied). Per model: the mean score is tested (FAIL when it
 * significantly dropped, PASS when it provably fell by less than `maxDrop`, else INCONCLUSIVE),
 * and each hard grader fails when its pass rate fell by more than its allowance AND an exact test
 * says the fall is significant. All the tests of one check share one family-wise `alpha`.
 */
export const GatePolicySchema = Type.Object(
  {
    /** The smallest fall of the mean score the design is sized to detect, on the 0..1 scale: the non-inferiority margin (default 0.05). */
    maxDrop: Type.Optional(Type.Number({ exclusiveMinimum: 0, maximum: 1 })),
    /** Family-wise error rate of one check: an unchanged prompt fails at most this often (default 0.05). */
    alpha: Type.Optional(Type.Number({ exclusiveMinimum: 0, maximum: 0.5 })),
    /** Share of each model's alpha spent on the mean test; the rest is split over its hard graders (default 0.5). */
    meanShare: Type.Optional(Type.Number({ exclusiveMinimum: 0, maximum: 1 })),
    /** Fewest scenarios with graded samples on both sides, per model (default 4). */
    minScenarios: Type.Optional(Type.Integer({ minimum: 1 })),
    /** Fewest graded samples per scenario on each side (default 1). */
    minSamples: Type.Optional(Type.Integer({ minimum: 1 })),
    /** Largest share of a model's planned cells that may be missing (errored, refused, not run) before the verdict is INCOMPLETE (default 0.05). */
    maxMissing: Type.Optional(Type.Number({ minimum: 0, maximum: 1 })),
    /** Grader id → the most its pass rate may fall, in percentage points (default: the suite's hard graders, 5 each). */
    hard: Type.Optional(Type.Record(Type.String({ minLength: 1 }), Type.Number({ minimum: 0, maximum: 100 }))),
    /** Random relabellings of the permutation test when it is too big to enumerate (default 10000). */
    permutations: Type.Optional(Type.Integer({ minimum: 1000, maximum: 1_000_000 })),
    /** Seed of the sampled relabellings: same inputs, same verdict (default 1). */
    seed: Type.Optional(Type.Integer({ minimum: 0 })),
    /**
     * Gate against a same-day control instead of the frozen baseline: `eval` of this suite also
     * samples the baseline's version fresh (as `eval --control`), so provider drift between the
     * baseline's day and today cannot look like a regression (default false).
     */
    control: Type.Optional(Type.Boolean()),
    /** Control samples per scenario and model (default: the suite's samples). */
    controlSamples: Type.Optional(Type.Integer({ minimum: 1, maximum: 100 })),
    /** What an INCONCLUSIVE verdict finally means, after any second batch (default pass, with a warning). */
    onInconclusive: Type.Optional(Type.Union([Type.Literal('pass'), Type.Literal('fail')])),
    /**
     * A pre-planned second batch: when the first is INCONCLUSIVE, `gate --escalate` samples `samples`
     * more per cell and tests again; `firstShare` of alpha is spent on the first look (default 0.5).
     */
    escalate: Type.Optional(
      Type.Object(
        {
          samples: Type.Integer({ minimum: 1, maximum: 100 }),
          firstShare: Type.Optional(Type.Number({ exclusiveMinimum: 0, exclusiveMaximum: 1 })),
        },
        { additionalProperties: false },
      ),
    ),
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
          /**
           * Grade with the built-in graders (written for the Pipeline Design Architect). Default:
           * yes for that prompt, and for any prompt whose suite lists no checks and no modules.
           */
          builtin: Type.Optional(Type.Boolean()),
          /** Generic checks, each a grader (graders/generic/schema.ts). */
          checks: Type.Optional(Type.Array(CheckSchema)),
          /** Grader modules: paths from the project root (./graders/my-check.ts) or package names. */
          modules: Type.Optional(Type.Array(Type.String({ minLength: 1 }), { uniqueItems: true })),
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
    /** live (default): a request per cell; batch: the providers' batch APIs, half the price, answers within 24 h (src/batch/). */
    mode: Type.Optional(Type.Union([Type.Literal('live'), Type.Literal('batch')])),
    /** Batch mode's settings. */
    batch: Type.Optional(
      Type.Object(
        {
          /** Requests a batch ended without answering: asked for live (default) or in a new batch. */
          retry: Type.Optional(Type.Union([Type.Literal('live'), Type.Literal('batch')])),
          /** New batches for them when retry is batch, before the rest goes live (default 2). */
          rounds: Type.Optional(Type.Integer({ minimum: 1, maximum: 10 })),
          /** Requests per batch (default and ceiling: the vendor's, 100,000 Anthropic, 50,000 OpenAI). */
          maxRequests: Type.Optional(Type.Integer({ minimum: 1, maximum: 100_000 })),
          /** Bytes of requests per batch (default: the vendor's, 256 MB Anthropic, 200 MB OpenAI). */
          maxBytes: Type.Optional(Type.Integer({ minimum: 1024 })),
          /** How often batches are polled, in seconds (default 30). */
          pollSeconds: Type.Optional(Type.Number({ exclusiveMinimum: 0, maximum: 3600 })),
        },
        { additionalProperties: false },
      ),
    ),
    /** The CI gate's policy (promptgate gate). */
    gate: Type.Optional(GatePolicySchema),
    /**
     * The optional model judge (promptgate judge, src/judge/): rubric checks answered by a model of
     * another family than the one that wrote the document. Opinions, shown with their cost; they
     * never gate.
     */
    judge: Type.Optional(
      Type.Object(
        {
          models: Type.Array(ModelSchema, { minItems: 1 }),
          /** Rubric ids in judges/ (default: all of them). */
          rubrics: Type.Optional(Type.Array(Type.String({ minLength: 1 }), { uniqueItems: true })),
          /** Judgements in flight at once (default 4). */
          concurrency: Type.Optional(Type.Integer({ minimum: 1, maximum: 64 })),
        },
        { additionalProperties: false },
      ),
    ),
  },
  { additionalProperties: false },
);

export type Suite = Static<typeof SuiteSchema>;
export type ModelConfig = Static<typeof ModelSchema>;
export type Price = Static<typeof Price>;
export type GatePolicyConfig = Static<typeof GatePolicySchema>;
