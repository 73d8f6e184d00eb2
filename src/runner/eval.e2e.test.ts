// End to end: `promptgate eval` in a child process, the real SDKs talking to the local
// emulators over HTTP. 2 versions × 3 scenarios × 2 models × 2 samples = 24 cells.

import { spawn } from 'node:child_process';
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv } from 'ajv';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { root, tempDir } from '../testing/cli.ts';
import { startEmulators, type Emulators } from '../testing/emulators.ts';
import { ResultsSchema, type Results } from './results.ts';
import { graders } from '../../graders/index.ts';

/** Every grader runs on a first turn graded against a scenario; only the revision grader waits for a later turn. */
const FIRST_TURN_GRADERS = graders.filter((g) => !g.needsRevision).length;

const KEYS = { anthropic: 'fake-anthropic-key-for-tests-1b2c3d4e', openai: 'fake-openai-key-for-tests-9z8y7x6w' };
const SCENARIOS = 'ecommerce-hybrid,startup-lean-analytics,payments-pci';
const CELLS = 2 * 3 * 2 * 2;

let emu: Emulators;
beforeAll(async () => {
  emu = await startEmulators({ latencyMs: 30 });
});
afterAll(() => emu.close());
beforeEach(() => {
  emu.reset();
  emu.respond = undefined;
});

function setup(extra = ''): { dir: string; suite: string; out: string; store: string } {
  const dir = tempDir();
  const suite = join(dir, 'suite.yaml');
  writeFileSync(
    suite,
    `prompt: pipeline-design-architect
versions: all
models:
  - { provider: anthropic, model: claude-sonnet-5-5, concurrency: 2 }
  - { provider: openai, model: gpt-5.6-terra, concurrency: 2 }
scenarios: ${SCENARIOS}
samples: 2
store: ${join(dir, 'store')}
out: ${join(dir, 'runs')}
${extra}`,
  );
  return { dir, suite, out: join(dir, 'runs'), store: join(dir, 'store') };
}

function evalCli(args: string[], env: Record<string, string | undefined> = {}) {
  const child = spawn(process.execPath, [join(root, 'bin/promptgate.js'), 'eval', ...args], {
    cwd: root,
    env: { ...process.env, ANTHROPIC_API_KEY: KEYS.anthropic, OPENAI_API_KEY: KEYS.openai, ANTHROPIC_BASE_URL: emu.anthropic.baseURL, OPENAI_BASE_URL: emu.openai.baseURL, ...env },
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d) => (stdout += d));
  child.stderr.on('data', (d) => (stderr += d));
  const done = new Promise<{ code: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string }>((resolve) => child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr })));
  return { child, done };
}

function onlyRun(out: string): { id: string; results: Results; journal: string[] } {
  const [id] = readdirSync(out);
  const results = JSON.parse(readFileSync(join(out, id!, 'results.json'), 'utf8')) as Results;
  const journal = readFileSync(join(out, id!, 'journal.jsonl'), 'utf8').split('\n').filter(Boolean);
  return { id: id!, results, journal };
}

const modelCells = (r: Results) => r.cells.filter((c) => c.provider !== 'reference');
const waitFor = async (check: () => boolean, ms = 20_000) => {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, 20));
  }
};

