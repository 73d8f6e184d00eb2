// `promptgate report [RUN_ID|latest] [--compare RUN_ID|baseline]`: write report.md, report.html
// and junit.xml into a run's folder, optionally compared with another run or the baseline.

import { resolve } from 'node:path';
import type { CommandModule } from '../command.ts';
import { UsageError } from '../errors.ts';
import { resolveRunDir } from '../report/load.ts';
import { writeReports, type ReportOptions } from '../report/write.ts';
import { projectPath } from '../project/paths.ts';

// The project's folders (src/project/), from any subfolder.
const DEFAULT_BASELINE = projectPath('baseline');

export const usage = `Usage: promptgate report [RUN_ID|latest] [--compare RUN_ID|baseline] [options]

Write report.md (for a pull-request comment), report.html (charts, sortable tables, every
document) and junit.xml (a test case per cell) into the run's folder. Without --compare, each
prompt version is compared with the previous one; with it, with the other run or the baseline.

Options:
  --compare RUN_ID|baseline   compare with another run (id, latest or folder), or ${DEFAULT_BASELINE}
  --runs DIR                  where runs are (default: reports/runs)
  --store DIR                 response store folder (default: the run's suite store)
  --json                      print the written paths as JSON
  -h, --help                  show this help

Exit codes: 0 written, 2 bad input (no such run, a malformed results.json, no baseline).
`;

export const options: CommandModule['options'] = {
  compare: { type: 'string' },
  runs: { type: 'string', default: projectPath('runs') },
  store: { type: 'string' },
  json: { type: 'boolean' },
};

export const run: CommandModule['run'] = async (positionals, values, io) => {
  if (positionals.length > 1) throw new UsageError(`report: expected at most one run (RUN_ID or latest), got ${positionals.length}: ${positionals.join(' ')}`);
  const runs = values.runs as string;
  const dir = resolveRunDir(positionals[0] ?? 'latest', runs);
  const compare = values.compare as string | undefined;
  const opts: ReportOptions = {
    runsDir: runs,
    ...(values.store ? { store: values.store as string } : {}),
    ...(compare === 'baseline' ? { compare: { baselineFile: DEFAULT_BASELINE } } : compare ? { compare: { runDir: resolveRunDir(compare, runs) } } : {}),
  };
  if (opts.compare && 'runDir' in opts.compare && resolve(opts.compare.runDir) === resolve(dir)) throw new UsageError(`report: --compare ${compare} is the run being reported; pick another run`);
  const written = await writeReports(dir, opts);
  if (values.json) return io.out(`${JSON.stringify(written, null, 2)}\n`);
  io.out(`wrote ${written.md}\nwrote ${written.html}\nwrote ${written.junit}\n`);
};
