// `promptgate grade <file.md> [--json]`: grade one document with every grader and print the
// verdict — a table for people, or the JSON object DESIGN.md specifies for scripts.

import { basename } from 'node:path';
import { gradeDocument } from '../../graders/grade.ts';
import { GRADING_TIME_LIMIT_MS, GradingLimit, MAX_DOCUMENT_BYTES } from '../../graders/limits.ts';
import type { GradeReport } from '../../graders/schema.ts';
import type { CommandModule } from '../command.ts';
import { DEFAULT_SCENARIOS_DIR, resolveScenario } from '../dataset/load.ts';
import { UsageError } from '../errors.ts';
import { MAX_BYTES, readStdinText, readText } from '../files.ts';
import { gradeTable } from '../format.ts';

export const usage = `Usage: promptgate grade <file.md|-> [--scenario <id-or-path>] [--json]

Grade one markdown document (a pipeline architecture document) with every grader; - reads it
from standard input. A document over ${MAX_DOCUMENT_BYTES / (1024 * 1024)} MiB, or one that takes over ${GRADING_TIME_LIMIT_MS / 1000} s to grade, is refused.

Options:
  --scenario ID|PATH  also grade against a scenario (an id in datasets/scenarios, or a .yaml file):
                      adds source-coverage, requirements, budget and complexity-fit
  --scenarios DIR     where scenario ids are looked up (default: datasets/scenarios)
  --json              print one JSON object: { file, scenario, score, pass, graders: { <id>: { pass, score, reason, evidence } } }
  -h, --help          show this help

Exit codes: 0 graded (whatever the verdict), 2 the file is missing, unreadable, not UTF-8, not a
regular file, or too large or too slow to grade.
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
  const text = file === '-' ? await readStdinText(MAX_BYTES.document) : readText(file, MAX_BYTES.document);
  let result;
  try {
    result = gradeDocument(text, { scenario });
  } catch (error) {
    // Too big or too slow to grade is the input's doing: exit 2 with the line that says which.
    if (error instanceof GradingLimit) throw new UsageError(`${file === '-' ? 'standard input' : file}: ${error.message}`);
    throw error;
  }
  const report: GradeReport = { file, scenario: scenario?.id ?? null, ...result };
  const title = `${basename(file)}${scenario ? ` · scenario ${scenario.id}` : ''}`;
  io.out(values.json ? `${JSON.stringify(report, null, 2)}\n` : `${title}\n${gradeTable(report)}`);
};
