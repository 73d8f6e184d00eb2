import { cpSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli, root, tempDir } from '../testing/cli.ts';
import { findVersion, loadRegistry, selectVersions } from './load.ts';
import { render, renderUserMessage, templateProblems } from './template.ts';
import { resolveScenario } from '../dataset/load.ts';

const prompts = join(root, 'prompts');
const ID = 'pipeline-design-architect';

/** A copy of the registry to change freely. */
function copy(): string {
  const dir = join(tempDir(), 'prompts');
  cpSync(prompts, dir, { recursive: true });
  return dir;
}

describe('the shipped registry', () => {
  const { versions, problems } = loadRegistry(prompts);

  it('loads without problems, by prompt id then in semver order', () => {
    expect(problems).toEqual([]);
    expect(versions.map((v) => `${v.meta.id} ${v.meta.version}:${v.meta.status}`)).toEqual(['pipeline-design-architect 1.1.0:released', 'pipeline-design-architect 1.2.0:candidate', 'pipeline-incident-postmortem 1.0.0:released']);
  });

  it('1.1.0 is the seed prompt block byte for byte', () => {
    const seed = readFileSync(join(root, 'datasets/seed/pipeline-design-architect.md'), 'utf8');
    const start = seed.indexOf('## Prompt\n\n```\n') + '## Prompt\n\n```\n'.length;
    const block = seed.slice(start, seed.indexOf('\n```\n', start));
    expect(block).toMatch(/^<role>[^]*<\/constraints>$/);
    const v = findVersion(versions, ID, '1.1.0');
    expect(v.text).toBe(block);
    expect(v.meta).toMatchObject({ status: 'released', created: '2025-01-15', updated: '2025-12-27' });
  });

  it('1.2.0 says in its changelog what changed and why', () => {
    const v = findVersion(versions, ID, '1.2.0');
    expect(v.meta.changelog[0]).toMatch(/^1\.2\.0: .*because/);
    expect(v.text).toContain('## 10. Cost Estimation');
  });

  it('selects released, candidates, all, or listed versions', () => {
    expect(selectVersions(versions, ID, 'released').map((v) => v.meta.version)).toEqual(['1.1.0']);
    expect(selectVersions(versions, ID, 'candidates').map((v) => v.meta.version)).toEqual(['1.2.0']);
    expect(selectVersions(versions, ID, '1.2.0,1.1.0').map((v) => v.meta.version)).toEqual(['1.2.0', '1.1.0']);
    expect(() => selectVersions(versions, ID, '1.3.0')).toThrow(/unknown version "1.3.0" of prompt "pipeline-design-architect"; closest: 1.1.0, 1.2.0/);
  });
});

describe('user message templates', () => {
  it('fills named variables from a scenario', () => {
    const scenario = resolveScenario('ecommerce-hybrid', join(root, 'datasets/scenarios'));
    expect(renderUserMessage('{{message}}', scenario)).toBe(scenario.message);
    expect(renderUserMessage('# {{ title }}\n\n{{message}}', scenario)).toBe(`# ${scenario.title}\n\n${scenario.message}`);
  });

  it('never renders a missing value as an empty string', () => {
    expect(() => render('{{message}} for {{team}}', { message: 'x' })).toThrow('template variable "{{team}}" has no value');
  });

  it('reports unknown variables and templates that ignore the scenario', () => {
    expect(templateProblems('{{mesage}}')[0]).toMatch(/unknown template variable "\{\{mesage\}\}"; expected one of \{\{message\}\}/);
    expect(templateProblems('Design a pipeline.')[0]).toMatch(/uses no variable/);
    expect(templateProblems('{{message}}')).toEqual([]);
  });
});

