// Multi-turn scenarios: what is in force at each turn. Turn 1 is the scenario as written; turn k
// adds follow-up k−1's message, and its facts and expectations replace the earlier ones field by
// field. Each later turn is graded as a scenario of its own — `<id>@t<k>` — so that results,
// reports, baselines and the gate compare a turn with the same turn, with no special case.

import type { FollowUpTurn, NamedTerm, Scenario } from './schema.ts';

/** What a later turn asks of the answer beyond the facts (graders/revision.ts reads it). */
export interface Revision {
  turn: number;
  /** The follow-up's message and its summary. */
  message: string;
  change: string;
  mustMention: NamedTerm[];
  mustDrop: NamedTerm[];
  /** The answer of the turn before, filled in when it is known (at grading time). */
  previous?: string;
}

/** A scenario as graded at one turn: its facts in force, and for later turns what changed. */
export type TurnScenario = Scenario & { turn?: number; baseId?: string; revision?: Revision };

const TURN = /^(.+)@t(\d+)$/;

export const turnCount = (s: Scenario) => 1 + (s.followUps?.length ?? 0);

export function turnId(id: string, turn: number): string {
  return turn === 1 ? id : `${id}@t${turn}`;
}

/** "ecommerce-hybrid@t2" → { id: "ecommerce-hybrid", turn: 2 }; a plain id is turn 1. */
export function parseTurnId(id: string): { id: string; turn: number } {
  const m = TURN.exec(id);
  return m ? { id: m[1]!, turn: Number(m[2]) } : { id, turn: 1 };
}

/** The scenario as it stands at `turn` (1-based). */
export function atTurn(s: Scenario, turn: number): TurnScenario {
  if (turn === 1) return s;
  const ups = s.followUps ?? [];
  if (turn < 1 || turn > ups.length + 1) throw new RangeError(`${s.id} has ${ups.length + 1} turn(s), not ${turn}`);
  let facts = s.facts;
  let expectations = s.expectations;
  for (const up of ups.slice(0, turn - 1)) {
    facts = { ...facts, ...(up.facts as Partial<Scenario['facts']>) };
    expectations = { ...expectations, ...(up.expectations as Partial<Scenario['expectations']>) };
  }
  const up: FollowUpTurn = ups[turn - 2]!;
  return {
    ...s,
    id: turnId(s.id, turn),
    title: `${s.title} — turn ${turn}: ${up.change}`,
    facts,
    expectations,
    turn,
    baseId: s.id,
    revision: { turn, message: up.message, change: up.change, mustMention: up.mustMention ?? [], mustDrop: up.mustDrop ?? [] },
  };
}

/** The user messages of the conversation up to `turn`, in order. */
export function userMessages(s: Scenario, turn: number): string[] {
  return [s.message, ...(s.followUps ?? []).slice(0, turn - 1).map((u) => u.message)];
}

/** Every turn of every scenario, as graded: turn 1 under its own id, later turns as <id>@t<k>. */
export function allTurns(scenarios: readonly Scenario[]): TurnScenario[] {
  return scenarios.flatMap((s) => Array.from({ length: turnCount(s) }, (_, i) => atTurn(s, i + 1)));
}

/** Every turn of every scenario by the id its cells carry (`<id>`, `<id>@t2`…). */
export function turnScenarios(scenarios: readonly Scenario[]): Map<string, Scenario> {
  return new Map(allTurns(scenarios).map((s) => [s.id, s as Scenario]));
}

/** The id of the turn before `scenarioId` ("x@t3" → "x@t2", "x@t2" → "x"), null for a first turn. */
export function previousTurnId(scenarioId: string): string | null {
  const { id, turn } = parseTurnId(scenarioId);
  return turn > 1 ? turnId(id, turn - 1) : null;
}

/**
 * A later turn's scenario with the answer it revises (graders/revision.ts compares the two); the
 * scenario as it is for a first turn or when that answer is not known.
 */
export function withPrevious(s: Scenario | null, previous: string | undefined): Scenario | null {
  const revision = (s as TurnScenario | null)?.revision;
  if (!s || !revision || previous === undefined) return s;
  return { ...s, revision: { ...revision, previous } } as TurnScenario;
}

/** A cell id with its scenario part swapped for the turn before (cells are version|scenario|model|sample…). */
export function previousTurnCell(cellId: string): string | null {
  const parts = cellId.split('|');
  const before = parts.length >= 4 ? previousTurnId(parts[1]!) : null;
  return before === null ? null : [parts[0], before, ...parts.slice(2)].join('|');
}
