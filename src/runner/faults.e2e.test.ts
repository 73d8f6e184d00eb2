// Disk faults through the CLI, against the emulators: the store, the journal, the grade cache
// and results.json refusing writes mid-run (an injected ENOSPC/EROFS through the documented
// PROMPTGATE_TEST_WRITE_FAULT hook, switched on and off by a flag file the test controls, and a
// real ENOTDIR: the store folder swapped for a file), and a --store that is a file. Each asserts
// the exit code, the one line, no stack trace, nothing paid twice (the emulator's request count
// over the run and its resume) and nothing lost.

import { existsSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { evalCli, hasStackTrace, journalLines, lastLine, readResults, runIds, suiteFolder, walk } from '../testing/eval-cli.ts';
import { useEmulators } from '../testing/use-emulators.ts';

const CELLS = 2 * 2 * 2 * 2; // versions × scenarios × models × samples
const emu = useEmulators({ latencyMs: 80 });

/** Switch `flag` on when the `at`-th request arrives, and off `forMs` later (never, without it). */
function faultAt(flag: string, at: number, forMs?: number): void {
  emu.respond = () => {
    if (emu.requests.length === at) {
      writeFileSync(flag, '');
      if (forMs !== undefined) setTimeout(() => rmSync(flag, { force: true }), forMs);
    }
    return undefined;
  };
}

const tmpFiles = (dir: string) => walk(dir).filter((f) => f.endsWith('.tmp'));
const cleanFailure = (r: { code: number | null; stderr: string }, code: number, line: RegExp) => {
  expect(r.code, r.stderr).toBe(code);
  expect(lastLine(r.stderr)).toMatch(line);
  expect(hasStackTrace(r.stderr), r.stderr).toBe(false);
};

async function resumeToEnd(out: string, id: string, env: Record<string, string> = {}) {
  const resumed = await evalCli(emu, ['--resume', id, '--out', out], env).done;
  expect(resumed.code, resumed.stderr).toBe(0);
  const results = readResults(out, id);
  expect(results.status).toBe('complete');
  expect(results.cells.filter((c) => c.status === 'ok')).toHaveLength(CELLS);
  return results;
}

describe('a refused write mid-run', () => {
  it('disk full, then space again while the run waits: halts, keeps every paid answer, exit 1; the resume pays for none again', async () => {
    const f = suiteFolder({ samples: 2 });
    const flag = join(f.dir, 'disk-full');
    faultAt(flag, 5, 1500);
    const first = await evalCli(emu, ['--suite', f.suite], { PROMPTGATE_TEST_WRITE_FAULT: `ENOSPC:${flag}`, PROMPTGATE_WRITE_RETRY_SECONDS: '30' }).done;
    const [id] = runIds(f.out);
    cleanFailure(first, 1, new RegExp(`^promptgate: cannot write .+ \\(ENOSPC: no space left on device\\): run stopped; \\d+ of ${CELLS} cells saved, \\d+ not run, every paid answer is kept; free space \\(or fix the folder\\) and resume with: promptgate eval --resume ${id} --out ${f.out}$`));
    expect(first.stderr).toMatch(/■ cannot write .* starting no more cells; holding the answers in flight/);
    const sent = emu.requests.length;
    expect(sent).toBeLessThan(CELLS);
    // Every request sent has its cell saved: in the journal, ok, and its answer in the store.
    expect(journalLines(f.out, id!).filter((l) => l.status === 'ok')).toHaveLength(sent);
    expect(tmpFiles(f.dir)).toEqual([]);

    const results = await resumeToEnd(f.out, id!);
    expect(emu.requests).toHaveLength(CELLS);
    expect(results.cells.filter((c) => !c.cached)).toHaveLength(CELLS);
  }, 90_000);

  it('disk full for good: gives the held answers up after the window, says how many, removes its temp files; the resume pays only for those', async () => {
    const f = suiteFolder({ samples: 2 });
    const flag = join(f.dir, 'disk-full');
    faultAt(flag, 5);
    const first = await evalCli(emu, ['--suite', f.suite], { PROMPTGATE_TEST_WRITE_FAULT: `ENOSPC:${flag}:store`, PROMPTGATE_WRITE_RETRY_SECONDS: '1' }).done;
    const [id] = runIds(f.out);
    cleanFailure(first, 1, /^promptgate: cannot write .*store \(ENOSPC: no space left on device\): run stopped; \d+ of 16 cells saved, (\d+) paid answer\(s\) could not be saved and will be requested again, \d+ not run; .*resume with: promptgate eval --resume /);
    const lost = Number(/(\d+) paid answer\(s\) could not be saved/.exec(lastLine(first.stderr))![1]);
    expect(lost).toBeGreaterThan(0);
    expect(tmpFiles(f.dir)).toEqual([]);
    // What the lost answers cost is on record (as errors), so the spend of the run counts it.
    const unsaved = journalLines(f.out, id!).filter((l) => /answer paid for but not saved/.test(String(l.error)));
    expect(unsaved).toHaveLength(lost);
    expect(unsaved.every((l) => (l.costUsd as number) > 0)).toBe(true);
    const sent = emu.requests.length;

    rmSync(flag);
    const results = await resumeToEnd(f.out, id!);
    expect(emu.requests.length).toBe(CELLS + lost);
    expect(sent + (CELLS - sent) + lost).toBe(emu.requests.length);
    const paid = journalLines(f.out, id!).reduce((s, l) => s + (l.cached ? 0 : (l.costUsd as number)), 0);
    expect(results.totals.costUsd).toBeCloseTo(paid, 6);
  }, 90_000);

  it('a journal that refuses appends for good: every answer is in the store, so the resume requests nothing again', async () => {
    const f = suiteFolder({ samples: 2 });
    const flag = join(f.dir, 'read-only');
    faultAt(flag, 3);
    const first = await evalCli(emu, ['--suite', f.suite], { PROMPTGATE_TEST_WRITE_FAULT: `EROFS:${flag}:journal`, PROMPTGATE_WRITE_RETRY_SECONDS: '1' }).done;
    const [id] = runIds(f.out);
    cleanFailure(first, 1, /^promptgate: cannot write .*journal\.jsonl \(EROFS: read-only file system\): run stopped; \d+ of 16 cells saved, \d+ finished cell\(s\) missing from the journal, \d+ not run, every paid answer is kept; .*--resume /);
    const sent = emu.requests.length;
    rmSync(flag);
    const results = await resumeToEnd(f.out, id!);
    expect(emu.requests).toHaveLength(CELLS);
    // Answers this run paid for, found in the store on resume, still count as paid by the run.
    expect(results.cells.filter((c) => !c.cached)).toHaveLength(CELLS);
    expect(sent).toBeLessThan(CELLS);
  }, 90_000);

  it('the store folder swapped for a file mid-run (a real ENOTDIR), then put back: nothing lost, nothing paid twice', async () => {
    const f = suiteFolder({ samples: 2 });
    emu.respond = () => {
      if (emu.requests.length === 5) {
        renameSync(f.store, `${f.store}.away`);
        writeFileSync(f.store, 'not a folder');
        setTimeout(() => (rmSync(f.store), renameSync(`${f.store}.away`, f.store)), 1500);
      }
      return undefined;
    };
    const first = await evalCli(emu, ['--suite', f.suite], { PROMPTGATE_WRITE_RETRY_SECONDS: '30' }).done;
    const [id] = runIds(f.out);
    cleanFailure(first, 1, /^promptgate: cannot write .*store \(ENOTDIR: not a directory\): run stopped; .*every paid answer is kept; .*--resume /);
    expect(journalLines(f.out, id!).filter((l) => l.status === 'ok')).toHaveLength(emu.requests.length);
    await resumeToEnd(f.out, id!);
    expect(emu.requests).toHaveLength(CELLS);
    expect(tmpFiles(f.dir)).toEqual([]);
  }, 90_000);

  it('results.json refused at the end: exit 1 saying the cells are in the journal; the resume writes it without a request', async () => {
    const f = suiteFolder({ samples: 2 });
    const flag = join(f.dir, 'full');
    writeFileSync(flag, '');
    const first = await evalCli(emu, ['--suite', f.suite], { PROMPTGATE_TEST_WRITE_FAULT: `ENOSPC:${flag}:results` }).done;
    const [id] = runIds(f.out);
    cleanFailure(first, 1, new RegExp(`^promptgate: cannot write .*results\\.json.* \\(ENOSPC: no space left on device\\): the 16 finished cells are saved in .*journal\\.jsonl, but results\\.json and the reports are not written; free space and run: promptgate eval --resume ${id} --out `));
    expect(existsSync(join(f.out, id!, 'results.json'))).toBe(false);
    expect(tmpFiles(f.dir)).toEqual([]);
    rmSync(flag);
    emu.reset();
    await resumeToEnd(f.out, id!);
    expect(emu.requests).toHaveLength(0);
  }, 90_000);
});

describe('the grade cache and the store folder', () => {
  it('a grade cache that cannot be written: one warning, every cell graded, exit 0', async () => {
    const f = suiteFolder();
    const flag = join(f.dir, 'full');
    writeFileSync(flag, '');
    const r = await evalCli(emu, ['--suite', f.suite], { PROMPTGATE_TEST_WRITE_FAULT: `ENOSPC:${flag}:grades` }).done;
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr.match(/grade cache cannot write \(ENOSPC: no space left on device\); grading without it/g)).toHaveLength(1);
    const results = readResults(f.out, runIds(f.out)[0]!);
    expect(results.cells).toHaveLength(8);
    expect(results.cells.every((c) => c.status === 'ok' && c.score !== null && Object.keys(c.grades).length > 0)).toBe(true);
    expect(hasStackTrace(r.stderr)).toBe(false);
  }, 60_000);

  it.each([
    ['a file', (p: string) => p],
    ['inside a file', (p: string) => join(p, 'store')],
  ])('--store %s: exit 2 with one line before anything is paid for', async (_name, store) => {
    const f = suiteFolder();
    const file = join(f.dir, 'store-file');
    writeFileSync(file, 'x');
    const r = await evalCli(emu, ['--suite', f.suite, '--store', store(file)]).done;
    cleanFailure(r, 2, new RegExp(`^promptgate: --store ${store(file)}: (${file} )?is a file[;,] .*expected a folder`));
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(emu.requests).toHaveLength(0);
    expect(readFileSync(file, 'utf8')).toBe('x');
    expect(readdirSync(f.dir)).not.toContain('runs');
  }, 30_000);
});
