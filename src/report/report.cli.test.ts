// `promptgate report` end to end: the real bin in a child process, in a temp folder holding
// synthetic runs (small ones: the structure tests use the full-size run).

import { mkdirSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_POLICY } from '../../graders/grade.ts';
import { buildBaseline, formatBaseline } from '../gate/baseline.ts';
import type { Results } from '../runner/results.ts';
import { cli, tempDir } from '../testing/cli.ts';
import { syntheticRun, type SyntheticRun } from '../../bench/report/fixture.ts';

let root: string;
let older: SyntheticRun;
let run: SyntheticRun;

beforeAll(() => {
  root = tempDir();
  older = syntheticRun({ root, runId: '2026-11-01T09-00-00Z-older', versions: ['1.1.0'], scenarios: 3, samples: 2, shift: -0.2, extras: false });
  // Written last, so reports/latest points at it.
  run = syntheticRun({ root, scenarios: 3, samples: 2 });
}, 60_000);

const report = (...args: string[]) => cli(['report', ...args, '--runs', join(root, 'runs')], root);

describe('promptgate report', () => {
  it('writes report.md, report.html and junit.xml into the run folder', async () => {
    const { code, stdout, stderr } = await report(run.runId);
    expect(code, stderr).toBe(0);
    for (const f of ['report.md', 'report.html', 'junit.xml']) {
      expect(stdout).toContain(join(run.dir, f));
      expect(existsSync(join(run.dir, f))).toBe(true);
    }
  });

  it('reports the latest run when no run is named, and prints the paths as JSON with --json', async () => {
    const { code, stdout } = await report('--json');
    expect(code).toBe(0);
    expect(JSON.parse(stdout)).toEqual({ md: join(run.dir, 'report.md'), html: join(run.dir, 'report.html'), junit: join(run.dir, 'junit.xml') });
  });

  it('compares with another run', async () => {
    const { code, stderr } = await report('latest', '--compare', older.runId);
    expect(code, stderr).toBe(0);
    const md = readFileSync(join(run.dir, 'report.md'), 'utf8');
    expect(md).toContain(`**Compared with** run ${older.runId}`);
    expect(md).toMatch(new RegExp(`1\\.2\\.0 in this run (beats|is worse than|vs) 1\\.1\\.0 in run ${older.runId}`));
  });

  it('compares with the baseline, and says how to make one when there is none', async () => {
    const missing = await report(run.runId, '--compare', 'baseline');
    expect(missing.code).toBe(2);
    expect(missing.stderr).toBe('promptgate: no reports/baseline.json; run promptgate baseline update\n');
    const results = JSON.parse(readFileSync(join(older.dir, 'results.json'), 'utf8')) as Results;
    mkdirSync(join(root, 'reports'), { recursive: true });
    writeFileSync(join(root, 'reports/baseline.json'), formatBaseline(buildBaseline(results, '1.1.0', DEFAULT_POLICY)));
    const { code, stderr } = await report(run.runId, '--compare', 'baseline');
    expect(code, stderr).toBe(0);
    const md = readFileSync(join(run.dir, 'report.md'), 'utf8');
    expect(md).toContain(`**Compared with** the baseline (run ${older.runId})`);
    expect(md).toMatch(/1\.2\.0 in this run .* 1\.1\.0 in the baseline \(run /);
  });

  it('rejects bad input with one line and exit 2', async () => {
    const cases: [string[], RegExp][] = [
      [['no-such-run'], /^promptgate: no-such-run: no such run in .*runs \(expected a run id, latest, or a run folder\)\n$/],
      [[run.runId, older.runId], /^promptgate: report: expected at most one run \(RUN_ID or latest\), got 2: /],
      [[run.runId, '--compare', run.runId], /^promptgate: report: --compare .* is the run being reported; pick another run\n$/],
      [[run.runId, '--colour'], /^promptgate: report: unknown option '--colour'/],
    ];
    for (const [args, message] of cases) {
      const { code, stderr } = await report(...args);
      expect(code, args.join(' ')).toBe(2);
      expect(stderr).toMatch(message);
    }
  });

  it('names the file and the field when results.json is malformed', async () => {
    const broken = syntheticRun({ root: tempDir(), runId: 'broken', versions: ['1.1.0'], scenarios: 1, samples: 1, extras: false });
    const file = join(broken.dir, 'results.json');
    const results = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
    delete results.summary;
    writeFileSync(file, JSON.stringify(results));
    const { code, stderr } = await cli(['report', broken.dir], root);
    expect(code).toBe(2);
    expect(stderr).toBe(`promptgate: ${file}: /: must have required property 'summary'; expected a results.json written by promptgate eval\n`);
  });
});
