// `npm run bench:gate`: the gate's error rates where it is used — the real gate() on realistic
// simulated grader scores (bench/gate/realistic.ts), with the designs and policies the project
// ships (evals/baseline.yaml, evals/smoke.yaml for pull requests, evals/nightly.yaml). Each row
// is ≥ 1,000 seeded trials (--trials N to change), printed with a 95% Wilson interval and the
// issue-10 target it answers. Trials run in two child processes (one per core).
//
//   npm run bench:gate                  # all rows, 1,000 trials each (~10 min on 2 idle cores)
//   npm run bench:gate -- --trials 200  # a quicker look
//
// Exits 1 when a target is missed (its point estimate on the wrong side).

import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { GatePolicy } from '../src/gate/policy.ts';
import { rate, shippedDesigns, trial, type Condition, type Design } from './gate/simulate.ts';

interface Row {
  target: string;
  suite: 'smoke' | 'nightly';
  condition: Condition;
  /** What is counted: the check failing, the first model (the one with the drop) failing, or its 95% CI holding the true difference 0. */
  count: 'check' | 'first' | 'covered';
  /** The target: at most (false alarms) or at least (power). */
  atMost?: number;
  atLeast?: number;
  /** Gate against the frozen baseline even though the suite uses a control (to show what the control buys). */
  noControl?: boolean;
}

const ROWS: Row[] = [
  { target: 'PR check, unchanged prompt, 2 models: fails ≤ 5%', suite: 'smoke', condition: { name: 'null' }, count: 'check', atMost: 0.05 },
  { target: '  same, heavy tails + collapses + per-scenario noise', suite: 'smoke', condition: { name: 'null-harsh', harsh: true }, count: 'check', atMost: 0.05 },
  { target: 'PR check: catches a 0.10 drop of one model ≥ 85%', suite: 'smoke', condition: { name: 'drop10', drop: { size: 0.1 } }, count: 'first', atLeast: 0.85 },
  { target: '  same, harsh scores', suite: 'smoke', condition: { name: 'drop10-harsh', harsh: true, drop: { size: 0.1 } }, count: 'first', atLeast: 0.85 },
  { target: 'PR check, drift ±0.02, same-day control: fails ≤ 5%', suite: 'smoke', condition: { name: 'drift', drift: 0.02 }, count: 'check', atMost: 0.05 },
  { target: '  (for comparison: against the frozen baseline)', suite: 'smoke', condition: { name: 'drift', drift: 0.02 }, count: 'check', noControl: true },
  { target: 'nightly, unchanged prompt, 2 models: fails ≤ 5%', suite: 'nightly', condition: { name: 'null' }, count: 'check', atMost: 0.05 },
  { target: '  same, harsh scores', suite: 'nightly', condition: { name: 'null-harsh', harsh: true }, count: 'check', atMost: 0.05 },
  { target: 'nightly: catches a uniform 0.05 drop ≥ 80%', suite: 'nightly', condition: { name: 'drop05', drop: { size: 0.05 } }, count: 'first', atLeast: 0.8 },
  { target: '  same, harsh scores', suite: 'nightly', condition: { name: 'drop05-harsh', harsh: true, drop: { size: 0.05 } }, count: 'first', atLeast: 0.8 },
  { target: 'nightly: catches 0.05 concentrated in 2 of 16 scenarios ≥ 80%', suite: 'nightly', condition: { name: 'conc05', drop: { size: 0.05, concentrated: true } }, count: 'first', atLeast: 0.8 },
  { target: 'nightly, drift ±0.02, same-day control: fails ≤ 5%', suite: 'nightly', condition: { name: 'drift', drift: 0.02 }, count: 'check', atMost: 0.05 },
  { target: '  (for comparison: against the frozen baseline)', suite: 'nightly', condition: { name: 'drift', drift: 0.02 }, count: 'check', noControl: true },
  { target: 'nightly: catches a cost table broken in 2 of 16 scenarios ≥ 80%', suite: 'nightly', condition: { name: 'ct2', brokenCostTable: 2 }, count: 'first', atLeast: 0.8 },
  { target: "nightly, unchanged: the 95% CI holds the true difference (0)", suite: 'nightly', condition: { name: 'null' }, count: 'covered', atLeast: 0.93 },
  { target: '  same, harsh scores', suite: 'nightly', condition: { name: 'null-harsh', harsh: true }, count: 'covered', atLeast: 0.93 },
];

