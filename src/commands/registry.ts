// `promptgate registry <list|lint|diff|new|release>`: the versioned prompt registry.

import { createTwoFilesPatch } from 'diff';
import type { CommandModule } from '../command.ts';
import { CheckFailed, UsageError } from '../errors.ts';
import { table } from '../format.ts';
import { newVersion, release } from '../registry/edit.ts';
import { DEFAULT_PROMPTS_DIR, findVersion, loadRegistry, registryOrThrow } from '../registry/load.ts';
import { lockProblems, readLock, short } from '../registry/lock.ts';

export const usage = `Usage: promptgate registry <action> [options]

Actions:
  list [--json]                          every version: id, version, status, short sha256, dates
  lint                                   check every prompt file and that released versions are unchanged
  diff <id> <from> <to>                  line diff of the prompt text (and settings) between two versions
  new <id> --from <version> [--as <v>]   copy a version into a new candidate to edit (default: next minor)
  release <id> <version>                 mark a version released and record its sha256 in the lock

Options:
  --dir DIR   the registry folder (default: ${DEFAULT_PROMPTS_DIR})
  -h, --help  show this help

Exit codes: 0 done, 1 lint found a changed or unlocked released version, 2 bad input.
`;

export const options: CommandModule['options'] = {
  dir: { type: 'string', default: DEFAULT_PROMPTS_DIR },
  json: { type: 'boolean' },
  from: { type: 'string' },
  as: { type: 'string' },
};

const today = () => new Date().toISOString().slice(0, 10);

export const run: CommandModule['run'] = async (positionals, values, io) => {
  const [action, ...args] = positionals;
  const dir = values.dir as string;
  const need = (n: number, shape: string) => {
    if (args.length !== n) throw new UsageError(`registry ${action}: expected ${shape}`);
  };
  switch (action) {
    case 'list': {
      const versions = registryOrThrow(dir);
      const rows = versions.map((v) => ({ id: v.meta.id, version: v.meta.version, status: v.meta.status, sha256: v.sha256, created: v.meta.created, updated: v.meta.updated }));
      if (values.json) return io.out(`${JSON.stringify(rows, null, 2)}\n`);
      io.out(table(['id', 'version', 'status', 'sha256', 'created', 'updated'], rows.map((r) => [r.id, r.version, r.status, short(r.sha256), r.created, r.updated])));
      return;
    }
    case 'lint': {
      const { versions, problems } = loadRegistry(dir);
      for (const p of problems) io.err(`${p}\n`);
      if (problems.length) throw new UsageError(`${problems.length} invalid prompt file(s) in ${dir}`);
      const integrity = lockProblems(versions, readLock(dir), dir);
      for (const p of integrity) io.err(`${p}\n`);
      if (integrity.length) throw new CheckFailed(`${integrity.length} registry problem(s) in ${dir}`);
      io.out(`${versions.length} prompt versions OK in ${dir}; released versions match the lock\n`);
      return;
    }
    case 'diff': {
      need(3, '<id> <from> <to>');
      const versions = registryOrThrow(dir);
      const [id, from, to] = args as [string, string, string];
      const a = findVersion(versions, id, from);
      const b = findVersion(versions, id, to);
      const settings = (v: typeof a) => JSON.stringify({ generation: v.meta.generation, userTemplate: v.meta.userTemplate });
      if (settings(a) !== settings(b)) io.out(`settings: ${settings(a)}\n       → ${settings(b)}\n\n`);
      io.out(a.text === b.text ? `the prompt text of ${from} and ${to} is identical\n` : createTwoFilesPatch(`${id}@${from}`, `${id}@${to}`, `${a.text}\n`, `${b.text}\n`, short(a.sha256), short(b.sha256)));
      return;
    }
    case 'new': {
      need(1, '<id> --from <version> [--as <version>]');
      if (!values.from) throw new UsageError('registry new: missing --from <version> (the version to copy)');
      const file = newVersion(dir, registryOrThrow(dir), args[0]!, values.from as string, values.as as string | undefined, today());
      io.out(`wrote ${file} (status candidate): edit the prompt text and its changelog line, then run promptgate registry lint\n`);
      return;
    }
    case 'release': {
      need(2, '<id> <version>');
      const [id, version] = args as [string, string];
      const changed = release(dir, registryOrThrow(dir), id, version, today());
      io.out(changed ? `released ${id} ${version}; its sha256 is now in ${dir}/registry.lock.json\n` : `${id} ${version} is already released and unchanged\n`);
      return;
    }
    default:
      throw new UsageError(`registry: expected one of list, lint, diff, new, release; got ${action ? `"${action}"` : 'nothing'}`);
  }
};
