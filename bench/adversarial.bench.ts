// `npx tsx bench/adversarial.bench.ts [shape ...]`: how grading scales on valid but pathological
// markdown (issue 11): each shape generated at 100 KB, 200 KB, 400 KB and 1 MB, then the bare
// remark + GFM parse, parseDocument and every grader timed alone (with a scenario). Each
// (shape, size) runs in its own child process with a wall-clock limit, so a quadratic spot or a
// stack overflow shows as "> N s" or "RangeError" instead of stopping the bench. A shape whose
// previous size already passed the limit is not tried bigger. BENCH_REMARK=1 also times the bare
// remark + GFM parse (last, since it is unbounded on some shapes).
//
// Prints one table per shape: ms per step, and the growth from 100 KB to 1 MB (≈10 is linear,
// ≈100 quadratic). BENCH_LIMIT_S sets the per-measurement limit (default 60).

import { spawnSync } from 'node:child_process';

import { SHAPES, SIZES } from './adversarial-shapes.ts';

const LIMIT_S = Number(process.env.BENCH_LIMIT_S ?? 60);

interface Measured {
  steps: Record<string, number>;
  error?: string;
}

/** In the child: time one (shape, size). */
async function measure(shape: string, size: number): Promise<Measured> {
  const { markdownProcessor, parseDocument } = await import('../graders/document.ts');
  const { graders } = await import('../graders/index.ts');
  const { resolveScenario } = await import('../src/dataset/load.ts');
  const scenario = resolveScenario('ecommerce-hybrid', new URL('../datasets/scenarios', import.meta.url).pathname);
  const text = SHAPES[shape]!(size);
  const steps: Record<string, number> = {};
  const time = (label: string, fn: () => unknown) => {
    const start = process.hrtime.bigint();
    fn();
    steps[label] = Number(process.hrtime.bigint() - start) / 1e6;
  };
  try {
    let doc!: ReturnType<typeof parseDocument>;
    time('parseDocument', () => (doc = parseDocument(text)));
    for (const g of graders) time(g.id, () => g.grade(doc, { scenario }));
    // The bare parse last, and only when asked: unbounded, it overflows or hangs on some shapes.
    if (process.env.BENCH_REMARK) time('remark', () => markdownProcessor.parse(text));
    return { steps };
  } catch (error) {
    return { steps, error: `${(error as Error).name}: ${(error as Error).message}`.slice(0, 120) };
  }
}

function child(shape: string, size: number): Measured | null {
  const run = spawnSync(process.execPath, ['--import', 'tsx', import.meta.filename, '--child', shape, String(size)], { encoding: 'utf8', timeout: LIMIT_S * 1000, maxBuffer: 1 << 20 });
  if (run.error || run.status !== 0) return run.signal ? null : { steps: {}, error: (run.stderr || String(run.error)).split('\n').find((l) => /Error/.test(l))?.slice(0, 120) ?? `exit ${run.status}` };
  return JSON.parse(run.stdout.trim().split('\n').pop()!) as Measured;
}

if (process.argv[2] === '--child') {
  const result = await measure(process.argv[3]!, Number(process.argv[4]));
  console.log(JSON.stringify(result));
} else {
  const only = process.argv.slice(2);
  const shapes = only.length ? only : Object.keys(SHAPES);
  console.log(`adversarial grading bench: node ${process.version}, limit ${LIMIT_S} s per (shape, size); ms`);
  for (const shape of shapes) {
    const rows: Array<{ size: number; m: Measured | null }> = [];
    for (const size of SIZES) {
      const last = rows.at(-1);
      if (last && (last.m === null || last.m.error)) break;
      rows.push({ size, m: child(shape, size) });
    }
    const total = (m: Measured | null) => (m ? Object.entries(m.steps).reduce((s, [k, v]) => s + (k === 'remark' ? 0 : v), 0) : null);
    const line = rows
      .map(({ size, m }) => `${size / 1024} KB: ${m === null ? `> ${LIMIT_S} s` : m.error ? `${m.error}` : `${m.steps.remark === undefined ? '' : `remark ${m.steps.remark.toFixed(0)}, `}grade ${total(m)!.toFixed(0)} (${slowest(m)})`}`)
      .join(' | ');
    console.log(`${shape.padEnd(16)} ${line}`);
  }
}

function slowest(m: Measured): string {
  return Object.entries(m.steps)
    .filter(([k]) => k !== 'remark')
    .sort((a, b) => b[1] - a[1])
    .slice(0, 2)
    .map(([k, v]) => `${k} ${v.toFixed(0)}`)
    .join(', ');
}
