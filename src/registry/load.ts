// Reading the prompt registry: prompts/<id>/<version>.md, each YAML front matter plus the prompt
// text. The text is the body after the closing `---` line, byte for byte, less the one newline
// that ends the file. A version's identity is the sha256 of what decides the model's output:
// the text, the user template and the generation settings (canonical JSON).

import { existsSync, readdirSync, statSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import semver from 'semver';
import { canonicalJson, sha256 } from '../canonical.ts';
import { UsageError } from '../errors.ts';
import { parseYaml, readText, validate } from '../files.ts';
import { listOption } from '../options.ts';
import { projectPath } from '../project/paths.ts';
import { didYouMean } from '../suggest.ts';
import { FrontMatterSchema, type FrontMatter } from './schema.ts';
import { templateProblems } from './template.ts';

/** The project's registry folder (promptgate.config paths.prompts; default prompts/). */
export const DEFAULT_PROMPTS_DIR = projectPath('prompts');

export interface PromptVersion {
  file: string;
  meta: FrontMatter;
  text: string;
  sha256: string;
}

export function contentSha256(meta: Pick<FrontMatter, 'userTemplate' | 'generation'>, text: string): string {
  return sha256(canonicalJson({ text, userTemplate: meta.userTemplate, generation: meta.generation }));
}

/** Split a prompt file into front matter and body, and check both. */
export function parsePromptFile(file: string, raw = readText(file)): PromptVersion {
  const source = raw.replace(/\r\n/g, '\n');
  const close = source.indexOf('\n---\n', 3);
  if (!source.startsWith('---\n') || close < 0) throw new UsageError(`${file}:1: expected YAML front matter between two "---" lines, then the prompt text`);
  const meta = validate(FrontMatterSchema, parseYaml(source.slice(4, close + 1), file, 2), file);
  const text = source.slice(close + 5).replace(/\n$/, '');
  const stem = basename(file).replace(/\.md$/, '');
  if (stem !== meta.version) throw new UsageError(`${file}: /version: "${meta.version}" does not match the file name; expected "${stem}"`);
  const folder = basename(dirname(file));
  if (folder !== meta.id) throw new UsageError(`${file}: /id: "${meta.id}" does not match the folder; expected "${folder}"`);
  const problem = templateProblems(meta.userTemplate)[0];
  if (problem) throw new UsageError(`${file}: /userTemplate: ${problem}`);
  if (!text.trim()) throw new UsageError(`${file}: the prompt text after the front matter is empty`);
  return { file, meta, text, sha256: contentSha256(meta, text) };
}

export interface Registry {
  versions: PromptVersion[];
  problems: string[];
}

/** Every version of every prompt, sorted by id then semver; problems collected per file. */
export function loadRegistry(dir = DEFAULT_PROMPTS_DIR): Registry {
  if (!existsSync(dir)) throw new UsageError(`${dir}: prompt registry folder not found; expected <id>/<version>.md files there (promptgate init scaffolds a project)`);
  const versions: PromptVersion[] = [];
  const problems: string[] = [];
  for (const id of readdirSync(dir).sort()) {
    const folder = join(dir, id);
    if (!statSync(folder).isDirectory()) continue;
    for (const f of readdirSync(folder).filter((f) => f.endsWith('.md'))) {
      try {
        versions.push(parsePromptFile(join(folder, f)));
      } catch (error) {
        if (!(error instanceof UsageError)) throw error;
        problems.push(error.message);
      }
    }
  }
  versions.sort((a, b) => a.meta.id.localeCompare(b.meta.id) || semver.compare(a.meta.version, b.meta.version));
  return { versions, problems };
}

export function registryOrThrow(dir = DEFAULT_PROMPTS_DIR): PromptVersion[] {
  const { versions, problems } = loadRegistry(dir);
  if (problems.length) throw new UsageError(problems[0]!);
  return versions;
}

export function versionsOf(versions: PromptVersion[], id: string): PromptVersion[] {
  const mine = versions.filter((v) => v.meta.id === id);
  if (!mine.length) throw new UsageError(`unknown prompt "${id}"${didYouMean(id, [...new Set(versions.map((v) => v.meta.id))])}`);
  return mine;
}

export function findVersion(versions: PromptVersion[], id: string, version: string): PromptVersion {
  const mine = versionsOf(versions, id);
  const found = mine.find((v) => v.meta.version === version);
  if (!found) throw new UsageError(`unknown version "${version}" of prompt "${id}"${didYouMean(version, mine.map((v) => v.meta.version))}`);
  return found;
}

/** Pick versions of a prompt: "released", "candidates", "all", or a comma-separated list. */
export function selectVersions(versions: PromptVersion[], id: string, selector: string): PromptVersion[] {
  const mine = versionsOf(versions, id);
  const bySelector: Record<string, (v: PromptVersion) => boolean> = {
    all: () => true,
    released: (v) => v.meta.status === 'released',
    candidates: (v) => v.meta.status === 'candidate',
  };
  const pick = bySelector[selector];
  if (pick) {
    const picked = mine.filter(pick);
    if (!picked.length) throw new UsageError(`prompt "${id}" has no ${selector} versions`);
    return picked;
  }
  return listOption('versions', selector).map((v) => findVersion(versions, id, v));
}

/** The versions a suite runs: the union of its selectors (`released`, `candidates`, `all`, versions). */
export function suiteVersions(suite: { prompt: string; versions: string | string[] }, all: PromptVersion[] = registryOrThrow()): PromptVersion[] {
  const selectors = Array.isArray(suite.versions) ? suite.versions : [suite.versions];
  const picked = new Map<string, PromptVersion>();
  for (const s of selectors) for (const v of selectVersions(all, suite.prompt, s)) picked.set(v.meta.version, v);
  return [...picked.values()];
}
