// `promptgate dataset lint|list`: check every scenario file, or list the scenarios and tags.

import type { CommandModule } from '../command.ts';
import { DEFAULT_SCENARIOS_DIR, loadScenarios } from '../dataset/load.ts';
import { UsageError } from '../errors.ts';
import { table } from '../format.ts';

export const usage = `Usage: promptgate dataset <lint|list> [--dir DIR] [--json]

  lint   check every scenario file: YAML syntax, the schema, file name = id, unique ids
  list   the scenarios with their tags and sources

Options:
  --dir DIR   the scenario folder (default: ${DEFAULT_SCENARIOS_DIR})
  --json      (list) print JSON
  -h, --help  show this help

Exit codes: 0 all scenarios valid, 2 a problem (one line each: file, field, what was expected).
`;

export const options: CommandModule['options'] = {
  dir: { type: 'string', default: DEFAULT_SCENARIOS_DIR },
  json: { type: 'boolean' },
};

export const run: CommandModule['run'] = async (positionals, values, io) => {
  const [action] = positionals;
  const dir = values.dir as string;
  if (action !== 'lint' && action !== 'list') throw new UsageError(`dataset: expected "lint" or "list", got ${action ? `"${action}"` : 'nothing'}`);
  const { scenarios, problems } = loadScenarios(dir);
  if (action === 'list') {
    if (problems.length) throw new UsageError(problems[0]!);
    if (values.json) return io.out(`${JSON.stringify(scenarios.map((s) => ({ id: s.id, title: s.title, tags: s.tags })), null, 2)}\n`);
    io.out(table(['id', 'tags', 'sources', 'title'], scenarios.map((s) => [s.id, s.tags.join(','), String(s.facts.sources.length), s.title])));
    return;
  }
  for (const p of problems) io.err(`${p}\n`);
  if (problems.length) throw new UsageError(`${problems.length} problem(s) in ${dir}`);
  const tags = new Map<string, number>();
  for (const s of scenarios) for (const t of s.tags) tags.set(t, (tags.get(t) ?? 0) + 1);
  io.out(`${scenarios.length} scenarios OK in ${dir}\ntags: ${[...tags].sort().map(([t, n]) => `${t} (${n})`).join(', ')}\n`);
};
