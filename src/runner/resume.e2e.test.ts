// Faults around resuming, signals and streams, through the CLI against the emulators: the spend
// cap over several invocations, a runs folder moved before --resume, SIGTERM, Ctrl-C during a
// long retry-after, a stream that stalls or resets mid-answer, damaged journal lines, a store
// entry or a cached grade changed on disk, `reports/latest` as a real folder, and two runs
// sharing --out. Each asserts the exit code, the one line, no stack trace, nothing paid twice
// and nothing lost.

import { existsSync, mkdirSync, readFileSync, readlinkSync, renameSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { evalCli, hasStackTrace, journalLines, lastLine, readResults, runIds, suiteFolder, waitFor, walk } from '../testing/eval-cli.ts';
import { useEmulators } from '../testing/use-emulators.ts';

const emu = useEmulators({ latencyMs: 40 });

const noTrace = (r: { stderr: string }) => expect(hasStackTrace(r.stderr), r.stderr).toBe(false);
const paidInJournal = (out: string, id: string) => journalLines(out, id).reduce((s, l) => s + (l.cached ? 0 : (l.costUsd as number)), 0);

describe('resuming', () => {
  it('holds the spend cap across resumes, and results.json counts every invocation', async () => {
    const f = suiteFolder({ samples: 2 });
    // Long answers, billed near their worst case (~$0.08–0.10 a cell), so the cap bites for real.
    emu.respond = () => ({ text: '# Doc\n\nlong', usage: { output: 8000 } });
    const first = await evalCli(emu, ['--suite', f.suite, '--max-cost', '0.25']).done;
    expect(first.code, first.stderr).toBe(0);
    const [id] = runIds(f.out);
    expect(readResults(f.out, id!).status).toBe('budget-reached');
    const afterFirst = paidInJournal(f.out, id!);
    expect(afterFirst).toBeGreaterThan(0.1);
    for (let i = 0; i < 3; i++) {
      const again = await evalCli(emu, ['--resume', id!, '--out', f.out]).done;
      expect(again.code, again.stderr).toBe(0);
      expect(again.stderr).toContain(`already done, $${afterFirst.toFixed(2)} spent so far)`);
      expect(again.stderr).toMatch(/■ spend cap \$0\.25 reached \(\$0\.\d\d spent\)/);
      noTrace(again);
    }
    const results = readResults(f.out, id!);
    const paid = paidInJournal(f.out, id!);
    expect(paid).toBeLessThanOrEqual(0.25);
    expect(results.totals.costUsd).toBeCloseTo(paid, 6);
    expect(results.status).toBe('budget-reached');
    // Only the first invocation had room under the cap.
    expect(paid).toBeCloseTo(afterFirst, 6);
  }, 90_000);

  it('uses a moved runs folder as it is now: no cell asked for again, nothing written to the old path, hints with --out', async () => {
    const f = suiteFolder({ samples: 2 });
    emu.respond = () => ({ text: '# Doc\n\nshort', delayMs: 150 });
    const run = evalCli(emu, ['--suite', f.suite]);
    await waitFor(() => emu.requests.length >= 5);
    run.child.kill('SIGINT');
    const stopped = await run.done;
    expect(stopped.code).toBe(130);
    const [id] = runIds(f.out);
    expect(lastLine(stopped.stderr)).toBe(`promptgate: interrupted; resume with: promptgate eval --resume ${id} --out ${f.out}`);
    const sent = emu.requests.length;
    expect(journalLines(f.out, id!)).toHaveLength(sent);

    const moved = `${f.dir}-moved`;
    renameSync(f.dir, moved);
    const out = join(moved, 'runs');
    const resumed = await evalCli(emu, ['--resume', id!, '--out', out]).done;
    expect(resumed.code, resumed.stderr).toBe(0);
    expect(resumed.stderr).toMatch(new RegExp(`warning: run ${id} was written to ${f.out}; it is now in ${out}: continuing there`));
    expect(resumed.stderr).toMatch(/warning: store .* is not there; using .*-moved\/store/);
    expect(readResults(out, id!).cells).toHaveLength(16);
    expect(emu.requests).toHaveLength(16);
    expect(existsSync(f.dir)).toBe(false);
    // run.json now names where the run and its store are.
    const meta = JSON.parse(readFileSync(join(out, id!, 'run.json'), 'utf8')) as { suite: { out: string; store: string } };
    expect(meta.suite).toMatchObject({ out, store: join(moved, 'store') });
  }, 90_000);

  it('handles SIGTERM like Ctrl-C: in-flight requests finish and are kept, exit 130, the resume completes', async () => {
    const f = suiteFolder({ samples: 2 });
    emu.respond = () => ({ text: '# Doc\n\nshort', delayMs: 200 });
    const run = evalCli(emu, ['--suite', f.suite]);
    await waitFor(() => emu.requests.length >= 4);
    run.child.kill('SIGTERM');
    const stopped = await run.done;
    expect(stopped.code).toBe(130);
    expect(lastLine(stopped.stderr)).toMatch(/^promptgate: interrupted; resume with: promptgate eval --resume \S+ --out /);
    noTrace(stopped);
    const [id] = runIds(f.out);
    expect(readResults(f.out, id!).status).toBe('interrupted');
    expect(journalLines(f.out, id!)).toHaveLength(emu.requests.length);
    const resumed = await evalCli(emu, ['--resume', id!, '--out', f.out]).done;
    expect(resumed.code, resumed.stderr).toBe(0);
    expect(emu.requests).toHaveLength(16);
  }, 60_000);

  it('drops a 120 s retry-after at the first Ctrl-C: exits at once, sends nothing after the signal', async () => {
    const f = suiteFolder();
    emu.respond = () => ({ status: 429, retryAfterMs: 120_000 });
    const run = evalCli(emu, ['--suite', f.suite]);
    await waitFor(() => emu.requests.length >= 4);
    await new Promise((r) => setTimeout(r, 200));
    const sentAtSignal = emu.requests.length;
    const signalled = Date.now();
    run.child.kill('SIGINT');
    const stopped = await run.done;
    expect(Date.now() - signalled).toBeLessThan(5000);
    expect(stopped.code).toBe(130);
    expect(emu.requests).toHaveLength(sentAtSignal);
    const results = readResults(f.out, runIds(f.out)[0]!);
    // Not errors: never tried to the end, so the resume tries them.
    expect(results.totals.pending).toBe(8);
    expect(results.cells).toHaveLength(0);
  }, 30_000);
});

describe('streams', () => {
  it.each([
    ['stalls mid-answer', { stallStream: true } as const],
    ['sends half an answer, then resets', { resetStream: true } as const],
  ])('a connection that %s is given up and retried; the run completes quickly', async (_name, fault) => {
    const f = suiteFolder({ models: '  - { provider: anthropic, model: claude-sonnet-5-5, concurrency: 2, idleTimeoutSeconds: 0.5 }\n  - { provider: openai, model: gpt-5.6-terra, concurrency: 2, idleTimeoutSeconds: 0.5 }' });
    emu.respond = (req) => (req.attempt === 0 && req.user.includes('Stripe') ? fault : undefined);
    const started = Date.now();
    const r = await evalCli(emu, ['--suite', f.suite]).done;
    expect(r.code, r.stderr).toBe(0);
    const results = readResults(f.out, runIds(f.out)[0]!);
    expect(results.cells.every((c) => c.status === 'ok')).toBe(true);
    // 4 cells hit the fault once each (their first attempt), then were answered.
    expect(emu.requests).toHaveLength(8 + 4);
    expect(Date.now() - started).toBeLessThan(20_000);
  }, 60_000);
});

describe('checked on read', () => {
  it('skips journal lines that are not valid cells (null, {}, score 7.5, cost -100) with one warning, and runs those cells again from the store', async () => {
    const f = suiteFolder();
    expect((await evalCli(emu, ['--suite', f.suite]).done).code).toBe(0);
    const [id] = runIds(f.out);
    const file = join(f.out, id!, 'journal.jsonl');
    const lines = readFileSync(file, 'utf8').trim().split('\n');
    const bad = [JSON.stringify({ ...JSON.parse(lines[0]!), score: 7.5 }), JSON.stringify({ ...JSON.parse(lines[1]!), costUsd: -100 })];
    writeFileSync(file, `null\n{}\n${bad.join('\n')}\n${lines.slice(2).join('\n')}\n`);
    emu.reset();
    const resumed = await evalCli(emu, ['--resume', id!, '--out', f.out]).done;
    expect(resumed.code, resumed.stderr).toBe(0);
    expect(resumed.stderr.match(/journal\.jsonl: 4 line\(s\) are not valid cell results and were skipped \(line 1: .*\); their cells run again/g)).toHaveLength(1);
    expect(emu.requests).toHaveLength(0);
    const results = readResults(f.out, id!);
    expect(results.cells).toHaveLength(8);
    expect(results.cells.every((c) => c.status === 'ok' && c.score! <= 1 && c.costUsd! >= 0)).toBe(true);
  }, 60_000);

  it('a stored answer changed on disk is a miss with a warning: asked for again, never graded as the model\'s', async () => {
    const f = suiteFolder();
    expect((await evalCli(emu, ['--suite', f.suite]).done).code).toBe(0);
    const entry = walk(f.store).find((p) => p.endsWith('.json') && !p.includes('grades'))!;
    const stored = JSON.parse(readFileSync(entry, 'utf8')) as { key: string; completion: { text: string } };
    writeFileSync(entry, JSON.stringify({ ...stored, completion: { ...stored.completion, text: '# Perfect\n\nforged' } }));
    emu.reset();
    const again = await evalCli(emu, ['--suite', f.suite]).done;
    expect(again.code, again.stderr).toBe(0);
    expect(again.stderr).toMatch(new RegExp(`${basename(entry)}: corrupt store entry \\(content does not match its sha256`));
    expect(emu.requests).toHaveLength(1);
    const ids = runIds(f.out);
    const cell = readResults(f.out, ids[1]!).cells.find((c) => c.storeKey === stored.key)!;
    expect(cell.cached).toBe(false);
    expect(JSON.parse(readFileSync(entry, 'utf8')).completion.text).toBe(stored.completion.text);
  }, 60_000);

  it('a cached grade changed on disk is a miss with a warning: graded again, the same as before', async () => {
    const f = suiteFolder();
    expect((await evalCli(emu, ['--suite', f.suite]).done).code).toBe(0);
    const cache = walk(join(f.store, 'grades'))[0]!;
    const lines = readFileSync(cache, 'utf8').trim().split('\n');
    writeFileSync(cache, `${[lines[0]!.replace(/"score":(0\.\d+|[01])/, '"score":0.999'), ...lines.slice(1)].join('\n')}\n`);
    const again = await evalCli(emu, ['--suite', f.suite]).done;
    expect(again.code, again.stderr).toBe(0);
    expect(again.stderr).toMatch(/corrupt grade-cache entry .*checksum mismatch/);
    const [firstRun, secondRun] = runIds(f.out).map((id) => readResults(f.out, id));
    const scores = (r: typeof firstRun) => Object.fromEntries(r!.cells.map((c) => [c.id, c.score]));
    expect(scores(secondRun)).toEqual(scores(firstRun));
  }, 60_000);
});

describe('reports/latest', () => {
  it('a `latest` that is a real folder: a warning, not a crash, and the run is complete', async () => {
    const f = suiteFolder();
    mkdirSync(join(f.dir, 'latest'));
    const r = await evalCli(emu, ['--suite', f.suite]).done;
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/warning: .*latest is a folder, not a link made by promptgate; left as it is/);
    expect(readResults(f.out, runIds(f.out)[0]!).status).toBe('complete');
  }, 60_000);

  it('two evals sharing --out both finish, and latest points at one of them', async () => {
    const f = suiteFolder();
    const other = suiteFolder({ scenarios: ['payments-pci'] });
    const runs = await Promise.all([evalCli(emu, ['--suite', f.suite]).done, evalCli(emu, ['--suite', other.suite, '--out', f.out]).done]);
    for (const r of runs) {
      expect(r.code, r.stderr).toBe(0);
      noTrace(r);
    }
    const ids = runIds(f.out);
    expect(ids).toHaveLength(2);
    expect(ids.map((id) => readResults(f.out, id).status)).toEqual(['complete', 'complete']);
    expect(ids).toContain(basename(readlinkSync(join(f.dir, 'latest'))));
    expect(walk(f.dir).filter((p) => p.endsWith('.tmp'))).toEqual([]);
  }, 60_000);
});
