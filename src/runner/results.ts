// results.json: everything a run produced, per cell and aggregated. The schema is the contract
// for reports, the gate and CI; the types are derived from it and ajv checks it in tests.

import { Type, type Static } from '@sinclair/typebox';

// `unreported`: the provider sent no token counts (the counts are 0 and costUsd is null).
const UsageSchema = Type.Object({ input: Type.Integer({ minimum: 0 }), output: Type.Integer({ minimum: 0 }), cacheRead: Type.Integer({ minimum: 0 }), cacheWrite: Type.Integer({ minimum: 0 }), unreported: Type.Optional(Type.Literal(true)) }, { additionalProperties: false });

export const CellResultSchema = Type.Object(
  {
    id: Type.String(),
    promptId: Type.String(),
    /** A semver, or "reference" for a hand-written reference answer. */
    version: Type.String(),
    promptSha256: Type.Union([Type.String(), Type.Null()]),
    scenario: Type.String(),
    provider: Type.Union(['anthropic', 'openai', 'openai-compatible', 'reference'].map((p) => Type.Literal(p))),
    model: Type.String(),
    label: Type.String(),
    sample: Type.Integer({ minimum: 0 }),
    status: Type.Union([Type.Literal('ok'), Type.Literal('truncated'), Type.Literal('refused'), Type.Literal('error')]),
    /** Why the cell failed (status error), after retries. */
    error: Type.Optional(Type.String()),
    stopReason: Type.Union([Type.String(), Type.Null()]),
    usage: UsageSchema,
    /** null when the model's price is unknown; never a made-up 0. */
    costUsd: Type.Union([Type.Number({ minimum: 0 }), Type.Null()]),
    latencyMs: Type.Union([Type.Number({ minimum: 0 }), Type.Null()]),
    storeKey: Type.Union([Type.String(), Type.Null()]),
    /** Served from the response store, not paid for in this run. */
    cached: Type.Boolean(),
    /** A same-day control cell: the baseline's version sampled fresh for the gate (eval --control). */
    control: Type.Optional(Type.Boolean()),
    score: Type.Union([Type.Number({ minimum: 0, maximum: 1 }), Type.Null()]),
    pass: Type.Union([Type.Boolean(), Type.Null()]),
    grades: Type.Record(Type.String(), Type.Object({ pass: Type.Boolean(), score: Type.Number({ minimum: 0, maximum: 1 }), reason: Type.String() }, { additionalProperties: false })),
    finishedAt: Type.String(),
  },
  { additionalProperties: false },
);

const Aggregate = Type.Object(
  {
    cells: Type.Integer({ minimum: 0 }),
    graded: Type.Integer({ minimum: 0 }),
    errors: Type.Integer({ minimum: 0 }),
    meanScore: Type.Union([Type.Number(), Type.Null()]),
    passRate: Type.Union([Type.Number(), Type.Null()]),
    costUsd: Type.Union([Type.Number(), Type.Null()]),
    p50LatencyMs: Type.Union([Type.Number(), Type.Null()]),
  },
  { additionalProperties: false },
);

export const ResultsSchema = Type.Object(
  {
    runId: Type.String(),
    status: Type.Union([Type.Literal('complete'), Type.Literal('interrupted'), Type.Literal('budget-reached'), Type.Literal('incomplete')]),
    suite: Type.Object({ file: Type.String(), description: Type.Optional(Type.String()), prompt: Type.String(), samples: Type.Integer(), models: Type.Array(Type.String()), versions: Type.Array(Type.String()), scenarios: Type.Array(Type.String()) }, { additionalProperties: false }),
    gradersVersion: Type.String(),
    startedAt: Type.String(),
    finishedAt: Type.String(),
    totals: Type.Object(
      {
        planned: Type.Integer({ minimum: 0 }),
        finished: Type.Integer({ minimum: 0 }),
        pending: Type.Integer({ minimum: 0 }),
        ok: Type.Integer({ minimum: 0 }),
        truncated: Type.Integer({ minimum: 0 }),
        refused: Type.Integer({ minimum: 0 }),
        errors: Type.Integer({ minimum: 0 }),
        cached: Type.Integer({ minimum: 0 }),
        costUsd: Type.Number({ minimum: 0 }),
        /** Cells whose cost is unknown (no price for the model). */
        unpricedCells: Type.Integer({ minimum: 0 }),
      },
      { additionalProperties: false },
    ),
    cells: Type.Array(CellResultSchema),
    /** By version × model: the table people read first. */
    summary: Type.Array(Type.Composite([Type.Object({ version: Type.String(), model: Type.String(), label: Type.String() }), Aggregate])),
    aggregates: Type.Object(
      {
        byVersion: Type.Record(Type.String(), Aggregate),
        byModel: Type.Record(Type.String(), Aggregate),
        byScenario: Type.Record(Type.String(), Aggregate),
        byGrader: Type.Record(Type.String(), Type.Object({ graded: Type.Integer(), passRate: Type.Union([Type.Number(), Type.Null()]), meanScore: Type.Union([Type.Number(), Type.Null()]) }, { additionalProperties: false })),
      },
      { additionalProperties: false },
    ),
  },
  { additionalProperties: false },
);

