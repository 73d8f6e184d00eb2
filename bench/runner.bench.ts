// `npm run bench`, part two: the runner, with the targets of issue 15. Each figure is printed
// with the ideal it is measured against:
//  (a) overhead: 400 cells against the emulator at 50 ms latency, short (~100-word) answers,
//      concurrency 16, through the real CLI: wall time ≤ 1.15× the same requests sent through
//      the official SDK alone in the same run (the floor: sdk-floor.mjs), spawn → exit for both;
//      promptfoo 0.121's CLI on the same matrix for reference (see runner/live.ts);
//  (b) rate-limited: 64 cells on two providers against emulators that enforce RPM + input/output
//      TPM buckets (max_tokens reserved at admission), send the real headers and stream at a
//      model's pace, on a compressed clock (limits per 6 s; runner/rate-limited.ts): first
//      request → last answer ≤ 1.02× the limit-bound ideal (runner/ideal.ts), no request
//      answered 429, no cell lost, and faster than promptfoo on the same matrix (the ratio);
//  (c) a 429 storm of 20 s (every request 429, retry-after 1 s) on the same matrix with generous
//      limits: time lost (first request → last answer, storm run − calm run) ≤ 1.1× the storm,
//      no cell lost;
//  (d) cost of the default suite from the emulators' usage at the price file's prices: live,
//      and with every system prompt a cache hit (batch: issue 15 §2, not measured here);
//  (e) issue 4's (c) and (d), which hold:
//  (e1) re-running a fully stored and graded suite of 10,000 cells: < 10 s and < 500 MB peak RSS;
//  (e2) grading 1,000 new ~2,500-word outputs on 1 and on 2 worker threads: docs/s; target: the
//      pool uses every core — with 2 workers the process keeps ≥ 90% of min(2, cores) cores
//      busy. (Not "2 workers = 2× one": one worker already keeps ~1.4 cores busy, its garbage
//      being collected on V8's helper threads, so on 2 cores the docs/s ratio tops out near 1.4.)
// Prints one table and exits 1 when a target is missed or a measurement went wrong.
// BENCH_TINY=1 runs every measurement at a tiny size (the smoke test): figures, no verdicts.

import { readdirSync, readFileSync } from 'node:fs';
import { availableParallelism, loadavg } from 'node:os';
import { join } from 'node:path';
import { table } from '../src/format.ts';
import { measureCost, MIN_CACHEABLE } from './runner/cost.ts';
import { measureGrading, type GradingRun } from './runner/grading.ts';
import { measureLive } from './runner/live.ts';
import { measureRateLimited, measureStorm, WINDOW_MS } from './runner/rate-limited.ts';
import { referenceLoopMs } from './runner/reference.ts';
import { measureRerun, type RerunTiming } from './runner/rerun.ts';
import { fmtMb, fmtMs, root } from './runner/util.ts';

const tiny = process.env.BENCH_TINY === '1';
const MATRIX = ['ecommerce-hybrid', 'startup-lean-analytics', 'payments-pci', 'healthcare-hipaa'];
const size = tiny
  ? { scenarios: ['ecommerce-hybrid', 'payments-pci'], samples: 4, concurrency: 4, latencyMs: 5, rounds: 1, limited: { scenarios: MATRIX.slice(0, 2), samples: 1 }, stormMs: 2000, costCells: 16, rerun: { scenarios: 2, models: 1, samples: 10 }, grade: 8 }
  : { scenarios: MATRIX, samples: 50, concurrency: 16, latencyMs: 50, rounds: 3, limited: { scenarios: MATRIX, samples: 4 }, stormMs: 20_000, costCells: undefined, rerun: { scenarios: 10, models: 5, samples: 100 }, grade: 1000 };
/** (e1) gives up after this long (and counts as missed): a slow re-run must not hang the bench. */
const RERUN_TIMEOUT_MS = 120_000;
const TARGET = { floorRatio: 1.15, limitRatio: 1.02, storm: 1.1, rerunMs: 10_000, rerunBytes: 500 * 1024 * 1024, busy: 0.9 };

