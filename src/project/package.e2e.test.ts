// The package as a user gets it: `npm pack`, then installed into an empty folder and used there.
// Offline: npm cannot fetch registry metadata here, so the folder gets a package-lock.json made
// from this repository's (the same versions, resolved URLs and integrity hashes, minus the
// devDependencies), and `npm ci --offline` installs every dependency from the local npm cache,
// as `npm install promptgate` would from the registry.

import { execFile } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Results } from '../runner/results.ts';
import { root, tempDir } from '../testing/cli.ts';

const exec = promisify(execFile);
const OFFLINE = { ANTHROPIC_API_KEY: undefined, OPENAI_API_KEY: undefined, ANTHROPIC_BASE_URL: 'http://127.0.0.1:9', OPENAI_BASE_URL: 'http://127.0.0.1:9' };

let project = '';

async function run(cmd: string, args: string[], cwd: string, env: Record<string, string | undefined> = {}) {
  const merged: Record<string, string | undefined> = { ...process.env, NO_COLOR: '1', npm_config_update_notifier: 'false', ...env };
  for (const [k, v] of Object.entries(merged)) if (v === undefined) delete merged[k];
  try {
    const { stdout, stderr } = await exec(cmd, args, { cwd, env: merged as NodeJS.ProcessEnv, maxBuffer: 32 * 1024 * 1024 });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code?: number; stdout?: string; stderr?: string };
    return { code: typeof e.code === 'number' ? e.code : -1, stdout: e.stdout ?? '', stderr: e.stderr ?? '' };
  }
}

/** A lock for `{ promptgate: file:<tgz> }` with this repository's resolved dependencies. */
function lockFor(tgz: string) {
  const lock = JSON.parse(readFileSync(join(root, 'package-lock.json'), 'utf8')) as { packages: Record<string, { dev?: boolean; link?: boolean } & Record<string, unknown>> };
  const self = lock.packages['']!;
  const packages: Record<string, unknown> = {
    '': { name: 'consumer', version: '1.0.0', dependencies: { promptgate: `file:${tgz}` } },
    'node_modules/promptgate': { version: self.version, resolved: `file:${tgz}`, license: 'MIT', dependencies: self.dependencies, bin: self.bin, engines: self.engines },
  };
  for (const [path, entry] of Object.entries(lock.packages)) if (path && !entry.dev && !entry.link) packages[path] = entry;
  return { name: 'consumer', version: '1.0.0', lockfileVersion: 3, requires: true, packages };
}

beforeAll(async () => {
  const tmp = tempDir();
  // With its scripts, as npm publish does: `prepare` builds lib/ (the promptgate/promptfoo entry).
  const packed = await run('npm', ['pack', '--pack-destination', tmp], root);
  expect(packed.code, packed.stderr).toBe(0);
  const tgz = readdirSync(tmp).find((f) => f.endsWith('.tgz'))!;
  project = join(tmp, 'consumer');
  mkdirSync(project);
  writeFileSync(join(project, 'package.json'), JSON.stringify({ name: 'consumer', version: '1.0.0', private: true, dependencies: { promptgate: `file:../${tgz}` } }, null, 2));
  writeFileSync(join(project, 'package-lock.json'), JSON.stringify(lockFor(`../${tgz}`), null, 2));
  const installed = await run('npm', ['ci', '--offline', '--no-audit', '--no-fund', '--ignore-scripts'], project);
  expect(installed.code, installed.stderr).toBe(0);
}, 240_000);

describe('promptgate installed from npm pack into an empty folder', () => {
  it('ships what it needs and nothing of its own tests or data', () => {
    const pkg = join(project, 'node_modules/promptgate');
    const files = readdirSync(pkg).sort();
    expect(files).toEqual(expect.arrayContaining(['LICENSE', 'README.md', 'bin', 'graders', 'package.json', 'src']));
    expect(files).not.toContain('datasets');
    expect(files).not.toContain('bench');
    expect(readdirSync(join(pkg, 'src'))).not.toContain('testing');
    expect(readFileSync(join(pkg, 'LICENSE'), 'utf8')).toMatch(/^MIT License/);
  });

  it('runs --help, grade, init, registry list from a subfolder, and an offline eval with a TypeScript grader of the project', async () => {
    const npx = (args: string[], cwd = project, env = {}) => run('npx', ['--no-install', 'promptgate', ...args], cwd, env);
    const help = await npx(['--help']);
    expect(help.code, help.stderr).toBe(0);
    expect(help.stdout).toMatch(/^promptgate — prompt evaluation and regression harness/);

    writeFileSync(join(project, 'answer.md'), '# Design\n\nToo short to pass.\n');
    const graded = await npx(['grade', 'answer.md', '--json']);
    expect(graded.stderr).toBe('');
    expect(JSON.parse(graded.stdout)).toMatchObject({ file: 'answer.md', pass: false, graders: { sections: { pass: false } } });

    const init = await npx(['init']);
    expect(init.code, init.stderr).toBe(0);
    mkdirSync(join(project, 'src/deep'), { recursive: true });
    const list = await npx(['registry', 'list'], join(project, 'src/deep'));
    expect(list.code, list.stderr).toBe(0);
    expect(list.stdout).toMatch(/pipeline-runbook\s+1\.0\.0\s+released/);

    // A grader of the project's own, in TypeScript, importing only the public API: no loader, no build.
    mkdirSync(join(project, 'graders'));
    writeFileSync(
      join(project, 'graders/escalation-names.ts'),
      `import { at, defineGrader, grade, type Document } from 'promptgate';
const names = (doc: Document) => doc.items.filter((i) => /lead|on-call|engineer|analyst/i.test(i.text));
export default defineGrader({
  id: 'escalation-names',
  description: 'the escalation list names who to call',
  weight: 1,
  grade: (doc) => (names(doc).length ? grade(true, 1, \`\${names(doc).length} people to call\`, names(doc).map((i) => at(i.line, 'who'))) : grade(false, 0, 'nobody to call', [])),
});
`,
    );
    const config = readFileSync(join(project, 'promptgate.config.yaml'), 'utf8').replace('graders: []', 'graders: [./graders/escalation-names.ts]');
    writeFileSync(join(project, 'promptgate.config.yaml'), config);
    const evaluated = await run('npm', ['run', 'eval'], join(project, 'src'), OFFLINE);
    expect(evaluated.code, evaluated.stderr).toBe(0);
    const runs = join(project, 'reports/runs');
    const [id] = readdirSync(runs);
    const results = JSON.parse(readFileSync(join(runs, id!, 'results.json'), 'utf8')) as Results;
    const refs = results.cells.filter((c) => c.provider === 'reference');
    expect(refs).toHaveLength(2);
    expect(refs.every((c) => c.grades['escalation-names']?.pass === true && c.grades.headings?.pass === true)).toBe(true);

    const api = await run(process.execPath, ['--input-type=module', '-e', "const { defineGrader } = await import('promptgate'); console.log(defineGrader({ id: 'x', description: 'x', weight: 1, grade: () => null }).id)"], project);
    expect(api.stdout.trim()).toBe('x');

    // The promptfoo assertions (lib/promptfoo.js, built at prepare): plain JavaScript, importable as promptgate/promptfoo.
    const pf = await run(process.execPath, ['--input-type=module', '-e', "const { gradeAll } = await import('promptgate/promptfoo'); const r = gradeAll('# Design', {}); console.log(r.pass, r.componentResults.length)"], project);
    expect(pf.stdout.trim(), pf.stderr).toMatch(/^false \d+$/);
  }, 240_000);
});
