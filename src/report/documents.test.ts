// The drill-down's evidence lines come from the grade cache the run graded into; a document
// missing from it is graded again, to the same lines the graders give.

import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { expect, it } from 'vitest';
import { gradersVersion } from '../../graders/version.ts';
import { resolveScenario } from '../dataset/load.ts';
import { FsGradeCache, gradeKey } from '../runner/grade-cache.ts';
import { gradeOutput } from '../runner/grade-worker.ts';
import { FsStore } from '../runner/store.ts';
import { tempDir } from '../testing/cli.ts';
import { buildReport } from './build.ts';
import { drillData, FAST_PACK_CELLS, packDrillData, type CellView } from './documents.ts';
import { syntheticRun } from '../../bench/report/fixture.ts';
import { loadRun } from './load.ts';

it('takes evidence lines from the grade cache, and grades a document the cache lacks', () => {
  const synthetic = syntheticRun({ root: tempDir(), scenarios: 2, samples: 1, extras: false, distinct: true });
  const run = loadRun(synthetic.dir);
  const [cached, missing] = run.results.cells;
  const store = new FsStore(synthetic.storeDir);
  const job = (c: typeof cached) => ({ text: store.get(c!.storeKey!)!.completion.text, scenario: resolveScenario(c!.scenario), policy: run.policy });

  // A planted line proves where the evidence came from.
  const planted = gradeOutput(job(cached));
  planted.grades['sections']!.at = [[3, 'planted in the cache']];
  const cache = new FsGradeCache(join(synthetic.storeDir, 'grades'), gradersVersion());
  cache.put(gradeKey({ ...job(cached), gradersVersion: gradersVersion() }), planted);
  cache.close();

  const drill = drillData(buildReport(run, null), run, null);
  const lines = (id: string) => Object.fromEntries(drill.cells[id]!.grades.map((g) => [g.id, g.at]));
  expect(lines(cached!.id)['sections']).toEqual([[3, 'planted in the cache']]);
  const fresh = gradeOutput(job(missing));
  expect(lines(missing!.id)).toEqual(Object.fromEntries(Object.entries(fresh.grades).map(([id, g]) => [id, g.at])));
  expect(Object.values(lines(missing!.id)).some((at) => at.length > 0)).toBe(true);
}, 120_000);

it('packs the drill-down data to gzip + base64 that reads back as the same JSON, small runs and big', async () => {
  for (const n of [3, FAST_PACK_CELLS + 1]) {
    const cells = Object.fromEntries(Array.from({ length: n }, (_, i) => [`c${i}`, { ref: `c${i}`, score: i / n, reason: `cell ${i} · 2 € "quoted"` } as unknown as CellView]));
    const data = { cells, docs: { d1: '# Doc\n\n| a | b |\n' }, note: n > 3 ? 'big' : null };
    const packed = await packDrillData(data);
    expect(packed).toMatch(/^[A-Za-z0-9+/]+=*$/);
    expect(JSON.parse(gunzipSync(Buffer.from(packed, 'base64')).toString('utf8'))).toEqual(data);
  }
});
