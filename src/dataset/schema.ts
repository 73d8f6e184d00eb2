// The scenario file format (datasets/scenarios/<id>.yaml). A scenario is one set of requirements
// a user might bring to the prompt: the user message verbatim, plus the facts in it that
// scenario-aware graders check (sources, latency, budget, compliance...) and what a good answer
// must and must not do. The TypeScript type is derived from this schema; ajv checks every file.

import { Type, type Static } from '@sinclair/typebox';

const Named = Type.Object(
  {
    name: Type.String({ minLength: 1 }),
    /** Other ways a document may name it ("Postgres", "orders DB"); matched case-insensitively. */
    aliases: Type.Optional(Type.Array(Type.String({ minLength: 1 }))),
  },
  { additionalProperties: false },
);

const Source = Type.Object(
  {
    name: Type.String({ minLength: 1 }),
    aliases: Type.Optional(Type.Array(Type.String({ minLength: 1 }))),
    kind: Type.Union(['database', 'api', 'files', 'queue', 'stream', 'saas', 'logs', 'devices', 'other'].map((k) => Type.Literal(k))),
    volume: Type.Optional(Type.String()),
  },
  { additionalProperties: false },
);

const Latency = Type.Object(
  {
    /** What needs it ("real-time personalization"). */
    for: Type.String({ minLength: 1 }),
    /** The target in seconds (60 for "under a minute", 86400 for "daily"). */
    seconds: Type.Number({ exclusiveMinimum: 0 }),
    /** As the user wrote it ("less than 1 minute"). */
    text: Type.String({ minLength: 1 }),
  },
  { additionalProperties: false },
);

export const FactsSchema = Type.Object(
  {
    sources: Type.Array(Source, { minItems: 1 }),
    processing: Type.Union([Type.Literal('batch'), Type.Literal('streaming'), Type.Literal('hybrid')]),
    latency: Type.Array(Latency),
    /** Clock deadlines for batch outputs, as the user wrote them ("6 AM"), with aliases ("06:00"). */
    deadlines: Type.Optional(Type.Array(Named)),
    volumes: Type.Array(Type.String({ minLength: 1 })),
    freshness: Type.Array(Type.String({ minLength: 1 })),
    quality: Type.Array(Type.String({ minLength: 1 })),
    // The prompt's optional inputs: absent when the user did not give them.
    technologyPreferences: Type.Optional(Type.Array(Type.String({ minLength: 1 }))),
    team: Type.Optional(
      Type.Object(
        {
          size: Type.Optional(Type.Integer({ minimum: 1 })),
          skill: Type.Optional(Type.Union([Type.Literal('beginner'), Type.Literal('intermediate'), Type.Literal('advanced')])),
          notes: Type.Optional(Type.String()),
        },
        { additionalProperties: false },
      ),
    ),
    scaleTarget: Type.Optional(Type.String({ minLength: 1 })),
    monthlyBudgetUsd: Type.Optional(Type.Number({ exclusiveMinimum: 0 })),
    compliance: Type.Optional(Type.Array(Named)),
    deployment: Type.Optional(Type.Union([Type.Literal('cloud'), Type.Literal('on-premises'), Type.Literal('hybrid')])),
    cloud: Type.Optional(Type.String({ minLength: 1 })),
  },
  { additionalProperties: false },
);

export const ExpectationsSchema = Type.Object(
  {
    /** Topics a good answer must address; any alias counts. */
    mustAddress: Type.Array(Named),
    /** The delivery guarantee the use case implies; "either" when both are defensible. */
    deliverySemantics: Type.Union([Type.Literal('exactly-once'), Type.Literal('at-least-once'), Type.Literal('either')]),
    /** Technologies that would be over-engineering here if recommended. */
    overEngineering: Type.Array(Named),
  },
  { additionalProperties: false },
);

/**
 * A follow-up turn of a multi-turn scenario: the user's next message, and what changes with it.
 * Facts and expectations given here replace the earlier values from this turn on (a field at a
 * time); the rest stays in force. turns.ts computes what is in force at each turn.
 */
const FollowUp = Type.Object(
  {
    /** The user's message, verbatim ("the budget is now $2,000 a month"). */
    message: Type.String({ minLength: 10 }),
    /** What it changes, in a few words, for reports ("budget down to $2,000/month"). */
    change: Type.String({ minLength: 3 }),
    facts: Type.Optional(Type.Partial(FactsSchema)),
    expectations: Type.Optional(Type.Partial(ExpectationsSchema)),
    /** The answer shows it took the change in: an alias of each must appear (the new figure, the replacement). */
    mustMention: Type.Optional(Type.Array(Named)),
    /** Technologies the answer must no longer choose ("the team has never run Kafka"). */
    mustDrop: Type.Optional(Type.Array(Named)),
  },
  { additionalProperties: false },
);

export const ScenarioSchema = Type.Object(
  {
    id: Type.String({ pattern: '^[a-z0-9]+(?:-[a-z0-9]+)*$' }),
    title: Type.String({ minLength: 1 }),
    tags: Type.Array(Type.String({ pattern: '^[a-z0-9-]+$' }), { uniqueItems: true }),
    /** The user message, verbatim, as the model receives it. */
    message: Type.String({ minLength: 20 }),
    facts: FactsSchema,
    expectations: ExpectationsSchema,
    notes: Type.Optional(Type.String()),
    /** Later turns of the conversation (multi-turn scenarios): each a user message that changes something. */
    followUps: Type.Optional(Type.Array(FollowUp, { minItems: 1, maxItems: 5 })),
    /**
     * The prompt this scenario is written for. Set from the folder for a scenario in
     * datasets/scenarios/<prompt-id>/; absent for the scenarios every prompt's suites may use.
     */
    prompt: Type.Optional(Type.String({ pattern: '^[a-z0-9]+(?:-[a-z0-9]+)*$' })),
  },
  { additionalProperties: false },
);

export type Scenario = Static<typeof ScenarioSchema>;
export type NamedTerm = Static<typeof Named>;
export type FollowUpTurn = Static<typeof FollowUp>;
