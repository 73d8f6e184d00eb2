// Multi-turn scenarios end to end: every follow-up is sent with the conversation so far (earlier
// answers from the store), graded against the facts in force at its turn with the revision
// grader, and a re-run pays for nothing. Against the emulators, through the real bin.

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli } from '../testing/cli.ts';
import { evalCli, readResults, runIds, suiteFolder } from '../testing/eval-cli.ts';
import { useEmulators } from '../testing/use-emulators.ts';

const emu = useEmulators();
const SCENARIO = 'logistics-fleet-tracking'; // three turns: as written, no Kafka, relaxed latency
const ANTHROPIC = '  - { provider: anthropic, model: claude-sonnet-5-5, concurrency: 4 }\n  - { provider: openai, model: gpt-5.6-terra, concurrency: 4 }';

const runOf = (out: string) => runIds(out).filter((d) => d !== 'latest');

describe('multi-turn scenarios', () => {
  it('sends each follow-up with the conversation so far, grades every turn, and pays nothing again', async () => {
    const f = suiteFolder({ scenarios: [SCENARIO], models: ANTHROPIC });
    const r = await evalCli(emu, ['--suite', f.suite, '--versions', '1.2.0', '--no-compare']).done;
    expect(r.code, r.stderr).toBe(0);
    // 1 version × 3 turns × 2 models × 1 sample
    expect(emu.requests).toHaveLength(6);
    const byTurn = (n: number) => emu.requests.filter((q) => (q.vendor === 'anthropic' ? (q.body.messages as unknown[]).length : Array.isArray(q.body.input) ? (q.body.input as unknown[]).length : 1) === 2 * n - 1);
    expect(byTurn(1)).toHaveLength(2);
    expect(byTurn(2)).toHaveLength(2);
    expect(byTurn(3)).toHaveLength(2);
    // Turn 3 of Claude's conversation: u1, its answer to u1, u2, its answer to u2, u3.
    const claude3 = byTurn(3).find((q) => q.vendor === 'anthropic')!;
    const messages = claude3.body.messages as Array<{ role: string; content: string }>;
    expect(messages.map((m) => m.role)).toEqual(['user', 'assistant', 'user', 'assistant', 'user']);
    expect(messages[2]!.content).toMatch(/has ever run Kafka/);
    expect(messages[4]!.content).toMatch(/relax to 15 minutes/);
    const claude1 = byTurn(1).find((q) => q.vendor === 'anthropic')!;
    expect(messages[0]!.content).toBe((claude1.body.messages as Array<{ content: string }>)[0]!.content);

    const [id] = runOf(f.out);
    const results = readResults(f.out, id!);
    const scenarios = [...new Set(results.cells.map((c) => c.scenario))].sort();
    expect(scenarios).toEqual([SCENARIO, `${SCENARIO}@t2`, `${SCENARIO}@t3`]);
    for (const c of results.cells) {
      expect(c.status, c.id).toBe('ok');
      // The revision grader reads later turns only.
      expect(Object.keys(c.grades!).includes('revision'), c.id).toBe(c.scenario !== SCENARIO);
    }
    const t2 = results.cells.find((c) => c.scenario === `${SCENARIO}@t2`)!;
    expect(t2.grades!.revision!.reason).toMatch(/turn 2 \(no Kafka/);

    const again = await evalCli(emu, ['--suite', f.suite, '--versions', '1.2.0', '--no-compare']).done;
    expect(again.code, again.stderr).toBe(0);
    expect(emu.requests).toHaveLength(6);
    const second = readResults(f.out, runOf(f.out).at(-1)!);
    expect(second.cells.every((c) => c.cached)).toBe(true);
    const scores = (r: typeof results) => Object.fromEntries(r.cells.map((c) => [c.id, c.score]));
    expect(scores(second)).toEqual(scores(results));

    // regrade grades every turn as eval did (a later turn with the answer it revises), no model called.
    const regraded = await cli(['regrade', join(f.out, id!), '--json']);
    expect(regraded.code, regraded.stderr).toBe(0);
    const third = readResults(f.out, JSON.parse(regraded.stdout).run);
    const verdicts = (r: typeof results) => Object.fromEntries(r.cells.filter((c) => c.grades?.revision).map((c) => [c.id, c.grades!.revision!.reason]));
    expect(verdicts(third)).toEqual(verdicts(results));
    expect(scores(third)).toEqual(scores(results));
    expect(emu.requests).toHaveLength(6);
    // The reports show each turn as its own scenario row.
    expect(readFileSync(join(f.out, id!, 'report.md'), 'utf8')).toContain(`${SCENARIO}@t3`);
  });

  it('does not send a follow-up whose earlier turn failed, and says why', async () => {
    const f = suiteFolder({ scenarios: [SCENARIO], models: '  - { provider: openai, model: gpt-5.6-terra, concurrency: 2 }' });
    // The first turn is refused by the API (a 400 is never retried).
    emu.respond = (q) => (typeof q.body.input === 'string' ? { status: 400, message: 'bad request for the first turn' } : undefined);
    const r = await evalCli(emu, ['--suite', f.suite, '--versions', '1.2.0', '--no-compare']).done;
    expect(r.code).toBe(1); // every cell of the model failed
    const results = readResults(f.out, runOf(f.out)[0]!);
    const t2 = results.cells.find((c) => c.scenario === `${SCENARIO}@t2`)!;
    expect(t2.status).toBe('error');
    expect(t2.error).toMatch(/turn 1 of the conversation has no answer/);
    expect(emu.requests.filter((q) => Array.isArray(q.body.input))).toHaveLength(0);
  });
});
