// `promptgate init`: the scaffolded project lints and runs at once, offline and with no key (the
// models are skipped, the references graded by the suite's generic checks), from any subfolder;
// nothing is overwritten without --force.

import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Results } from '../runner/results.ts';
import { cli, tempDir } from '../testing/cli.ts';
import { runIds } from '../testing/eval-cli.ts';

// No key, and endpoints on a closed port: a run that wrongly tried a model would show as an error.
const OFFLINE = { ANTHROPIC_API_KEY: undefined, OPENAI_API_KEY: undefined, ANTHROPIC_BASE_URL: 'http://127.0.0.1:9', OPENAI_BASE_URL: 'http://127.0.0.1:9' };

describe('promptgate init', () => {
  it('scaffolds a project that lints and evals offline at once, from a subfolder, with package.json scripts', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'team-prompts', version: '1.0.0', scripts: { test: 'vitest', eval: 'mine' } }));
    const init = await cli(['init'], dir);
    expect(init.stderr).toBe('');
    expect(init.code).toBe(0);
    expect(init.stdout).toMatch(/prompts\/pipeline-runbook\/1\.0\.0\.md/);
    const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { name: string; scripts: Record<string, string> };
    expect(pkg).toMatchObject({ name: 'team-prompts', scripts: { test: 'vitest', eval: 'mine', gate: 'promptgate gate' } });
    for (const f of ['promptgate.config.yaml', 'evals/default.yaml', '.github/workflows/prompt-eval.yml', 'datasets/scenarios/orders-nightly-batch.yaml']) expect(existsSync(join(dir, f)), f).toBe(true);

    expect((await cli(['registry', 'lint'], dir)).code).toBe(0);
    expect((await cli(['dataset', 'lint'], dir)).code).toBe(0);
    mkdirSync(join(dir, 'notes/deep'), { recursive: true });
    const run = await cli(['eval'], join(dir, 'notes/deep'), { env: OFFLINE });
    expect(run.stderr).toMatch(/skipping Claude Sonnet 5\.5: set ANTHROPIC_API_KEY/);
    expect(run.code, run.stderr).toBe(0);
    const [id] = runIds(join(dir, 'reports/runs'));
    const results = JSON.parse(readFileSync(join(dir, 'reports/runs', id!, 'results.json'), 'utf8')) as Results;
    const refs = results.cells.filter((c) => c.provider === 'reference');
    expect(refs.map((c) => c.scenario).sort()).toEqual(['clickstream-streaming', 'orders-nightly-batch']);
    // Graded by the suite's generic checks, not by the Pipeline Design Architect's graders.
    expect(Object.keys(refs[0]!.grades).sort()).toEqual(['headings', 'no-placeholders', 'numbered-steps', 'safe-rerun', 'words']);
    expect(refs.every((c) => c.pass === true && c.score === 1)).toBe(true);
    expect(results.cells.filter((c) => c.provider !== 'reference')).toHaveLength(0);
    expect(existsSync(join(dir, 'reports/runs', id!, 'report.html'))).toBe(true);
  });

  it('never overwrites without --force, and refuses a broken package.json before writing anything', async () => {
    const dir = tempDir();
    expect((await cli(['init'], dir)).code).toBe(0);
    const again = await cli(['init'], dir);
    expect(again.code).toBe(2);
    expect(again.stderr.trim()).toMatch(/^promptgate: init: .*promptgate\.config\.yaml is already there; expected a folder without a promptgate project \(or --force to overwrite\)$/);
    writeFileSync(join(dir, 'evals/default.yaml'), 'edited\n');
    expect((await cli(['init', '--force'], dir)).code).toBe(0);
    expect(readFileSync(join(dir, 'evals/default.yaml'), 'utf8')).toMatch(/^# The default suite/);

    const broken = tempDir();
    writeFileSync(join(broken, 'package.json'), '{"scripts": [1]}');
    const bad = await cli(['init'], broken);
    expect(bad.code).toBe(2);
    expect(bad.stderr.trim()).toMatch(/package\.json: \/scripts: expected an object$/);
    expect(existsSync(join(broken, 'promptgate.config.yaml'))).toBe(false);
  });

  it('writes into a folder it is given, and says where', async () => {
    const dir = tempDir();
    const r = await cli(['init', 'prompts-project'], dir);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/cd prompts-project/);
    expect(JSON.parse(readFileSync(join(dir, 'prompts-project/package.json'), 'utf8'))).toMatchObject({ name: 'prompts-project', private: true, scripts: { eval: 'promptgate eval' } });
  });
});
