// Finding the project a command runs in: the nearest folder, from the current one upwards, that
// holds a promptgate.config.* file or a package.json with a `promptgate` key. Paths then resolve
// from that root, so `promptgate eval` works from any subfolder, as git and npm do. With no root
// found the current folder is the root, as it always was.

import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { UsageError } from '../errors.ts';
import { parseYaml, readText, validate } from '../files.ts';
import { CONFIG_FILES, DEFAULT_PATHS, ProjectConfigSchema, type Paths, type ProjectConfig } from './config.ts';

export interface Project {
  /** Absolute path of the project root. */
  root: string;
  /** The file the config came from (a config file or package.json), or null: defaults only. */
  configFile: string | null;
  config: ProjectConfig;
  /** Every folder, relative to the root. */
  paths: Paths;
}

interface Found {
  root: string;
  file: string;
  /** package.json's `promptgate` key. */
  fromPackageJson: boolean;
}

/** The nearest root at or above `start`, or null. */
export function findRoot(start: string): Found | null {
  for (let dir = resolve(start); ; dir = dirname(dir)) {
    for (const name of CONFIG_FILES) {
      const file = join(dir, name);
      if (existsSync(file)) return { root: dir, file, fromPackageJson: false };
    }
    const pkg = join(dir, 'package.json');
    if (existsSync(pkg) && hasPromptgateKey(pkg)) return { root: dir, file: pkg, fromPackageJson: true };
    if (dir === dirname(dir)) return null;
  }
}

function hasPromptgateKey(file: string): boolean {
  try {
    const data = JSON.parse(readFileSync(file, 'utf8')) as unknown;
    return data !== null && typeof data === 'object' && 'promptgate' in data;
  } catch {
    // Not ours to judge: npm reports a broken package.json; we keep looking upwards.
    return false;
  }
}

/** The project `cwd` is in: its root, config and folders. Async because a config may be a module. */
export async function loadProject(cwd: string = process.cwd()): Promise<Project> {
  const found = findRoot(cwd);
  if (!found) return project(resolve(cwd), null, {});
  if (/\.m?js$/.test(found.file)) {
    let module: { default?: unknown };
    try {
      module = (await import(pathToFileURL(found.file).href)) as { default?: unknown };
    } catch (error) {
      throw new UsageError(`${found.file}: cannot be loaded (${(error as Error)?.message ?? String(error)}); expected a module whose default export is the config object`);
    }
    return project(found.root, found.file, checked(module.default, found.file));
  }
  return loadProjectSync(cwd);
}

/** The same, for a JSON or YAML config (a module config needs loadProject). */
export function loadProjectSync(cwd: string = process.cwd()): Project {
  const found = findRoot(cwd);
  if (!found) return project(resolve(cwd), null, {});
  if (/\.m?js$/.test(found.file)) throw new UsageError(`${found.file}: a module config is loaded when the command starts; expected it loaded by then (a bug if you see this)`);
  let data: unknown;
  if (found.fromPackageJson) data = (JSON.parse(readText(found.file)) as { promptgate: unknown }).promptgate;
  else if (found.file.endsWith('.json')) {
    try {
      data = JSON.parse(readText(found.file));
    } catch (error) {
      throw new UsageError(`${found.file}: not valid JSON (${(error as Error).message})`);
    }
  } else data = parseYaml(readText(found.file), found.file);
  return project(found.root, found.file, checked(data, found.fromPackageJson ? `${found.file}: /promptgate` : found.file));
}

function checked(data: unknown, where: string): ProjectConfig {
  // An empty YAML file or `"promptgate": {}` is a root with every default.
  if (data === null || data === undefined) return {};
  return validate(ProjectConfigSchema, data, where);
}

function project(root: string, configFile: string | null, config: ProjectConfig): Project {
  return { root, configFile, config, paths: { ...DEFAULT_PATHS, ...config.paths } };
}
