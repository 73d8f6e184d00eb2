// Issue 15's bench row (d): what the default suite (evals/default.yaml) costs live, through the
// batch APIs, and through the batch APIs with prompt-cache hits — each from the usage the
// emulators report, at the price file's prices, as results.json totals it after a real
// `promptgate eval` (the CLI in a child process, the real SDKs). Target: batch ≤ 0.5× live.
//
// Every cell is answered with a real ~2,500-word document (datasets/calibration/, picked by the
// request's hash, so live and batch get the same one): output is most of the bill, as with real
// models. Prompt caching as the real APIs do it (system prompts of ≥ 1,024 tokens): on for the
// live run and "batch with cache hits", off for plain "batch" (batch cache hits are best effort).
// Also checked: the batch runs grade every cell exactly as the live run did, and reach the same
// verdict against reports/baseline.json.
//
//   npx tsx bench/batch.bench.ts        (BENCH_TINY=1: two scenarios, figures only)

import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { sha256 } from '../src/canonical.ts';
import { table } from '../src/format.ts';
import { startEmulators, type Emulators } from '../src/testing/emulators.ts';
import { evalCli, readResults, runIds } from '../src/testing/eval-cli.ts';
import type { Results } from '../src/runner/results.ts';
import { root, temp } from './runner/util.ts';

const tiny = process.env.BENCH_TINY === '1';
const TARGET = 0.5;
const REAL_MIN_CACHEABLE = 1024;
const log = (line: string) => process.stderr.write(`${line}\n`);

const calibration = join(root, 'datasets/calibration');
const documents = readdirSync(calibration)
  .filter((f) => f.endsWith('.md'))
  .map((f) => readFileSync(join(calibration, f), 'utf8'))
  .filter((t) => t.split(/\s+/).length >= 2000);
const docFor = (r: { model: string; system: string; user: string }) => documents[parseInt(sha256(`${r.model}\n${r.system}\n${r.user}`).slice(0, 8), 16) % documents.length]!;

interface Mode {
  name: string;
  batch: boolean;
  minCacheable: number;
}
const modes: Mode[] = [
  { name: 'live', batch: false, minCacheable: REAL_MIN_CACHEABLE },
  { name: 'batch', batch: true, minCacheable: Number.MAX_SAFE_INTEGER },
  { name: 'batch with cache hits', batch: true, minCacheable: REAL_MIN_CACHEABLE },
];

async function runMode(mode: Mode): Promise<{ results: Results; verdict: string; requests: number; batches: number; store: string }> {
  const emu: Emulators = await startEmulators({ minCacheableTokens: mode.minCacheable, respond: (req) => ({ text: docFor(req) }) });
  emu.batches.script = { outcome: (item) => ({ ok: true, text: docFor(item) }) };
  const dir = temp('batch');
  const args = ['--suite', join(root, 'evals/default.yaml'), '--store', join(dir, 'store'), '--out', join(dir, 'runs'), ...(mode.batch ? ['--batch'] : []), ...(tiny ? ['--scenarios', 'ecommerce-hybrid,healthcare-hipaa'] : [])];
  try {
    const run = await evalCli(emu, args, { PROMPTGATE_BATCH_POLL_MS: '20' }).done;
    if (run.code !== 0) throw new Error(`${mode.name}: eval exited ${run.code}: ${run.stderr.trim().split('\n').at(-1)}`);
    const [id] = runIds(join(dir, 'runs'));
    const verdict = /compared with .*?: (\w+)/.exec(run.stdout)?.[1] ?? (existsSync(join(root, 'reports/baseline.json')) ? 'none' : 'no baseline');
    return { results: readResults(join(dir, 'runs'), id!), verdict, requests: emu.requests.length, batches: emu.batches.counts.batches, store: join(dir, 'store') };
  } finally {
    await emu.close();
  }
}

const measured: Array<{ mode: Mode; results: Results; verdict: string; requests: number; batches: number; store: string }> = [];
for (const mode of modes) {
  log(`batch bench: (d) the default suite, ${mode.name}…`);
  measured.push({ mode, ...(await runMode(mode)) });
}

const live = measured[0]!;
const problems: string[] = [];
const liveCells = new Map(live.results.cells.map((c) => [c.id, c]));
/** The stored answer's text and stop reason for a cell (the store's layout: <store>/<2 hex>/<key>.json). */
const answer = (store: string, key: string | null) => {
  if (!key) return null;
  const { completion } = JSON.parse(readFileSync(join(store, key.slice(0, 2), `${key}.json`), 'utf8')) as { completion: { text: string; stopReason: string } };
  return `${completion.stopReason}\n${completion.text}`;
};
const rows = measured.map(({ mode, results, verdict, requests, batches, store }) => {
  const t = results.totals;
  const output = results.cells.reduce((s, c) => s + c.usage.output, 0);
  const cacheRead = results.cells.reduce((s, c) => s + c.usage.cacheRead, 0);
  const ratio = t.costUsd / live.results.totals.costUsd;
  // The same answers as live, cell by cell; and the same grades unless the graders changed
  // between the runs (someone editing graders/ while the bench runs).
  const sameAnswers = results.cells.every((c) => liveCells.has(c.id) && answer(store, c.storeKey) === answer(live.store, liveCells.get(c.id)!.storeKey));
  const gradable = results.gradersVersion === live.results.gradersVersion;
  const same = sameAnswers && (!gradable || results.cells.every((c) => {
    const twin = liveCells.get(c.id)!;
    return twin.score === c.score && twin.pass === c.pass && twin.status === c.status;
  }));
  if (mode.batch && !sameAnswers) problems.push(`${mode.name}: some answers differ from the live run's`);
  if (mode.batch && !same) problems.push(`${mode.name}: some cells graded differently from the live run`);
  if (mode.batch && verdict !== live.verdict) problems.push(`${mode.name}: verdict ${verdict}, live ${live.verdict}`);
  if (mode.batch && (requests !== 0 || batches === 0)) problems.push(`${mode.name}: ${requests} live requests, ${batches} batches`);
  // Each cell's cost is rounded to a millionth of a dollar: a ratio within 1e-4 of the target meets it.
  const ok = !mode.batch || ratio <= TARGET + 1e-4;
  return [
    `(d) ${mode.name}`,
    `$${t.costUsd.toFixed(2)}`,
    `${t.finished}/${t.planned} cells, ${mode.batch ? `${batches} batches` : `${requests} requests`}, ${Math.round(output / 1000)}k output / ${Math.round(cacheRead / 1000)}k cache-read tokens`,
    `${ratio.toFixed(3)}× live`,
    mode.batch ? `≤ ${TARGET}× live` : 'the ideal: 1×',
    `${verdict}${mode.batch ? (!same ? ', GRADES DIFFER' : gradable ? ', same answers and grades' : ', same answers (graders changed meanwhile)') : ''}`,
    mode.batch ? (ok ? 'ok' : 'MISSED') : '',
  ];
});

console.log(`\nbatch bench: the default suite (${live.results.totals.planned} cells), cost from emulator usage at src/providers/prices.json${tiny ? ', TINY (figures only)' : ''}\n`);
console.log(table(['figure', 'cost', 'what', 'ratio', 'target', 'gate', 'verdict'], rows));
for (const p of problems) console.log(`PROBLEM: ${p}`);
const missed = rows.filter((r) => r[6] === 'MISSED').length;
process.exitCode = !tiny && (missed || problems.length) ? 1 : 0;
