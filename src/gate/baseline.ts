// reports/baseline.json: what the gate compares a candidate run with. It is committed, so it
// holds only what the comparison needs — no documents: the prompt version and its sha256, the
// graders' version and grading policy (so that incomparable scores are refused, not compared),
// and per (model, scenario) every sample's overall score and pass, each grader's results, and the
// response store key of each sample's output — so that `regrade --baseline` can grade the same
// outputs again from the store alone when a grader changes (the run folder is git-ignored and
// gone on a CI runner). It is written with one line per (model, scenario, grader), so a pull
// request that refreshes it shows a readable diff.

import { existsSync } from 'node:fs';
import { Type, type Static } from '@sinclair/typebox';
import type { GradePolicy } from '../../graders/grade.ts';
import { UsageError } from '../errors.ts';
import { readJsonFile, validate } from '../files.ts';
import type { Results } from '../runner/results.ts';

const Samples = Type.Object(
  {
    /** Overall score of each graded sample, in sample order. */
    score: Type.Array(Type.Number({ minimum: 0, maximum: 1 })),
    pass: Type.Array(Type.Boolean()),
    /**
     * The response store key of each sample's output, aligned with `score`. Optional: baselines
     * written before keys were kept still gate; only `regrade --baseline` needs them.
     */
    keys: Type.Optional(Type.Array(Type.Union([Type.String(), Type.Null()]))),
    graders: Type.Record(Type.String(), Type.Object({ pass: Type.Array(Type.Boolean()), score: Type.Array(Type.Number({ minimum: 0, maximum: 1 })) }, { additionalProperties: false })),
  },
  { additionalProperties: false },
);

export const BaselineSchema = Type.Object(
  {
    /** The file format's version. */
    baseline: Type.Literal(1),
    /** The run it was made from. */
    run: Type.String(),
    suite: Type.Object({ file: Type.String(), samples: Type.Integer({ minimum: 1 }) }, { additionalProperties: false }),
    prompt: Type.Object({ id: Type.String(), version: Type.String(), sha256: Type.String() }, { additionalProperties: false }),
    gradersVersion: Type.String(),
    /** How the overall score and pass were computed; another policy gives other scores. */
    gradePolicy: Type.Object({ weights: Type.Record(Type.String(), Type.Number()), hard: Type.Array(Type.String()), passThreshold: Type.Number() }, { additionalProperties: false }),
    models: Type.Array(Type.Object({ id: Type.String(), label: Type.String() }, { additionalProperties: false }), { minItems: 1 }),
    scenarios: Type.Array(Type.String(), { minItems: 1 }),
    /** model id ("provider:model") → scenario id → samples. */
    results: Type.Record(Type.String(), Type.Record(Type.String(), Samples)),
  },
  { additionalProperties: false },
);

export type Baseline = Static<typeof BaselineSchema>;
export type BaselineSamples = Static<typeof Samples>;

export const DEFAULT_BASELINE = 'reports/baseline.json';

export const modelId = (c: { provider: string; model: string }) => `${c.provider}:${c.model}`;

/** The baseline of one prompt version of a run. Throws a UsageError when it has no graded output. */
export function buildBaseline(results: Results, version: string, gradePolicy: GradePolicy): Baseline {
  const cells = results.cells.filter((c) => c.provider !== 'reference' && !c.control && c.version === version && c.score !== null).sort((a, b) => a.sample - b.sample);
  if (!cells.length) throw new UsageError(`run ${results.runId}: no graded output of version ${version} (${describeVersions(results)}); nothing to make a baseline from`);
  const shas = [...new Set(cells.map((c) => c.promptSha256))];
  if (shas.length !== 1 || !shas[0]) throw new UsageError(`run ${results.runId}: version ${version} has ${shas.length} different prompt sha256 values; re-run it`);
  const byModel: Baseline['results'] = {};
  const labels = new Map<string, string>();
  for (const id of [...new Set(cells.map(modelId))].sort()) {
    const mine = cells.filter((c) => modelId(c) === id);
    labels.set(id, mine[0]!.label);
    const byScenario: Record<string, BaselineSamples> = {};
    for (const scenario of [...new Set(mine.map((c) => c.scenario))].sort()) {
      const samples = mine.filter((c) => c.scenario === scenario);
      const graders: BaselineSamples['graders'] = {};
      for (const g of [...new Set(samples.flatMap((c) => Object.keys(c.grades)))].sort()) {
        const graded = samples.map((c) => c.grades[g]).filter((x) => x !== undefined);
        graders[g] = { pass: graded.map((x) => x.pass), score: graded.map((x) => x.score) };
      }
      byScenario[scenario] = { score: samples.map((c) => c.score!), pass: samples.map((c) => c.pass === true), keys: samples.map((c) => c.storeKey), graders };
    }
    byModel[id] = byScenario;
  }
  return {
    baseline: 1,
    run: results.runId,
    suite: { file: results.suite.file, samples: results.suite.samples },
    prompt: { id: results.suite.prompt, version, sha256: shas[0] },
    gradersVersion: results.gradersVersion,
    gradePolicy: { weights: sortKeys(gradePolicy.weights), hard: [...gradePolicy.hard].sort(), passThreshold: gradePolicy.passThreshold },
    models: [...labels].map(([id, label]) => ({ id, label })),
    scenarios: [...results.suite.scenarios].sort(),
    results: byModel,
  };
}

export function describeVersions(results: Results): string {
  const versions = [...new Set(results.cells.filter((c) => c.provider !== 'reference').map((c) => c.version))];
  return versions.length ? `it has ${versions.join(', ')}` : 'it has no model output';
}

export function readBaseline(file: string): Baseline {
  if (!existsSync(file)) throw new UsageError(`${file}: baseline not found; make one with: promptgate baseline update --run <run-id>`);
  // readJsonFile refuses what is not a regular file and caps the size (gate --baseline /dev/zero).
  let data: unknown;
  try {
    data = readJsonFile(file);
  } catch (error) {
    throw new UsageError(`${(error as Error).message}; remake it with: promptgate baseline update`);
  }
  return validate(BaselineSchema, data, file);
}

/** JSON with short objects and arrays of plain values on one line: one diff line per grader. */
export function formatBaseline(baseline: Baseline): string {
  return `${render(baseline, '')}\n`;
}

function render(value: unknown, indent: string): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value);
  const inline = flat(value) ? oneLine(value) : null;
  if (inline !== null && indent.length + inline.length <= 160) return inline;
  const inner = `${indent}  `;
  if (Array.isArray(value)) return value.length ? `[\n${value.map((v) => inner + render(v, inner)).join(',\n')}\n${indent}]` : '[]';
  const entries = Object.entries(value);
  return entries.length ? `{\n${entries.map(([k, v]) => `${inner}${JSON.stringify(k)}: ${render(v, inner)}`).join(',\n')}\n${indent}}` : '{}';
}

/** Plain values, or containers of plain values, at most two levels deep. */
function flat(value: object, depth = 0): boolean {
  return Object.values(value).every((v) => v === null || typeof v !== 'object' || (depth < 1 && flat(v as object, depth + 1)));
}

function oneLine(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value);
  if (Array.isArray(value)) return `[${value.map(oneLine).join(', ')}]`;
  const entries = Object.entries(value);
  return entries.length ? `{ ${entries.map(([k, v]) => `${JSON.stringify(k)}: ${oneLine(v)}`).join(', ')} }` : '{}';
}

function sortKeys<T>(record: Record<string, T>): Record<string, T> {
  return Object.fromEntries(Object.entries(record).sort(([a], [b]) => a.localeCompare(b)));
}