interface Job {
  row: number;
  design: Design;
  policy: GatePolicy;
  from: number;
  to: number;
}

function runJob(job: Job): number[] {
  const row = ROWS[job.row]!;
  const hits: number[] = [];
  for (let t = job.from; t < job.to; t++) {
    const r = trial(100_000 + t, job.design, row.condition, job.policy);
    hits.push(row.count === 'check' ? Number(r.outcome === 'fail') : row.count === 'first' ? Number(r.first === 'fail') : Number(r.coversZero === true));
  }
  return hits;
}

async function main(): Promise<void> {
  if (process.argv[2] === '--worker') {
    const jobs = JSON.parse(process.argv[3]!) as Job[];
    const shard = process.argv[4]!;
    const out = jobs.map((job, i) => {
      const hits = runJob(job);
      process.stderr.write(`shard ${shard}: row ${i + 1}/${jobs.length} done (${ROWS[job.row]!.target.trim()})\n`);
      return hits;
    });
    process.stdout.write(JSON.stringify(out));
    return;
  }
  const at = process.argv.indexOf('--trials');
  const trials = at > 0 ? Number(process.argv[at + 1]) : 1000;
  const shipped = shippedDesigns();
  const started = Date.now();
  const jobs = ROWS.map((row, i) => {
    const d = shipped[row.suite];
    return { row: i, design: row.noControl ? { ...d.design, controlSamples: 0 } : d.design, policy: d.policy, from: 0, to: trials };
  });
  // Two shards (one per core): the first half of every row's trials, and the second.
  const half = Math.floor(trials / 2);
  const shards = [jobs.map((j) => ({ ...j, to: half })), jobs.map((j) => ({ ...j, from: half }))];
  console.error(`${ROWS.length} rows × ${trials} trials on 2 processes; progress as rows finish:`);
  const outputs = await Promise.all(shards.map((s, i) => child(s, i + 1)));
  const hits = ROWS.map((_, i) => [...outputs[0]![i]!, ...outputs[1]![i]!].reduce((a, b) => a + b, 0));

  const d = shipped;
  const describe = (x: (typeof d)['smoke']) => `${x.design.scenarios} scenarios × ${x.design.samples} samples${x.control ? `, control ${x.design.controlSamples} per scenario` : ''}, maxDrop ${x.policy.maxDrop}${x.policy.escalate ? `, second batch +${x.policy.escalate.samples}` : ''}`;
  console.log(`gate error rates on realistic scores, ${trials} seeded trials per row (baseline: 16 scenarios × ${d.smoke.design.baselineSamples} samples, 2 models)`);
  console.log(`  PR (evals/smoke.yaml): ${describe(d.smoke)}; nightly (evals/nightly.yaml): ${describe(d.nightly)}\n`);
  let missed = 0;
  ROWS.forEach((row, i) => {
    const r = rate(hits[i]!, trials);
    const met = row.atMost !== undefined ? r.hits / r.trials <= row.atMost : row.atLeast !== undefined ? r.hits / r.trials >= row.atLeast : null;
    if (met === false) missed++;
    const pct = (x: number) => `${(100 * x).toFixed(1)}%`;
    console.log(`${row.target.padEnd(66)} ${pct(r.hits / r.trials).padStart(6)}  [${pct(r.lo)}, ${pct(r.hi)}]  ${met === null ? '' : met ? 'met' : 'MISSED'}`);
  });
  console.log(`\n(${((Date.now() - started) / 1000).toFixed(0)} s)`);
  process.exitCode = missed ? 1 : 0;
}

function child(jobs: Job[], shard: number): Promise<number[][]> {
  return new Promise((resolve, reject) => {
    const p = spawn(process.execPath, ['--import', 'tsx', fileURLToPath(import.meta.url), '--worker', JSON.stringify(jobs), String(shard)], { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    p.stdout.on('data', (d) => (out += d));
    p.on('close', (code) => (code === 0 ? resolve(JSON.parse(out) as number[][]) : reject(new Error(`gate bench worker exited ${code}`))));
  });
}

await main();
