// `promptgate grade <file.md> [--json]`: grade one document with every grader and print the
// verdict — a table for people, or the JSON object DESIGN.md specifies for scripts.

import { basename } from 'node:path';
import { gradeDocument } from '../../graders/grade.ts';
import type { GradeReport } from '../../graders/schema.ts';
import type { CommandModule } from '../cli.ts';
import { DEFAULT_SCENARIOS_DIR, resolveScenario } from '../dataset/load.ts';
import { UsageError } from '../errors.ts';
import { readText } from '../files.ts';
import { gradeTable } from '../format.ts';

export const usage = `Usage: promptgate grade <file.md> [--scenario <id-or-path>] [--json]

Grade one markdown document (a pipeline architecture document) with every grader.

Options:
  --scenario ID|PATH  also grade against a scenario (an id in datasets/scenarios, or a .yaml file):
                      adds source-coverage, requirements, budget and complexity-fit
  --scenarios DIR     where scenario ids are looked up (default: datasets/scenarios)
  --json              print one JSON object: { file, scenario, score, pass, graders: { <id>: { pass, score, reason, evidence } } }
  -h, --help          show this help

Exit codes: 0 graded (whatever the verdict), 2 the file is missing, unreadable or not UTF-8.
`;

export const options: CommandModule['options'] = {
  scenario: { type: 'string' },
  scenarios: { type: 'string', default: DEFAULT_SCENARIOS_DIR },
  json: { type: 'boolean' },
};

export const run: CommandModule['run'] = async (positionals, values, io) => {
  const [file, ...extra] = positionals;
  if (!file) throw new UsageError('grade: missing the document to grade (promptgate grade <file.md>)');
  if (extra.length) throw new UsageError(`grade: one document at a time; unexpected "${extra[0]}"`);
  const scenario = values.scenario ? resolveScenario(values.scenario as string, values.scenarios as string) : null;
  const result = gradeDocument(readText(file), { scenario });
  const report: GradeReport = { file, scenario: scenario?.id ?? null, ...result };
  const title = `${basename(file)}${scenario ? ` · scenario ${scenario.id}` : ''}`;
  io.out(values.json ? `${JSON.stringify(report, null, 2)}\n` : `${title}\n${gradeTable(report)}`);
};
