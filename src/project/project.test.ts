// The project root and its config: found from any subfolder, folders named by the config, a bad
// config is one line and exit 2, and no root at all means the current folder, as before.

import { cpSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli, root, tempDir } from '../testing/cli.ts';
import { findRoot, loadProject } from './root.ts';

function project(config: Record<string, string>): string {
  const dir = tempDir();
  for (const [name, text] of Object.entries(config)) {
    mkdirSync(join(dir, name, '..'), { recursive: true });
    writeFileSync(join(dir, name), text);
  }
  mkdirSync(join(dir, 'deep/er/still'), { recursive: true });
  return dir;
}

describe('finding the root', () => {
  it('walks up to the nearest config file or package.json with a promptgate key, past one without', async () => {
    const dir = project({ 'promptgate.config.yaml': 'paths:\n  prompts: llm/prompts\n', 'deep/package.json': '{"name":"inner"}' });
    expect(findRoot(join(dir, 'deep/er/still'))).toMatchObject({ root: dir, file: join(dir, 'promptgate.config.yaml') });
    const p = await loadProject(join(dir, 'deep/er'));
    expect(p.paths.prompts).toBe('llm/prompts');
    expect(p.paths.runs).toBe('reports/runs');
    const pkg = project({ 'package.json': '{"name":"x","promptgate":{"paths":{"store":"cache/answers"}}}' });
    expect((await loadProject(join(pkg, 'deep'))).paths.store).toBe('cache/answers');
  });

  it('loads a module config (default export), and uses the current folder when there is no root', async () => {
    const dir = project({ 'promptgate.config.mjs': "export default { paths: { evals: 'suites', suite: 'suites/main.yaml' } };\n" });
    expect((await loadProject(join(dir, 'deep'))).paths.suite).toBe('suites/main.yaml');
    const bare = tempDir();
    expect(await loadProject(bare)).toMatchObject({ root: bare, configFile: null, paths: { prompts: 'prompts' } });
  });
});

describe('the CLI in a project', () => {
  it('runs registry and dataset commands from a subfolder, with the folders the config names', async () => {
    const dir = project({ 'promptgate.config.json': JSON.stringify({ paths: { prompts: 'llm/prompts', scenarios: 'llm/scenarios' } }) });
    cpSync(join(root, 'prompts'), join(dir, 'llm/prompts'), { recursive: true });
    cpSync(join(root, 'datasets/scenarios'), join(dir, 'llm/scenarios'), { recursive: true });
    const list = await cli(['registry', 'list'], join(dir, 'deep/er'));
    expect(list.stderr).toBe('');
    expect(list.code).toBe(0);
    expect(list.stdout).toMatch(/pipeline-design-architect\s+1\.1\.0\s+released/);
    const lint = await cli(['dataset', 'lint'], join(dir, 'deep'));
    expect(lint.code).toBe(0);
  });

  it.each([
    ['promptgate.config.json', '{"paths":{"prompts":3}}', /promptgate\.config\.json: \/paths\/prompts: expected must be string$/],
    ['promptgate.config.yaml', 'paths:\n  prompt: x\n', /promptgate\.config\.yaml: \/paths: unknown field "prompt"$/],
    ['promptgate.config.yaml', 'paths: [\n', /promptgate\.config\.yaml:\d+:\d+: YAML syntax error/],
    ['promptgate.config.json', '{"paths":', /promptgate\.config\.json: not valid JSON/],
    ['package.json', '{"promptgate":{"graders":"x"}}', /package\.json: \/promptgate: \/graders: expected must be array$/],
    ['promptgate.config.mjs', 'export default {;\n', /promptgate\.config\.mjs: cannot be loaded .*expected a module/],
  ])('a bad %s is exit 2 with one line naming file, field and what was expected', async (name, text, message) => {
    const dir = project({ [name]: text });
    const r = await cli(['registry', 'list'], join(dir, 'deep'));
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr.trim()).toMatch(message);
  });
});

