// Batch mode end to end: the real CLI in a child process, the real SDKs' batch methods, both
// emulated batch APIs (src/testing/batch-api.ts), which count every request submitted — so
// "nothing submitted twice" is checked by the server, not assumed by the client.

import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { evalCli, hasStackTrace, readResults, runIds, suiteFolder, waitFor, type SuiteFolder } from '../testing/eval-cli.ts';
import { useEmulators } from '../testing/use-emulators.ts';

const emu = useEmulators();
const FAST = { PROMPTGATE_BATCH_POLL_MS: '5' };
// 2 versions × 2 scenarios × 2 models × 1 sample.
const CELLS = 8;

const batchLines = (f: SuiteFolder, id: string) =>
  readFileSync(join(f.out, id, 'batches.jsonl'), 'utf8')
    .split('\n')
    .filter((l) => l.trim())
    .map((l) => JSON.parse(l) as Record<string, unknown>);
const openBatches = (f: SuiteFolder) => (existsSync(join(f.store, 'batches')) ? readdirSync(join(f.store, 'batches')).filter((n) => n.endsWith('.json')) : []);
const submittedTwice = () => [...emu.batches.submissions.values()].filter((n) => n > 1).length;

describe('eval in batch mode', () => {
  it('answers every cell through both batch APIs at half the live price, with the same grades as a live run', async () => {
    const live = suiteFolder();
    const l = await evalCli(emu, ['--suite', live.suite, '--no-compare']).done;
    expect(l.code, l.stderr).toBe(0);
    expect(emu.requests).toHaveLength(CELLS);
    emu.reset();

    const f = suiteFolder({ extra: 'mode: batch' });
    emu.batches.script = { delayMs: 30 };
    const b = await evalCli(emu, ['--suite', f.suite, '--no-compare'], FAST).done;
    expect(b.code, b.stderr).toBe(0);
    expect(hasStackTrace(b.stderr)).toBe(false);
    // Nothing live: one batch per model, every cell in one of them, once.
    expect(emu.requests).toHaveLength(0);
    expect(emu.batches.counts).toMatchObject({ batches: 2, requests: CELLS, uploads: 1 });
    expect(submittedTwice()).toBe(0);
    expect(b.stderr).toMatch(/submitted batch msgbatch_emu_\w+ \(anthropic:claude-sonnet-5-5, 4 requests\)/);
    expect(b.stderr).toMatch(/batch batch_emu_\w+ \(openai:gpt-5\.6-terra\): completed · 4 succeeded, 0 failed/);
    expect(b.stderr).toMatch(/batch msgbatch_emu_\w+ \(anthropic:claude-sonnet-5-5\): ended · 4 succeeded, 0 failed/);

    const [liveId] = runIds(live.out);
    const [batchId] = runIds(f.out);
    const lr = readResults(live.out, liveId!);
    const br = readResults(f.out, batchId!);
    expect(br.status).toBe('complete');
    expect(br.totals).toMatchObject({ planned: CELLS, finished: CELLS, errors: 0, cached: 0 });
    const byId = new Map(lr.cells.map((c) => [c.id, c]));
    for (const c of br.cells) {
      const twin = byId.get(c.id)!;
      expect([c.score, c.pass, c.status, c.storeKey]).toEqual([twin.score, twin.pass, twin.status, twin.storeKey]);
    }
    // In total: which cell wrote the prompt cache and which read it may differ, the sum does not.
    expect(br.totals.costUsd).toBeCloseTo(lr.totals.costUsd * 0.5, 5);
    expect(br.totals.costUsd).toBeGreaterThan(0);
    // The same reports as a live run, and no batch left open.
    for (const file of ['report.md', 'report.html', 'junit.xml']) expect(existsSync(join(f.out, batchId!, file))).toBe(true);
    expect(openBatches(f)).toEqual([]);

    // A batch answer serves a later live run from the store (same keys): nothing requested.
    const again = await evalCli(emu, ['--suite', f.suite, '--no-compare']).done;
    expect(again.code, again.stderr).toBe(0);
    expect(emu.requests).toHaveLength(0);
    expect(readResults(f.out, runIds(f.out).at(-1)!).totals.cached).toBe(CELLS);
  }, 90_000);

  it('a kill between submit and results, then --resume: polls the same batches, submits nothing twice', async () => {
    const f = suiteFolder();
    emu.batches.script = { hold: true };
    const run = evalCli(emu, ['--suite', f.suite, '--batch', '--no-compare'], FAST);
    await waitFor(() => emu.batches.counts.batches === 2 && openBatches(f).length === 2);
    await waitFor(() => emu.batches.counts.polls >= 2);
    run.child.kill('SIGKILL');
    await run.done;
    const [id] = runIds(f.out);
    expect(existsSync(join(f.out, id!, 'results.json'))).toBe(false);
    expect(batchLines(f, id!).filter((l) => l.type === 'submitted')).toHaveLength(2);

    emu.batches.script = { delayMs: 20 };
    const resumed = await evalCli(emu, ['--resume', id!, '--out', f.out, '--no-compare'], FAST).done;
    expect(resumed.code, resumed.stderr).toBe(0);
    expect(resumed.stderr).toMatch(/was submitted earlier by this run: polling it, not submitting again/);
    expect(emu.batches.counts).toMatchObject({ batches: 2, requests: CELLS });
    expect(submittedTwice()).toBe(0);
    expect(emu.requests).toHaveLength(0);
    const r = readResults(f.out, id!);
    expect(r.status).toBe('complete');
    expect(r.totals).toMatchObject({ finished: CELLS, errors: 0, cached: 0 });
    // Paid by this run, at the batch price (--batch was kept in run.json for the resume).
    expect(r.totals.costUsd).toBeGreaterThan(0);
    expect(openBatches(f)).toEqual([]);
  }, 90_000);

  it('Ctrl-C leaves the batches running and says how to collect or cancel them; the next eval of the suite collects them', async () => {
    const f = suiteFolder({ extra: 'mode: batch' });
    emu.batches.script = { hold: true };
    const run = evalCli(emu, ['--suite', f.suite, '--no-compare'], FAST);
    await waitFor(() => emu.batches.counts.polls >= 2);
    run.child.kill('SIGINT');
    const stopped = await run.done;
    expect(stopped.code).toBe(130);
    const [id] = runIds(f.out);
    expect(stopped.stderr).toMatch(/2 batches are left running at the provider \(msgbatch_emu_\w+, batch_emu_\w+\); nothing is submitted again/);
    expect(stopped.stderr).toContain(`cancel them:         promptgate eval --resume ${id} --out ${f.out} --cancel-batches`);
    expect(emu.batches.counts.cancels).toBe(0);
    expect(openBatches(f)).toHaveLength(2);

    // A second eval of the same suite (a new run) polls them instead of submitting again.
    emu.batches.script = {};
    const second = await evalCli(emu, ['--suite', f.suite, '--no-compare'], FAST).done;
    expect(second.code, second.stderr).toBe(0);
    expect(second.stderr).toContain(`by run ${id}: polling it, not submitting again`);
    expect(emu.batches.counts.batches).toBe(2);
    expect(submittedTwice()).toBe(0);
    expect(readResults(f.out, runIds(f.out).at(-1)!).totals).toMatchObject({ finished: CELLS, errors: 0 });
  }, 90_000);

  it('--cancel-batches cancels a run\'s open batches, stores what they had finished; the resume submits only the rest', async () => {
    const f = suiteFolder({ extra: 'mode: batch' });
    emu.batches.script = { hold: true };
    const run = evalCli(emu, ['--suite', f.suite, '--no-compare'], FAST);
    await waitFor(() => emu.batches.counts.polls >= 2);
    run.child.kill('SIGKILL');
    await run.done;
    const [id] = runIds(f.out);
    // The Anthropic batch had answered its requests by the time the cancel arrived; OpenAI's none.
    emu.batches.script = { hold: true, doneBeforeCancel: (item) => item.vendor === 'anthropic' };
    const cancel = await evalCli(emu, ['--resume', id!, '--out', f.out, '--cancel-batches'], FAST).done;
    expect(cancel.code, cancel.stderr).toBe(0);
    expect(emu.batches.counts.cancels).toBe(2);
    expect(cancel.stderr).toMatch(/2 batch\(es\) canceled; 4 answers they had finished are in the store/);
    expect(openBatches(f)).toEqual([]);
    expect(batchLines(f, id!).filter((l) => l.type === 'failed' && l.failure === 'canceled')).toHaveLength(CELLS / 2);

    emu.batches.script = {};
    const resumed = await evalCli(emu, ['--resume', id!, '--out', f.out, '--no-compare'], FAST).done;
    expect(resumed.code, resumed.stderr).toBe(0);
    // Only OpenAI's canceled requests go out again, in one new batch; nothing is asked twice.
    expect(emu.batches.counts).toMatchObject({ batches: 3, requests: CELLS + CELLS / 2 });
    expect(emu.requests).toHaveLength(0);
    const r = readResults(f.out, id!);
    expect(r.totals).toMatchObject({ finished: CELLS, errors: 0, cached: 0 });
  }, 90_000);

  it('requests that fail or expire inside a batch are recorded with their reason and asked for live (retry: live)', async () => {
    const f = suiteFolder({ extra: 'mode: batch' });
    let n = 0;
    emu.batches.script = { outcome: (item) => (item.vendor === 'anthropic' && n++ < 2 ? (n === 1 ? { error: 'scripted overload', status: 529 } : { expired: true }) : undefined) };
    const b = await evalCli(emu, ['--suite', f.suite, '--no-compare'], FAST).done;
    expect(b.code, b.stderr).toBe(0);
    expect(b.stderr).toContain('2 requests got no answer from their batch; asking for them live:');
    expect(b.stderr).toContain('1 × errored: overloaded_error: scripted overload');
    expect(b.stderr).toMatch(/1 × expired: expired before it ran/);
    expect(emu.requests).toHaveLength(2);
    const [id] = runIds(f.out);
    const failed = batchLines(f, id!).filter((l) => l.type === 'failed');
    expect(failed.map((l) => l.failure).sort()).toEqual(['errored', 'expired']);
    const r = readResults(f.out, id!);
    expect(r.totals).toMatchObject({ finished: CELLS, errors: 0 });
    const failedKeys = new Set(failed.map((l) => l.key));
    expect(r.cells.filter((c) => c.storeKey && failedKeys.has(c.storeKey) && c.status === 'ok')).toHaveLength(2);
  }, 90_000);

  it('retry: batch sends the failed requests in a new batch; a whole expired batch goes live by default', async () => {
    const f = suiteFolder({ extra: 'mode: batch\nbatch: { retry: batch }' });
    emu.batches.script = { outcome: (item) => (item.vendor === 'openai' && item.attempt === 0 ? { error: 'scripted failure', status: 500 } : undefined) };
    const b = await evalCli(emu, ['--suite', f.suite, '--no-compare'], FAST).done;
    expect(b.code, b.stderr).toBe(0);
    expect(b.stderr).toContain('4 requests failed inside a batch: submitting them in a new batch');
    expect(emu.batches.counts.batches).toBe(3);
    expect(emu.requests).toHaveLength(0);
    expect(readResults(f.out, runIds(f.out)[0]!).totals).toMatchObject({ finished: CELLS, errors: 0 });

    emu.reset();
    const g = suiteFolder({ extra: 'mode: batch' });
    emu.batches.script = { expire: true };
    const e = await evalCli(emu, ['--suite', g.suite, '--no-compare'], FAST).done;
    expect(e.code, e.stderr).toBe(0);
    expect(e.stderr).toMatch(/batch batch_emu_\w+ \(openai:gpt-5\.6-terra\): expired · 0 succeeded, 4 failed/);
    expect(emu.requests).toHaveLength(CELLS);
    expect(readResults(g.out, runIds(g.out)[0]!).totals).toMatchObject({ finished: CELLS, errors: 0 });
  }, 90_000);

  it('splits what exceeds a batch\'s request limit into several batches', async () => {
    const f = suiteFolder({ samples: 2, extra: 'mode: batch\nbatch: { maxRequests: 3 }' });
    const b = await evalCli(emu, ['--suite', f.suite, '--no-compare'], FAST).done;
    expect(b.code, b.stderr).toBe(0);
    // 8 requests per model in batches of at most 3: 3 + 3 + 2, for each model.
    expect(emu.batches.counts).toMatchObject({ batches: 6, requests: 16 });
    expect(submittedTwice()).toBe(0);
  }, 90_000);

  it('the dry run shows the live and the batch price', async () => {
    const f = suiteFolder();
    const d = await evalCli(emu, ['--suite', f.suite, '--batch', '--dry-run']).done;
    expect(d.code, d.stderr).toBe(0);
    expect(d.stdout).toMatch(/USD \(max\)\s+batch USD \(max\)/);
    const row = d.stdout.split('\n').find((l) => l.includes('claude-sonnet-5-5'))!;
    expect(row).toMatch(/batch/);
    const [liveUsd, batchUsd] = [...row.matchAll(/≤\$(\d+\.\d\d)/g)].map((m) => Number(m[1]));
    expect(batchUsd).toBeCloseTo(liveUsd! / 2, 1);
    expect(emu.batches.counts.batches).toBe(0);
  }, 90_000);
});