// "2,500-word outputs": the calibration documents of 2,400–3,000 words (whitespace-separated,
// tables and code included, as an editor counts them).
const calibration = join(root, 'datasets/calibration');
const documents = readdirSync(calibration)
  .filter((f) => f.endsWith('.md'))
  .map((name) => ({ name, text: readFileSync(join(calibration, name), 'utf8') }))
  .map((d) => ({ ...d, words: d.text.split(/\s+/).filter(Boolean).length }))
  .filter((d) => d.words >= 2400 && d.words <= 3000)
  .slice(0, tiny ? 3 : undefined);
const meanWords = Math.round(documents.reduce((s, d) => s + d.words, 0) / documents.length);
const meanKb = documents.reduce((s, d) => s + d.text.length, 0) / documents.length / 1024;

const cores = availableParallelism();
const loadAtStart = loadavg();
const cpuAtStart = cpuTicks();
const referenceAtStart = referenceLoopMs();
const log = (line: string) => process.stderr.write(`${line}\n`);
const rows: string[][] = [];
const missed: string[] = [];
const verdict = (name: string, ok: boolean) => (tiny ? 'n/a (tiny)' : ok ? 'met' : (missed.push(name), 'MISSED'));
const usd = (x: number) => `$${x.toFixed(2)}`;
/** A row of the table, also logged at once: a long bench shows each figure as it is measured. */
const add = (row: string[]) => (rows.push(row), log(`  ${row[0]}: ${row[1]} [${row[3]}]`));

log(`runner bench${tiny ? ' (tiny)' : ''}: (a) overhead — promptgate, promptfoo and the bare SDK alternating, best of ${size.rounds}…`);
const live = await measureLive({ scenarios: size.scenarios, samples: size.samples, concurrency: size.concurrency, latencyMs: size.latencyMs, rounds: size.rounds });
const pg = live.promptgate;
const floor = live.floor;
const pf = live.promptfoo;
// CPU-bound or not: in 1.15× the floor's wall time the machine's cores give at most this much CPU
// to promptgate, once the emulator (the same work in every run) has had its share.
const cpuRoom = cores * TARGET.floorRatio * floor.wallMs - pg.emulatorCpuMs;
const cpuText = (r: typeof pg) => (r.cpuMs === null ? 'n/a' : fmtMs(r.cpuMs));
add([
  `(a) overhead: ${pg.cells} cells, ${size.latencyMs} ms latency, concurrency ${size.concurrency}`,
  `promptgate ${fmtMs(pg.wallMs)} (start-up ${fmtMs(pg.startupMs)}, requests ${fmtMs(pg.requestsMs)}${pg.reportsAtMs === undefined ? '' : `, reports ${fmtMs(pg.wallMs - pg.reportsAtMs)}`}); ideal: the bare-SDK floor in the same run, ${fmtMs(floor.wallMs)} (start-up ${fmtMs(floor.startupMs)}): ${(pg.wallMs / floor.wallMs).toFixed(2)}×; promptfoo 0.121.20 ${fmtMs(pf.wallMs)} = ${(pf.wallMs / floor.wallMs).toFixed(2)}× the floor. CPU (all threads): promptgate ${cpuText(pg)}, the floor ${cpuText(floor)}, promptfoo ${cpuText(pf)}; the emulator ${fmtMs(pg.emulatorCpuMs)} in promptgate's run; ${cores} cores × ${TARGET.floorRatio} × the floor's wall leave promptgate ${fmtMs(cpuRoom)}${pg.cpuMs !== null && pg.cpuMs > cpuRoom ? ': it needs more, so no scheduling can meet the target here' : ''}`,
  `≤ ${TARGET.floorRatio}× the floor`,
  verdict('(a)', pg.wallMs <= TARGET.floorRatio * floor.wallMs),
]);

