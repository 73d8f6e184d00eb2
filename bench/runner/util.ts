// What the runner benchmarks share: a timed child process (wall time, first request seen by the
// emulator, peak RSS), the suite files they run, and the outputs they serve.

import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

export const root = join(import.meta.dirname, '../..');
export const bin = join(root, 'bin/promptgate.js');
export const PROMPT = 'pipeline-design-architect';
/** eval announces its reports (report.md, .html, junit.xml) on stderr after writing results.json. */
export const REPORTS_LINE = /^writing report/m;

/** A fresh temp folder, removed when the bench exits (BENCH_KEEP=1 keeps them, to look into). */
export function temp(name: string): string {
  const dir = mkdtempSync(join(tmpdir(), `promptgate-bench-${name}-`));
  made.push(dir);
  return dir;
}
const made: string[] = [];
process.on('exit', () => {
  if (process.env.BENCH_KEEP !== '1') for (const dir of made) rmSync(dir, { recursive: true, force: true });
});

export interface Timed {
  code: number | null;
  /** From spawn to the child's exit. */
  wallMs: number;
  startedAt: number;
  /** Peak RSS of the child process in bytes (null when not measured). */
  peakRss: number | null;
  /** Peak RSS up to the first stderr line matching `rssMark`. */
  peakRssAtMark: number | null;
  /** CPU time the child used, all threads (with `rss`; null when not measured). */
  cpuMs: number | null;
  /** ms from spawn to the first stderr line matching each mark. */
  marks: Record<string, number>;
  /** Killed after `timeoutMs`. */
  timedOut: boolean;
  stdout: string;
  stderr: string;
}

export interface TimedOptions {
  env?: Record<string, string>;
  cwd?: string;
  /** Measure peak RSS and CPU time from inside the child (node only). */
  rss?: boolean;
  rssMark?: RegExp;
  marks?: Record<string, RegExp>;
  timeoutMs?: number;
}

/** Run a node script in a child process, timed from spawn to exit. */
export function timedNode(args: string[], opts: TimedOptions = {}): Promise<Timed> {
  const rssFile = join(temp('rss'), 'peak.json');
  const pre = opts.rss ? ['--import', pathToFileURL(join(import.meta.dirname, 'peak-rss.mjs')).href] : [];
  const env = { ...process.env, NO_COLOR: '1', ...opts.env, PROMPTGATE_BENCH_RSS_FILE: rssFile, PROMPTGATE_BENCH_RSS_MARK: opts.rssMark?.source ?? '' };
  const startedAt = performance.now();
  const child = spawn(process.execPath, [...pre, ...args], { cwd: opts.cwd ?? root, env });
  let stdout = '';
  let stderr = '';
  const marks: Record<string, number> = {};
  child.stdout.on('data', (d) => (stdout += d));
  child.stderr.on('data', (d) => {
    stderr += d;
    for (const [name, re] of Object.entries(opts.marks ?? {})) if (!(name in marks) && re.test(stderr)) marks[name] = performance.now() - startedAt;
  });
  let timedOut = false;
  let hwm: number | null = null;
  // A child busy in synchronous work would not run a signal handler: read its peak from the
  // kernel (Linux), then SIGKILL it.
  const giveUp = () => {
    timedOut = true;
    hwm = highWaterMark(child.pid);
    child.kill('SIGKILL');
  };
  const timer = opts.timeoutMs ? setTimeout(giveUp, opts.timeoutMs) : null;
  return new Promise((resolve) =>
    child.on('close', (code) => {
      if (timer) clearTimeout(timer);
      const wallMs = performance.now() - startedAt;
      const rss = opts.rss && existsSync(rssFile) ? (JSON.parse(readFileSync(rssFile, 'utf8')) as { peak: number | null; atMark: number | null; cpuMs?: number }) : null;
      resolve({ code, wallMs, startedAt, peakRss: rss?.peak ?? hwm, peakRssAtMark: rss?.atMark ?? null, cpuMs: rss?.cpuMs ?? null, marks, timedOut, stdout, stderr });
    }),
  );
}

export interface SuiteSpec {
  scenarios: string[];
  models: Array<{ model: string; concurrency: number }>;
  samples: number;
  store: string;
  out: string;
}

/** A suite file of all versions × the scenarios × the OpenAI models × samples, no references. */
export function writeSuite(dir: string, s: SuiteSpec): string {
  const file = join(dir, 'suite.yaml');
  const models = s.models.map((m) => `  - { provider: openai, model: ${m.model}, concurrency: ${m.concurrency} }`).join('\n');
  writeFileSync(file, `prompt: ${PROMPT}\nversions: all\nmodels:\n${models}\nscenarios: ${s.scenarios.join(',')}\nsamples: ${s.samples}\nstore: ${s.store}\nout: ${s.out}\nreferences: false\n`);
  return file;
}

const PARAGRAPH =
  'The pipeline lands orders and clickstream events in object storage, validates each batch against its contract, ' +
  'loads curated tables into the warehouse every hour, and alerts the on-call engineer when freshness slips past thirty ' +
  'minutes or when row counts drift more than five percent from the trailing weekly average.';

const MONITORING = 'Dashboards track lag, error rates and cost per day; every alert links to a runbook naming the owner and the first three steps.';

/** A ~100-word markdown answer, unique per call (so no tool can reuse a grade across cells). */
export function shortDocument(serial: number, asked: string): string {
  return [`# Pipeline design ${serial}`, '', '## Summary', '', `An answer to: "${asked.replace(/\s+/g, ' ').slice(0, 60)}".`, '', PARAGRAPH, '', '## Monitoring', '', MONITORING, '', '## Costs', '', '| Item | Monthly |', '|---|---|', `| Warehouse | $${400 + (serial % 97)} |`, ''].join('\n');
}

export const fmtMs = (ms: number) => (ms >= 10_000 ? `${(ms / 1000).toFixed(1)} s` : `${Math.round(ms)} ms`);
export const fmtMb = (bytes: number | null) => (bytes === null ? 'n/a' : `${Math.round(bytes / 1024 / 1024)} MB`);

/** A process's peak RSS in bytes from /proc (VmHWM), or null where there is no /proc. */
function highWaterMark(pid: number | undefined): number | null {
  try {
    const kb = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1];
    return kb ? Number(kb) * 1024 : null;
  } catch {
    return null;
  }
}
