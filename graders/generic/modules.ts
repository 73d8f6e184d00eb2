// Loading a project's own grader modules: `./graders/my-check.ts` (a path from the project root)
// or a package name, each default-exporting what `defineGrader` returns (graders/generic/api.js,
// `import { defineGrader } from 'promptgate'`). A loaded grader is wrapped with the same core as
// the built-in ones (graders/core.ts), so it is held to the same contract. TypeScript modules
// load through tsx, a dependency of promptgate, so the project needs no loader or build of its own.

import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { isAbsolute, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { UsageError } from '../../src/errors.ts';
import { defineGrader, type Grader } from '../core.ts';

/** A module spec resolved to a file, with its content hash (grades cached under an older hash are not reused). */
export interface ModuleRef {
  spec: string;
  file: string;
  sha256: string;
}

/** Where `spec` lives, from the project root; `where` names the file and field it came from. */
export function resolveModule(spec: string, root: string, where: string): ModuleRef {
  let file: string;
  if (spec.startsWith('./') || spec.startsWith('../') || isAbsolute(spec)) {
    file = isAbsolute(spec) ? spec : join(root, spec);
    if (!existsSync(file)) throw new UsageError(`${where}: ${spec}: file not found (from ${root}); expected a grader module`);
  } else {
    try {
      file = createRequire(join(root, 'package.json')).resolve(spec);
    } catch {
      throw new UsageError(`${where}: ${spec}: package not found from ${root}; expected an installed package or a path starting with ./`);
    }
  }
  return { spec, file, sha256: createHash('sha256').update(readFileSync(file)).digest('hex').slice(0, 16) };
}

const loaded = new Map<string, Grader>();
// Kept in a variable so the CLI's bundler leaves it alone: tsx resolves its own files at run time.
const TSX_API = 'tsx/esm/api';

/** A module's grader when this process has loaded it. */
export function loadedGrader(ref: ModuleRef): Grader | undefined {
  return loaded.get(`${ref.file}\0${ref.sha256}`);
}

/** The grader a module default-exports, checked and wrapped; loaded once per file and content. */
export async function loadGraderModule(ref: ModuleRef, where: string): Promise<Grader> {
  const key = `${ref.file}\0${ref.sha256}`;
  const known = loaded.get(key);
  if (known) return known;
  let module: { default?: unknown };
  try {
    const url = `${pathToFileURL(ref.file).href}?v=${ref.sha256}`;
    if (/\.[mc]?tsx?$/.test(ref.file)) {
      const { tsImport } = (await import(TSX_API)) as { tsImport: (specifier: string, parent: string) => Promise<{ default?: unknown }> };
      module = await tsImport(url, import.meta.url);
    } else module = (await import(url)) as { default?: unknown };
  } catch (error) {
    throw new UsageError(`${where}: ${ref.spec}: cannot be loaded (${oneLine(error)}); expected a module that default-exports defineGrader({ id, description, weight, grade })`);
  }
  const grader = checkedGrader(unwrapDefault(module), `${where}: ${ref.spec}`);
  loaded.set(key, grader);
  return grader;
}

/** What a grader module gave us, held to the contract; `where` names the module. */
export function checkedGrader(value: unknown, where: string): Grader {
  const g = value as Partial<Grader> | null | undefined;
  const problem =
    g === null || typeof g !== 'object'
      ? 'no default export (or not an object)'
      : typeof g.id !== 'string' || !/^[a-z0-9]+(?:-[a-z0-9]+)*$/.test(g.id)
        ? `id ${JSON.stringify(g.id)} is not a kebab-case id`
        : typeof g.description !== 'string' || !g.description
          ? 'description is missing'
          : typeof g.weight !== 'number' || !(g.weight >= 0) || !Number.isFinite(g.weight)
            ? 'weight is not a number ≥ 0'
            : typeof g.grade !== 'function'
              ? 'grade is not a function'
              : g.needsScenario !== undefined && typeof g.needsScenario !== 'boolean'
                ? 'needsScenario is not a boolean'
                : null;
  if (problem) throw new UsageError(`${where}: ${problem}; expected a default export made with defineGrader({ id, description, weight, grade })`);
  const spec = g as Grader;
  return defineGrader({ id: spec.id, description: spec.description, weight: spec.weight, ...(spec.needsScenario !== undefined && { needsScenario: spec.needsScenario }), grade: (doc, ctx) => spec.grade(doc, ctx) });
}

/** A CommonJS or transpiled module may nest its default export once more. */
function unwrapDefault(module: { default?: unknown }): unknown {
  const d = module.default;
  if (d && typeof d === 'object' && 'default' in d && !('grade' in d)) return (d as { default: unknown }).default;
  return d;
}

function oneLine(error: unknown): string {
  return ((error as Error)?.message ?? String(error)).split('\n')[0]!;
}