log(`runner bench: (b) rate-limited matrix (limits per ${WINDOW_MS / 1000} s), promptgate then promptfoo…`);
const limited = await measureRateLimited(size.limited);
const lg = limited.promptgate;
const lf = limited.promptfoo;
add([
  `(b) rate-limited: ${lg.cells} cells, 2 providers, ≤ 8 in flight each; Claude 20 requests + 40k output tokens, GPT 20 requests per ${WINDOW_MS / 1000} s window (= per minute, clock ÷ 10); streamed at 1,500 tokens/s`,
  `promptgate: first request → last answer ${fmtMs(lg.requestsMs)}; ideal (limit-bound, never 429'd) ${fmtMs(limited.idealMs)}: ${(lg.requestsMs / limited.idealMs).toFixed(3)}×; ${lg.limited} of ${lg.requests} requests 429'd, ${lg.requests - lg.limited - lg.cells} re-sent, ${lg.lost} cells lost; wall ${fmtMs(lg.wallMs)}. promptfoo: ${fmtMs(lf.requestsMs)} = ${(lf.requestsMs / limited.idealMs).toFixed(3)}× the ideal, ${lf.limited} of ${lf.requests} 429'd, ${lf.lost} cells lost, wall ${fmtMs(lf.wallMs)}: promptgate ${(lf.wallMs / lg.wallMs).toFixed(2)}× faster end to end`,
  `≤ ${TARGET.limitRatio}× ideal, 0 429'd, 0 lost, faster than promptfoo`,
  verdict('(b)', lg.requestsMs <= TARGET.limitRatio * limited.idealMs && lg.limited === 0 && lg.lost === 0 && lg.requests === lg.cells && lf.wallMs > lg.wallMs),
]);

log(`runner bench: (c) a ${size.stormMs / 1000} s storm of 429s, calm run then stormy run…`);
const storm = await measureStorm(size.limited, size.stormMs);
// The storm's cost is measured where it falls, from the first request to the last answer: start-up
// and reports are the same work in both runs, and on a busy machine their noise would swamp it.
const lostMs = storm.storm.requestsMs - storm.calm.requestsMs;
add([
  `(c) 429 storm: every request 429 (retry-after 1 s) for ${size.stormMs / 1000} s, from 2 s into the run; ${storm.calm.cells} cells, generous limits`,
  `first request → last answer: calm ${fmtMs(storm.calm.requestsMs)}, stormy ${fmtMs(storm.storm.requestsMs)} (wall ${fmtMs(storm.calm.wallMs)}, ${fmtMs(storm.storm.wallMs)}): time lost ${fmtMs(lostMs)} = ${(lostMs / storm.stormMs).toFixed(2)}× the storm (ideal: 1.00×, the storm's length); ${storm.storm.requests - storm.storm.cells} requests answered 429; ${storm.storm.lost} cells lost`,
  `≤ ${TARGET.storm}× the storm, 0 lost`,
  verdict('(c)', lostMs <= TARGET.storm * storm.stormMs && storm.storm.lost === 0 && storm.calm.lost === 0),
]);

log('runner bench: (d) cost of the default suite from the emulators\' usage…');
const cost = await measureCost(size.costCells);
add([
  `(d) cost: ${tiny ? `${cost.cells} cells of ` : ''}the default suite (evals/default.yaml${tiny ? '' : `, ${cost.cells} cells`}), ~2,500-word answers, prices of src/providers/prices.json`,
  `live ${usd(cost.live)} (output ${usd(cost.output)}, ${Math.round((100 * cost.output) / cost.live)}%; ${cost.cachedInputTokens.toLocaleString('en')} of ${cost.inputTokens.toLocaleString('en')} input tokens read from the cache); every system prompt a cache hit ${usd(cost.allHits)}; no caching ${usd(cost.noCache)}; never cached (under ${MIN_CACHEABLE.toLocaleString('en')} tokens): ${cost.uncacheable.join(', ') || 'none'}; batch: not measured here (issue 15 §2)`,
  'batch ≤ 0.5× live (§2)',
  'n/a here',
]);

log('runner bench: (e1) re-run of a stored and graded suite…');
const rerun = await measureRerun({ ...size.rerun, documents }, RERUN_TIMEOUT_MS, referenceAtStart);
const timing = (t: RerunTiming) =>
  `${t.timedOut ? `killed after ${fmtMs(t.wallMs)}` : `wall ${fmtMs(t.wallMs)}`}, peak RSS ${fmtMb(t.peakRss)}` +
  (t.runnerMs === null ? '' : `; up to results.json ${fmtMs(t.runnerMs)}, ${fmtMb(t.runnerPeakRss)}; reports ${t.timedOut ? 'unfinished' : fmtMs(t.wallMs - t.runnerMs)}`) +
  ` (CPU reference loop just before: ${fmtMs(t.referenceMs)})`;
