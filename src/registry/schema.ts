// Schemas for the prompt registry: the front matter of prompts/<id>/<version>.md and the lock
// file prompts/registry.lock.json. Types are derived from them; ajv checks every file.

import { Type, type Static } from '@sinclair/typebox';

const SEMVER = '^(0|[1-9]\\d*)\\.(0|[1-9]\\d*)\\.(0|[1-9]\\d*)(?:-[0-9A-Za-z.-]+)?$';
const DATE = '^\\d{4}-\\d{2}-\\d{2}$';

export const GenerationSchema = Type.Object(
  {
    /** Output budget: a 2,500-word document with tables and code is about 5,000 tokens. */
    maxTokens: Type.Integer({ minimum: 1 }),
    /** Sent only where the API accepts it (Anthropic API version 2026-10-21 rejects it). */
    temperature: Type.Optional(Type.Number({ minimum: 0, maximum: 2 })),
  },
  { additionalProperties: false },
);

export const FrontMatterSchema = Type.Object(
  {
    id: Type.String({ pattern: '^[a-z0-9]+(?:-[a-z0-9]+)*$' }),
    version: Type.String({ pattern: SEMVER }),
    status: Type.Union([Type.Literal('draft'), Type.Literal('candidate'), Type.Literal('released'), Type.Literal('deprecated')]),
    title: Type.String({ minLength: 1 }),
    created: Type.String({ pattern: DATE }),
    updated: Type.String({ pattern: DATE }),
    /** Where the text came from (a file, a URL, "derived from 1.1.0"). */
    source: Type.String({ minLength: 1 }),
    /** What changed in this version and why, newest first. */
    changelog: Type.Array(Type.String({ minLength: 1 }), { minItems: 1 }),
    generation: GenerationSchema,
    /** How a scenario becomes the user message: `{{name}}` placeholders (see template.ts). */
    userTemplate: Type.String({ minLength: 1 }),
  },
  { additionalProperties: false },
);

export const LockSchema = Type.Object(
  {
    lockfileVersion: Type.Literal(1),
    /** prompt id → version → the sha256 of the released content. */
    prompts: Type.Record(Type.String(), Type.Record(Type.String({ pattern: SEMVER }), Type.Object({ sha256: Type.String({ pattern: '^[0-9a-f]{64}$' }), released: Type.String({ pattern: DATE }) }, { additionalProperties: false }))),
  },
  { additionalProperties: false },
);

export type FrontMatter = Static<typeof FrontMatterSchema>;
export type Generation = Static<typeof GenerationSchema>;
export type Lock = Static<typeof LockSchema>;