describe('promptgate eval against the emulators', () => {
  it('runs every cell once, grades it, writes a valid results.json, and pays nothing twice on a re-run', async () => {
    const { suite, out } = setup();
    const first = await evalCli(['--suite', suite]).done;
    expect(first.code, first.stderr).toBe(0);
    const { results, journal } = onlyRun(out);
    expect(new Ajv({ strict: false }).validate(ResultsSchema, results)).toBe(true);
    expect(results.status).toBe('complete');
    expect(modelCells(results)).toHaveLength(CELLS);
    expect(journal).toHaveLength(CELLS);
    expect(new Set(modelCells(results).map((c) => c.id)).size).toBe(CELLS);
    expect(modelCells(results).every((c) => c.status === 'ok' && c.score !== null && Object.keys(c.grades).length === FIRST_TURN_GRADERS)).toBe(true);
    expect(results.cells.filter((c) => c.provider === 'reference').map((c) => c.scenario).sort()).toEqual(['ecommerce-hybrid', 'startup-lean-analytics']);
    expect(results.summary.map((s) => `${s.version} ${s.model}`).sort()).toContain('1.2.0 openai:gpt-5.6-terra');
    // Prompt caching reaches the usage: later Anthropic requests read the cached system prompt.
    expect(modelCells(results).some((c) => c.provider === 'anthropic' && c.usage.cacheRead > 0)).toBe(true);
    expect(results.totals.costUsd).toBeGreaterThan(0);
    expect(emu.requests).toHaveLength(CELLS);
    expect(first.stdout).toMatch(/mean score/);

    emu.reset();
    const again = await evalCli(['--suite', suite]).done;
    expect(again.code).toBe(0);
    expect(emu.requests).toHaveLength(0);
    const runs = readdirSync(out).sort();
    const second = JSON.parse(readFileSync(join(out, runs[1]!, 'results.json'), 'utf8')) as Results;
    expect(second.totals.cached).toBe(CELLS);
    expect(second.totals.costUsd).toBe(0);
  }, 60_000);

  it('prints the plan with --dry-run and sends nothing', async () => {
    const { suite } = setup();
    const { code, stdout } = await evalCli(['--suite', suite, '--dry-run']).done;
    expect(code).toBe(0);
    expect(stdout).toMatch(/claude-sonnet-5-5\s+live\s+12\s+0\s+12/);
    expect(emu.requests).toHaveLength(0);
  });

  it('survives Ctrl-C: exits 130 with what finished, and --resume completes without asking for any cell twice', async () => {
    const { suite, out } = setup();
    emu.respond = () => ({ text: '# Doc\n\nshort', delayMs: 150 });
    const run = evalCli(['--suite', suite]);
    await waitFor(() => emu.requests.length >= 6);
    run.child.kill('SIGINT');
    const interrupted = await run.done;
    expect(interrupted.code).toBe(130);
    expect(interrupted.stderr).toMatch(/resume with: promptgate eval --resume/);
    const { id, results } = onlyRun(out);
    expect(results.status).toBe('interrupted');
    const finished = modelCells(results).length;
    expect(finished).toBeGreaterThan(0);
    expect(finished).toBeLessThan(CELLS);
    // Requests in flight were allowed to finish: every request sent so far has its cell recorded.
    expect(emu.requests.length).toBe(finished);

    const resumed = await evalCli(['--resume', id, '--out', out]).done;
    expect(resumed.code, resumed.stderr).toBe(0);
    const final = onlyRun(out).results;
    expect(final.status).toBe('complete');
    expect(modelCells(final)).toHaveLength(CELLS);
    expect(emu.requests).toHaveLength(CELLS);
  }, 60_000);

  it('survives SIGKILL: --resume finishes every cell, re-asking only for those in flight at the kill', async () => {
    const { suite, out } = setup();
    emu.respond = () => ({ text: '# Doc\n\nshort', delayMs: 150 });
    const run = evalCli(['--suite', suite]);
    await waitFor(() => emu.requests.length >= 8);
    run.child.kill('SIGKILL');
    await run.done;
    const id = readdirSync(out)[0]!;
    const journal = readFileSync(join(out, id, 'journal.jsonl'), 'utf8').split('\n').filter(Boolean);
    const sentBeforeKill = emu.requests.length;
    expect(journal.length).toBeGreaterThan(0);

    const resumed = await evalCli(['--resume', id, '--out', out]).done;
    expect(resumed.code, resumed.stderr).toBe(0);
    const final = onlyRun(out).results;
    expect(modelCells(final)).toHaveLength(CELLS);
    expect(new Set(modelCells(final).map((c) => c.id)).size).toBe(CELLS);
    // At most the requests in flight at the kill (≤ 2 per provider) are asked for again.
    expect(emu.requests.length - CELLS).toBeLessThanOrEqual(sentBeforeKill - journal.length);
    expect(sentBeforeKill - journal.length).toBeLessThanOrEqual(4);
  }, 60_000);

  it('retries a 429 after retry-after, records a failing cell with its reason, and fails a bad key fast, once', async () => {
    const { suite, out } = setup();
    emu.respond = (req) => {
      if (req.vendor === 'openai') return { status: 401, message: 'invalid api key' };
      if (req.user?.includes('Stripe') && req.attempt === 0) return { status: 429, retryAfterMs: 5 };
      if (req.user?.includes('PCI') || req.user?.includes('card')) return { status: 400, message: 'bad request' };
      return undefined;
    };
    const { code, stdout, stderr } = await evalCli(['--suite', suite]).done;
    // Every OpenAI cell failed: the run did not produce what was asked (exit 1), and says why.
    expect(code).toBe(1);
    expect(stderr).toMatch(/^promptgate: every cell of gpt-5\.6-terra failed/m);
    expect(stdout).toMatch(/errors by reason:[\s\S]*gpt-5\.6-terra\s+12\s+authentication failed/);
    const { results } = onlyRun(out);
    // No result for one of the models: the run is not complete, though no cell is left to run.
    expect(results.status).toBe('incomplete');
    expect(results.totals.pending).toBe(0);
    const openai = modelCells(results).filter((c) => c.provider === 'openai');
    expect(openai.every((c) => c.status === 'error' && /authentication failed/.test(c.error ?? ''))).toBe(true);
    expect(emu.requests.filter((r) => r.vendor === 'openai').length).toBeLessThanOrEqual(2);
    expect(stderr.match(/authentication failed/g)).toHaveLength(1);
    const anthropic = modelCells(results).filter((c) => c.provider === 'anthropic');
    expect(anthropic.filter((c) => c.scenario === 'startup-lean-analytics').every((c) => c.status === 'ok')).toBe(true);
    // 4 startup cells; the first request of each of the 2 distinct prompts got a 429 and was retried.
    expect(emu.requests.filter((r) => r.vendor === 'anthropic' && r.user?.includes('Stripe'))).toHaveLength(6);
    const failed = anthropic.filter((c) => c.scenario === 'payments-pci');
    expect(failed.every((c) => c.status === 'error' && c.score === null && /bad_request/.test(c.error ?? ''))).toBe(true);
  }, 60_000);

  it('never lets the estimated spend pass --max-cost', async () => {
    const { suite, out } = setup();
    // One cell's worst case (8,192 output tokens at $10-12/M plus input) is about $0.09-0.11.
    const { code } = await evalCli(['--suite', suite, '--max-cost', '0.25']).done;
    expect(code).toBe(0);
    const { results } = onlyRun(out);
    expect(results.status).toBe('budget-reached');
    expect(results.totals.costUsd).toBeLessThanOrEqual(0.25);
    expect(results.totals.pending).toBeGreaterThan(0);
  }, 60_000);

  it('skips models without keys with one line each, grades the references, and exits 0', async () => {
    const { suite, out } = setup();
    const { code, stderr, stdout } = await evalCli(['--suite', suite], { ANTHROPIC_API_KEY: '', OPENAI_API_KEY: '' }).done;
    expect(code).toBe(0);
    // The first screen says that no model ran, what to set for each, and shows the references.
    expect(stdout).toMatch(/No model ran: none of the \d+ planned cells was requested/);
    expect(stdout).toMatch(/claude-sonnet-5-5 +set ANTHROPIC_API_KEY/);
    expect(stdout).toContain('What a passing document looks like');
    expect(stderr).toMatch(/skipping claude-sonnet-5-5: set ANTHROPIC_API_KEY/);
    expect(stderr).toMatch(/skipping gpt-5.6-terra: set OPENAI_API_KEY/);
    expect(emu.requests).toHaveLength(0);
    const { results } = onlyRun(out);
    expect(results.cells.every((c) => c.provider === 'reference' && c.label === 'Hand-written reference')).toBe(true);
    expect(results.totals.pending).toBe(CELLS);
    expect(results.totals).toMatchObject({ finished: 0, ok: 0 });
  }, 30_000);

  it('writes no API key into any file', async () => {
    const { dir, suite } = setup();
    expect((await evalCli(['--suite', suite]).done).code).toBe(0);
    const files = walk(dir);
    expect(files.length).toBeGreaterThan(CELLS);
    for (const f of files) {
      const text = readFileSync(f, 'utf8');
      expect(text.includes(KEYS.anthropic) || text.includes(KEYS.openai), f).toBe(false);
    }
  }, 60_000);
});

function walk(dir: string): string[] {
  return readdirSync(dir).flatMap((f) => {
    const p = join(dir, f);
    return statSync(p).isDirectory() ? walk(p) : [p];
  });
}