const rerunMet = (t: RerunTiming) => !t.timedOut && t.wallMs < TARGET.rerunMs && t.peakRss !== null && t.peakRss < TARGET.rerunBytes;
add([
  `(e1) re-run: ${rerun.cells.toLocaleString('en')} cells stored and graded (${Math.round(rerun.storedMb)} MB of outputs); timed once the CPU has cooled down after the setup, and right after it`,
  `cooled: ${timing(rerun.cooled)}. Right after the setup's load: ${timing(rerun.loaded)}${rerunMet(rerun.loaded) ? '' : ', which misses the target'}. (Setup, not timed: ${fmtMs(rerun.setupMs)})`,
  `< ${TARGET.rerunMs / 1000} s, < ${fmtMb(TARGET.rerunBytes)}`,
  verdict('(e1)', rerunMet(rerun.cooled)),
]);

log(`runner bench: (e2) grading ${size.grade} new outputs on 1 and 2 workers…`);
const texts = documents.map((d) => d.text);
const [one, two] = (await measureGrading(texts, size.grade, [1, 2], tiny ? 1 : 4)) as [GradingRun, GradingRun];
const usable = Math.min(2, cores);
add([
  `(e2) grading ${size.grade.toLocaleString('en')} new outputs (${documents.length} documents, mean ${meanWords.toLocaleString('en')} words, ${meanKb.toFixed(1)} KB)`,
  `1 worker ${one.docsPerSecond.toFixed(1)} docs/s (${one.coresBusy.toFixed(2)} cores busy), 2 workers ${two.docsPerSecond.toFixed(1)} docs/s (${two.coresBusy.toFixed(2)} cores busy): ${(two.docsPerSecond / one.docsPerSecond).toFixed(2)}×; both pools started and warmed (4 documents a worker, all 3 workers at once, from the sources through tsx: not timed) in ${fmtMs(two.startupMs)}`,
  `2 workers: ≥ ${(TARGET.busy * usable).toFixed(1)} cores busy`,
  verdict('(e2)', two.coresBusy >= TARGET.busy * usable),
]);

const problems = [...live.problems, ...rerun.problems];
const load = (l: number[]) => l.map((x) => x.toFixed(2)).join(' ');
const cpu = cpuTicks();
// On a virtual machine the host can take the CPU away ("steal"): the same run measured 8.3 s and
// 13.9 s an hour apart here. The share stolen says how much a figure may be off.
const stolen = cpu && cpuAtStart ? `, ${((100 * (cpu.steal - cpuAtStart.steal)) / Math.max(1, cpu.total - cpuAtStart.total)).toFixed(1)}% of CPU time stolen by the host` : '';
// The CPU's speed moves too, and steal does not show it: a fixed loop, timed (reference.ts).
const reference = `; CPU reference loop ${fmtMs(referenceAtStart)} at the start, ${fmtMs(referenceLoopMs())} at the end (lower is faster; 355–645 ms seen within two hours on the 2-core VM these figures come from)`;
console.log(`\nrunner bench: node ${process.version}, ${cores} cores, load average ${load(loadAtStart)} at the start, ${load(loadavg())} at the end${stolen}${reference}${tiny ? ', TINY sizes (figures only)' : ''}\n`);
console.log(table(['measurement', 'result', 'target', 'verdict'], rows));
for (const p of problems) console.log(`PROBLEM: ${p}`);
if (missed.length) console.log(`targets missed: ${missed.join(', ')}`);
process.exitCode = missed.length || problems.length ? 1 : 0;

/** The machine's CPU time so far, in ticks, and the part stolen by a hypervisor (Linux /proc/stat; null elsewhere). */
function cpuTicks(): { total: number; steal: number } | null {
  try {
    const fields = readFileSync('/proc/stat', 'utf8').split('\n')[0]!.trim().split(/\s+/).slice(1).map(Number);
    return { total: fields.reduce((a, b) => a + b, 0), steal: fields[7] ?? 0 };
  } catch {
    return null;
  }
}
