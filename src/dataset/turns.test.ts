// What is in force at each turn of a multi-turn scenario, on the shipped scenarios.

import { describe, expect, it } from 'vitest';
import { loadScenarios } from './load.ts';
import { allTurns, atTurn, parseTurnId, previousTurnCell, previousTurnId, turnCount, turnId, userMessages, withPrevious } from './turns.ts';

const { scenarios } = loadScenarios();
const byId = (id: string) => scenarios.find((s) => s.id === id)!;

describe('multi-turn scenarios', () => {
  it('ships at least four, one with two follow-ups, all tagged multi-turn', () => {
    const multi = scenarios.filter((s) => turnCount(s) > 1);
    expect(multi.length).toBeGreaterThanOrEqual(4);
    expect(multi.some((s) => turnCount(s) >= 3)).toBe(true);
    for (const s of multi) expect(s.tags, s.id).toContain('multi-turn');
  });

  it('turn 1 is the scenario as written; later turns carry the change and the facts in force', () => {
    const s = byId('logistics-fleet-tracking');
    expect(atTurn(s, 1)).toBe(s);
    const t2 = atTurn(s, 2);
    expect(t2.id).toBe('logistics-fleet-tracking@t2');
    expect(t2.facts.team?.notes).toMatch(/never run Kafka/);
    expect(t2.facts.latency).toEqual(s.facts.latency); // not changed yet
    expect(t2.revision).toMatchObject({ turn: 2, change: expect.stringMatching(/Kafka/), mustDrop: [expect.objectContaining({ name: 'Kafka' })] });
    const t3 = atTurn(s, 3);
    expect(t3.facts.latency.map((l) => l.seconds)).toEqual([300, 900]);
    expect(t3.facts.team?.notes).toMatch(/never run Kafka/); // turn 2's change stays in force
    expect(t3.facts.sources).toEqual(s.facts.sources);
    expect(t3.revision?.mustDrop).toEqual([]);
    expect(() => atTurn(s, 4)).toThrow(RangeError);
  });

  it('names turns so that a turn is compared with the same turn', () => {
    expect(turnId('x', 1)).toBe('x');
    expect(turnId('x', 3)).toBe('x@t3');
    expect(parseTurnId('media-qoe-streaming@t2')).toEqual({ id: 'media-qoe-streaming', turn: 2 });
    expect(parseTurnId('media-qoe-streaming')).toEqual({ id: 'media-qoe-streaming', turn: 1 });
    const ids = allTurns(scenarios).map((t) => t.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids.length).toBe(scenarios.reduce((n, s) => n + turnCount(s), 0));
  });

  it("gives the conversation's user messages in order", () => {
    const s = byId('logistics-fleet-tracking');
    const m = userMessages(s, 3);
    expect(m).toHaveLength(3);
    expect(m[0]).toBe(s.message);
    expect(m[2]).toMatch(/relax to 15 minutes/);
  });
});

describe('the turn before', () => {
  it('names the previous turn of a scenario and of a cell, and none for a first turn', () => {
    expect(previousTurnId('x@t3')).toBe('x@t2');
    expect(previousTurnId('x@t2')).toBe('x');
    expect(previousTurnId('x')).toBeNull();
    expect(previousTurnCell('1.2.0|x@t2|anthropic:m|1|control')).toBe('1.2.0|x|anthropic:m|1|control');
    expect(previousTurnCell('1.2.0|x|anthropic:m|1')).toBeNull();
  });

  it('adds the previous answer to a later turn only', () => {
    const s = byId('media-qoe-streaming');
    expect(withPrevious(s, 'old answer')).toBe(s);
    const t2 = withPrevious(atTurn(s, 2), 'old answer') as ReturnType<typeof atTurn>;
    expect(t2.revision?.previous).toBe('old answer');
    expect(atTurn(s, 2).revision?.previous).toBeUndefined(); // not mutated
  });
});