describe("a prompt's own scenarios (datasets/scenarios/<prompt-id>/)", () => {
  it('are picked by "all" and tags only for that prompt; other suites keep the scenarios for every prompt', async () => {
    const { loadScenarios, selectScenarios } = await import('../dataset/load.ts');
    const { scenarios, problems } = loadScenarios(join(root, 'datasets/scenarios'));
    expect(problems).toEqual([]);
    const own = selectScenarios(scenarios, 'all', 'pipeline-incident-postmortem');
    expect(own.map((s) => s.id).sort()).toEqual(['consumer-offset-duplicates', 'schema-drift-late-finance', 'vendor-null-features']);
    expect(own.every((s) => s.prompt === 'pipeline-incident-postmortem')).toBe(true);
    const shared = selectScenarios(scenarios, 'all', 'pipeline-design-architect');
    expect(shared).toEqual(selectScenarios(scenarios, 'all'));
    expect(shared.some((s) => s.prompt !== undefined)).toBe(false);
    expect(shared.length).toBeGreaterThanOrEqual(16);
    expect(() => selectScenarios(scenarios, 'tag:smoke', 'pipeline-incident-postmortem')).toThrow(/^no scenario of pipeline-incident-postmortem has tag "smoke"/);
    // An id is found wherever it is.
    expect(selectScenarios(scenarios, 'vendor-null-features,payments-pci').map((s) => s.id)).toEqual(['vendor-null-features', 'payments-pci']);
  });

  it('refuses a scenario whose prompt field contradicts its folder', async () => {
    const dir = project({ 'scenarios/other/x.yaml': readFileSync(join(root, 'datasets/scenarios/pipeline-incident-postmortem/vendor-null-features.yaml'), 'utf8').replace('id: vendor-null-features', 'id: x\nprompt: pipeline-incident-postmortem') });
    const { loadScenarios } = await import('../dataset/load.ts');
    expect(loadScenarios(join(dir, 'scenarios')).problems).toEqual([`${join(dir, 'scenarios/other/x.yaml')}: /prompt: "pipeline-incident-postmortem" does not match its folder; expected "other"`]);
  });
});

describe("the project config's grader modules", () => {
  it('grade and calibrate with them like built-in graders; a broken one is exit 2 naming the config', async () => {
    const dir = project({
      'promptgate.config.json': JSON.stringify({ graders: ['./checks/has-title.mjs'] }),
      // The contract needs no import: an object of the shape defineGrader returns.
      'checks/has-title.mjs': `export default { id: 'has-title', description: 'starts with a # title', weight: 1,
  grade: (doc) => doc.sections[0]?.depth === 1 ? { pass: true, score: 1, reason: 'titled', evidence: { at: [{ line: doc.sections[0].line, note: 'title' }] } } : { pass: false, score: 0, reason: 'no title', evidence: { at: [] } } };\n`,
      'cal/titled.md': '# Title\n\nSome text.\n',
      'cal/untitled.md': 'Some text without a title.\n',
      'cal/labels.yaml': 'titled.md:\n  description: has a title\n  expect: { has-title: true }\nuntitled.md:\n  description: none\n  expect: { has-title: false }\n',
    });
    const graded = await cli(['grade', 'cal/titled.md', '--json'], dir);
    expect(JSON.parse(graded.stdout).graders['has-title']).toMatchObject({ pass: true, reason: 'titled', evidence: { at: [{ line: 1, note: 'title' }] } });
    const cal = await cli(['calibrate', '--dir', '../cal'], join(dir, 'deep'));
    expect(cal.stderr).toBe('');
    expect(cal.code).toBe(0);
    expect(cal.stdout).toMatch(/has-title/);
    writeFileSync(join(dir, 'checks/has-title.mjs'), 'export default { id: "has-title" };\n');
    const broken = await cli(['grade', 'cal/titled.md'], dir);
    expect(broken.code).toBe(2);
    expect(broken.stderr.trim()).toMatch(/promptgate\.config\.json: \/graders\/0: \.\/checks\/has-title\.mjs: description is missing; expected a default export made with defineGrader/);
  });
});
