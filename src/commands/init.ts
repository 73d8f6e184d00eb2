// `promptgate init [DIR]`: scaffold a project that runs at once (src/project/scaffold.ts): a
// config, one released prompt, two scenarios with reference answers, a suite graded by generic
// checks and a CI workflow, plus `eval` and `gate` scripts in package.json. Nothing is
// overwritten unless --force: a file already there is named and the command stops first.

import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, relative, resolve } from 'node:path';
import type { CommandModule } from '../command.ts';
import { UsageError } from '../errors.ts';
import { checkOutputDir, readJsonFile } from '../files.ts';
import { scaffoldFiles } from '../project/scaffold.ts';

export const usage = `Usage: promptgate init [DIR] [--force]

Scaffold a promptgate project in DIR (default: the current folder):
  promptgate.config.yaml                  the folders (defaults shown) and grader modules
  prompts/pipeline-runbook/1.0.0.md       a released starter prompt (+ prompts/registry.lock.json)
  datasets/scenarios/*.yaml               two scenarios
  datasets/references/*.md                their hand-written reference answers
  evals/default.yaml                      a suite graded by generic checks (headings, words, ...)
  .github/workflows/prompt-eval.yml       lint, eval and gate on pull requests
  .gitignore, package.json scripts        eval ("promptgate eval") and gate ("promptgate gate")
Then \`npm run eval\` (or npx promptgate eval) runs at once: without API keys the models are
skipped and the references are graded.

Options:
  --force     overwrite files that are already there (package.json is merged, never replaced)
  -h, --help  show this help

Exit codes: 0 done, 2 bad input (a file already there, a folder that cannot be written).
`;

export const options: CommandModule['options'] = {
  force: { type: 'boolean' },
};

const SCRIPTS = { eval: 'promptgate eval', gate: 'promptgate gate' };

export const run: CommandModule['run'] = async (positionals, values, io) => {
  if (positionals.length > 1) throw new UsageError(`init: unexpected "${positionals[1]}"; expected at most one folder (see promptgate init --help)`);
  const dir = positionals[0] ?? '.';
  checkOutputDir(dir, 'init');
  const files = scaffoldFiles(new Date().toISOString().slice(0, 10));
  if (!values.force) {
    const there = files.find((f) => existsSync(join(dir, f.path)));
    if (there) throw new UsageError(`init: ${join(dir, there.path)} is already there; expected a folder without a promptgate project (or --force to overwrite)`);
  }
  const pkgFile = join(dir, 'package.json');
  // Read (and refuse a broken one) before anything is written.
  const pkg = existsSync(pkgFile) ? packageJson(pkgFile) : { name: packageName(dir), private: true };
  for (const f of files) {
    mkdirSync(dirname(join(dir, f.path)), { recursive: true });
    writeFileSync(join(dir, f.path), f.text);
  }
  const scripts = { ...(pkg.scripts as Record<string, string> | undefined) };
  const added = Object.entries(SCRIPTS).filter(([name]) => !(name in scripts));
  for (const [name, command] of added) scripts[name] = command;
  writeFileSync(pkgFile, `${JSON.stringify({ ...pkg, scripts }, null, 2)}\n`);
  const shown = (p: string) => relative('.', join(dir, p)) || '.';
  io.out(`wrote:\n${files.map((f) => `  ${shown(f.path)}\n`).join('')}  ${shown('package.json')} (${added.length ? `scripts: ${added.map(([n]) => n).join(', ')}` : 'scripts kept as they were'})\n`);
  io.out(`\nnext:\n${dir === '.' ? '' : `  cd ${dir}\n`}  npm install --save-dev promptgate   (if it is not installed here yet)\n  npm run eval                        (no keys: the references are graded; set ANTHROPIC_API_KEY / OPENAI_API_KEY to run the models)\n`);
};

function packageJson(file: string): Record<string, unknown> {
  const data = readJsonFile(file);
  if (data === null || typeof data !== 'object' || Array.isArray(data)) throw new UsageError(`${file}: expected a JSON object`);
  const scripts = (data as { scripts?: unknown }).scripts;
  if (scripts !== undefined && (scripts === null || typeof scripts !== 'object' || Array.isArray(scripts))) throw new UsageError(`${file}: /scripts: expected an object`);
  return data as Record<string, unknown>;
}

function packageName(dir: string): string {
  return basename(resolve(dir)).toLowerCase().replace(/[^a-z0-9-]+/g, '-').replace(/^-+|-+$/g, '') || 'prompts';
}
