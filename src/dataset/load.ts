// Loading scenarios: every datasets/scenarios/<id>.yaml parsed, schema-checked and cross-checked
// (file name = id, ids unique). Problems are collected per file so that `dataset lint` can list
// them all; the other commands stop at the first with a UsageError.

import { existsSync, readdirSync } from 'node:fs';
import { basename, join } from 'node:path';
import { UsageError } from '../errors.ts';
import { readValidYaml } from '../files.ts';
import { listOption } from '../options.ts';
import { projectPath } from '../project/paths.ts';
import { didYouMean } from '../suggest.ts';
import { ScenarioSchema, type Scenario } from './schema.ts';

/** The project's scenario folder (promptgate.config paths.scenarios; default datasets/scenarios/). */
export const DEFAULT_SCENARIOS_DIR = projectPath('scenarios');

export interface Loaded {
  scenarios: Scenario[];
  /** One line each: file, field, what was expected. */
  problems: string[];
}

export function readScenarioFile(file: string): Scenario {
  const scenario = readValidYaml(ScenarioSchema, file);
  const stem = basename(file).replace(/\.ya?ml$/, '');
  if (stem !== scenario.id) throw new UsageError(`${file}: /id: "${scenario.id}" does not match the file name; expected "${stem}"`);
  return scenario;
}

export function loadScenarios(dir = DEFAULT_SCENARIOS_DIR): Loaded {
  if (!existsSync(dir)) throw new UsageError(`${dir}: scenario folder not found; expected <id>.yaml files there (promptgate init scaffolds a project)`);
  // Scenarios for every prompt first, then each prompt's own (datasets/scenarios/<prompt-id>/).
  const top = readdirSync(dir).filter((f) => /\.ya?ml$/.test(f)).sort();
  const own = readdirSync(dir, { withFileTypes: true }).filter((d) => d.isDirectory()).map((d) => d.name).sort();
  const files = [...top.map((f) => ({ f, prompt: null as string | null })), ...own.flatMap((p) => readdirSync(join(dir, p)).filter((f) => /\.ya?ml$/.test(f)).sort().map((f) => ({ f: join(p, f), prompt: p })))];
  const scenarios: Scenario[] = [];
  const problems: string[] = [];
  const seen = new Map<string, string>();
  for (const { f, prompt } of files) {
    const file = join(dir, f);
    try {
      const s = withPrompt(readScenarioFile(file), prompt, file);
      const earlier = seen.get(s.id);
      if (earlier) problems.push(`${file}: /id: duplicate id "${s.id}", also in ${earlier}`);
      else (seen.set(s.id, file), scenarios.push(s));
    } catch (error) {
      if (!(error instanceof UsageError)) throw error;
      problems.push(error.message);
    }
  }
  if (!files.length) problems.push(`${dir}: no scenario files (*.yaml)`);
  return { scenarios, problems };
}

/** A scenario in a prompt's own folder is that prompt's: it may say so, and must not say otherwise. */
function withPrompt(s: Scenario, folder: string | null, file: string): Scenario {
  if (folder === null) return s;
  if (s.prompt !== undefined && s.prompt !== folder) throw new UsageError(`${file}: /prompt: "${s.prompt}" does not match its folder; expected "${folder}"`);
  return { ...s, prompt: folder };
}

/** All scenarios, or a UsageError for the first problem. */
export function scenariosOrThrow(dir = DEFAULT_SCENARIOS_DIR): Scenario[] {
  const { scenarios, problems } = loadScenarios(dir);
  if (problems.length) throw new UsageError(problems[0]!);
  return scenarios;
}

/** `--scenario` takes an id from the dataset or a path to a scenario file. */
export function resolveScenario(ref: string, dir = DEFAULT_SCENARIOS_DIR): Scenario {
  if (/\.ya?ml$/.test(ref) || ref.includes('/')) {
    if (!existsSync(ref)) throw new UsageError(`${ref}: scenario file not found`);
    return readScenarioFile(ref);
  }
  // File name = id, so a known id is one file: a broken file elsewhere in the folder must not
  // stop grading against this one.
  for (const ext of ['.yaml', '.yml']) {
    const file = join(dir, `${ref}${ext}`);
    if (existsSync(file)) return readScenarioFile(file);
  }
  if (!existsSync(dir)) throw new UsageError(`${dir}: scenario folder not found`);
  for (const own of readdirSync(dir, { withFileTypes: true }).filter((d) => d.isDirectory())) {
    for (const ext of ['.yaml', '.yml']) {
      const file = join(dir, own.name, `${ref}${ext}`);
      if (existsSync(file)) return withPrompt(readScenarioFile(file), own.name, file);
    }
  }
  const ids = readdirSync(dir).filter((f) => /\.ya?ml$/.test(f)).map((f) => f.replace(/\.ya?ml$/, ''));
  throw new UsageError(`unknown scenario "${ref}" in ${dir}${didYouMean(ref, ids)}`);
}

/**
 * Pick scenarios by a selector: "all", a comma-separated list of ids, or "tag:NAME".
 * Unknown ids and tags that match nothing are errors, never an empty selection. "all" and tags
 * pick from `prompt`'s own scenarios when it has any, else from those for every prompt; ids are
 * looked up everywhere.
 */
export function selectScenarios(all: Scenario[], selector: string, prompt?: string): Scenario[] {
  const mine = all.filter((s) => s.prompt !== undefined && s.prompt === prompt);
  const pool = mine.length ? mine : all.filter((s) => s.prompt === undefined);
  if (selector === 'all') return pool;
  if (selector.startsWith('tag:')) {
    const tag = selector.slice(4);
    const picked = pool.filter((s) => s.tags.includes(tag));
    if (!picked.length) throw new UsageError(`no scenario${mine.length ? ` of ${prompt}` : ''} has tag "${tag}"${didYouMean(tag, [...new Set(pool.flatMap((s) => s.tags))])}`);
    return picked;
  }
  // Listed twice would be planned (and paid) twice.
  return listOption('scenarios', selector).map((id) => {
    const s = all.find((x) => x.id === id);
    if (!s) throw new UsageError(`unknown scenario "${id}"${didYouMean(id, all.map((x) => x.id))}`);
    return s;
  });
}