export type CellResult = Static<typeof CellResultSchema>;
export type Results = Static<typeof ResultsSchema>;
export type AggregateRow = Static<typeof Aggregate>;

/**
 * The cell counts of results.json's totals. They count the model's cells only: the hand-written
 * references are graded beside them but were never planned, so counting them in `ok` (as before)
 * made `ok` exceed `finished` and every "x of y" in a summary wrong. finished = ok + truncated +
 * refused + errors, always. A refusal is `refused` whatever text came with it (a partial answer
 * that the model or the service cut off as a refusal is not an `ok` document).
 */
export function cellCounts(cells: CellResult[]): Pick<Results['totals'], 'finished' | 'ok' | 'truncated' | 'refused' | 'errors' | 'cached'> {
  const model = cells.filter((c) => c.provider !== 'reference');
  const count = (s: CellResult['status']) => model.filter((c) => c.status === s).length;
  return { finished: model.length, ok: count('ok'), truncated: count('truncated'), refused: count('refused'), errors: count('error'), cached: model.filter((c) => c.cached).length };
}

export function aggregate(cells: CellResult[]): AggregateRow {
  const graded = cells.filter((c) => c.score !== null);
  const latencies = cells.filter((c) => c.latencyMs !== null && !c.cached).map((c) => c.latencyMs!).sort((a, b) => a - b);
  const priced = cells.every((c) => c.costUsd !== null || c.status === 'error');
  return {
    cells: cells.length,
    graded: graded.length,
    errors: cells.filter((c) => c.status === 'error').length,
    meanScore: graded.length ? round(graded.reduce((s, c) => s + c.score!, 0) / graded.length) : null,
    passRate: graded.length ? round(graded.filter((c) => c.pass).length / graded.length) : null,
    costUsd: priced ? round(cells.reduce((s, c) => s + (c.costUsd ?? 0), 0), 6) : null,
    p50LatencyMs: latencies.length ? latencies[Math.floor((latencies.length - 1) / 2)]! : null,
  };
}

/**
 * The version a cell is reported under: same-day control cells (eval --control) are the
 * baseline's version sampled fresh, kept apart from that version's ordinary cells so that every
 * table and comparison shows them as their own row ("1.1.0 (control)", sorted right after it).
 */
const CONTROL_SUFFIX = ' (control)';
export const versionKey = (c: Pick<CellResult, 'version' | 'control'>) => (c.control ? `${c.version}${CONTROL_SUFFIX}` : c.version);
export const promptVersionOf = (reported: string) => (reported.endsWith(CONTROL_SUFFIX) ? reported.slice(0, -CONTROL_SUFFIX.length) : reported);

export function buildAggregates(cells: CellResult[]): Pick<Results, 'summary' | 'aggregates'> {
  const group = (key: (c: CellResult) => string) => {
    const map = new Map<string, CellResult[]>();
    for (const c of cells) {
      const k = key(c);
      const list = map.get(k);
      if (list) list.push(c);
      else map.set(k, [c]);
    }
    return map;
  };
  const summary = [...group((c) => `${versionKey(c)}\u0000${c.provider}:${c.model}`)]
    .map(([k, cs]) => ({ version: k.split('\u0000')[0]!, model: k.split('\u0000')[1]!, label: cs[0]!.label, ...aggregate(cs) }))
    // Versions in order (numerically: 1.10.0 after 1.9.0), the references last; models by name.
    .sort((a, b) => versionOrder(a.version, b.version) || a.label.localeCompare(b.label));
  const byGrader: Results['aggregates']['byGrader'] = {};
  for (const c of cells) {
    for (const [id, g] of Object.entries(c.grades)) {
      const row = (byGrader[id] ??= { graded: 0, passRate: 0, meanScore: 0 });
      row.passRate! += g.pass ? 1 : 0;
      row.meanScore! += g.score;
      row.graded++;
    }
  }
  for (const row of Object.values(byGrader)) {
    row.passRate = round(row.passRate! / row.graded);
    row.meanScore = round(row.meanScore! / row.graded);
  }
  const rec = (m: Map<string, CellResult[]>) => Object.fromEntries([...m].map(([k, cs]) => [k, aggregate(cs)]));
  return {
    summary,
    aggregates: { byVersion: rec(group(versionKey)), byModel: rec(group((c) => `${c.provider}:${c.model}`)), byScenario: rec(group((c) => c.scenario)), byGrader },
  };
}

function versionOrder(a: string, b: string): number {
  if (a === b) return 0;
  if (a === 'reference' || b === 'reference') return a === 'reference' ? 1 : -1;
  return a.localeCompare(b, 'en', { numeric: true });
}

function round(x: number, digits = 4): number {
  const f = 10 ** digits;
  return Math.round(x * f) / f;
}