describe('promptgate registry', () => {
  it('lists versions with short sha256 and dates, and as JSON', async () => {
    const text = await cli(['registry', 'list']);
    expect(text.code).toBe(0);
    expect(text.stdout).toMatch(/pipeline-design-architect\s+1\.1\.0\s+released\s+[0-9a-f]{12}\s+2025-01-15\s+2025-12-27/);
    const json = JSON.parse((await cli(['registry', 'list', '--json'])).stdout);
    expect(json[0]).toMatchObject({ id: ID, version: '1.1.0', status: 'released', sha256: expect.stringMatching(/^[0-9a-f]{64}$/) });
  });

  it('lints the shipped registry clean', async () => {
    const { code, stdout } = await cli(['registry', 'lint']);
    expect(code).toBe(0);
    expect(stdout).toContain('released versions match the lock');
  });

  it('fails lint (exit 1) when a released version changed, and says to make a new version', async () => {
    const dir = copy();
    const file = join(dir, ID, '1.1.0.md');
    writeFileSync(file, readFileSync(file, 'utf8').replace('12+ years', '15+ years'));
    const { code, stderr } = await cli(['registry', 'lint', '--dir', dir]);
    expect(code).toBe(1);
    expect(stderr).toMatch(/1\.1\.0\.md: released version 1\.1\.0 has changed .*promptgate registry new pipeline-design-architect --from 1\.1\.0/);
  });

  it('diffs the prompt text of two versions', async () => {
    const { code, stdout } = await cli(['registry', 'diff', ID, '1.1.0', '1.2.0']);
    expect(code).toBe(0);
    expect(stdout).toMatch(/^--- pipeline-design-architect@1\.1\.0/m);
    expect(stdout).toMatch(/^-- Architecture diagram with data flow and component interactions$/m);
    expect(stdout).toMatch(/^\+## 10\. Cost Estimation/m);
  });

  it('creates a candidate, then releases it into the lock', async () => {
    const dir = copy();
    const made = await cli(['registry', 'new', ID, '--from', '1.2.0', '--dir', dir]);
    expect(made.code).toBe(0);
    expect(made.stdout).toContain(`${join(dir, ID, '1.3.0.md')}`);
    const created = readFileSync(join(dir, ID, '1.3.0.md'), 'utf8');
    expect(created).toMatch(/^status: candidate$/m);
    expect(created.slice(created.indexOf('\n---\n', 3) + 5)).toBe(`${findVersion(loadRegistry(prompts).versions, ID, '1.2.0').text}\n`);

    const released = await cli(['registry', 'release', ID, '1.3.0', '--dir', dir]);
    expect(released.code).toBe(0);
    const lock = JSON.parse(readFileSync(join(dir, 'registry.lock.json'), 'utf8'));
    expect(Object.keys(lock.prompts[ID])).toEqual(['1.1.0', '1.3.0']);
    expect(readFileSync(join(dir, ID, '1.3.0.md'), 'utf8')).toMatch(/^status: released$/m);
    expect((await cli(['registry', 'lint', '--dir', dir])).code).toBe(0);
    expect((await cli(['registry', 'release', ID, '1.3.0', '--dir', dir])).stdout).toContain('already released and unchanged');
  });

  it.each([
    ['an unknown version, with the closest', ['registry', 'diff', ID, '1.1.0', '1.2.1'], /unknown version "1\.2\.1" of prompt "pipeline-design-architect"; closest: 1\.2\.0/],
    ['an unknown prompt, with the closest', ['registry', 'diff', 'pipeline-design-architec', '1.1.0', '1.2.0'], /unknown prompt "pipeline-design-architec"; closest: pipeline-design-architect/],
    ['an existing target version', ['registry', 'new', ID, '--from', '1.1.0', '--as', '1.2.0'], /1\.2\.0\.md: version 1\.2\.0 already exists/],
    ['a missing --from', ['registry', 'new', ID], /missing --from/],
    ['an unknown action', ['registry', 'publish'], /expected one of list, lint, diff, new, release; got "publish"/],
  ])('exits 2 with one line for %s', async (_name, args, message) => {
    const { code, stderr } = await cli(args);
    expect(code).toBe(2);
    expect(stderr).toMatch(message);
    expect(stderr.trim().split('\n')).toHaveLength(1);
  });

  it.each([
    ['a YAML syntax error, with its line', (t: string) => t.replace('status: candidate', 'status: [candidate'), /1\.2\.0\.md:\d+:\d+: YAML syntax error/],
    ['a schema violation, with its pointer', (t: string) => t.replace('maxTokens: 8192', 'maxTokens: lots'), /1\.2\.0\.md: \/generation\/maxTokens: expected must be integer/],
    ['a bad status', (t: string) => t.replace('status: candidate', 'status: shipped'), /1\.2\.0\.md: \/status: expected/],
    ['a file name that is not the version', (t: string) => t.replace('version: 1.2.0', 'version: 1.2.5'), /1\.2\.0\.md: \/version: "1\.2\.5" does not match the file name; expected "1\.2\.0"/],
    ['an unknown template variable', (t: string) => t.replace('userTemplate: "{{message}}"', 'userTemplate: "{{requirements}}"'), /\/userTemplate: unknown template variable "\{\{requirements\}\}"/],
  ])('lint exits 2 for %s', async (_name, edit, message) => {
    const dir = copy();
    const file = join(dir, ID, '1.2.0.md');
    writeFileSync(file, edit(readFileSync(file, 'utf8')));
    const { code, stderr } = await cli(['registry', 'lint', '--dir', dir]);
    expect(code).toBe(2);
    expect(stderr).toMatch(message);
  });
});
