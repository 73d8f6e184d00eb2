// `promptgate grade <file.md> [--json]`: grade one document with every grader and print the
// verdict — a table for people, or the JSON object DESIGN.md specifies for scripts.

import { basename } from 'node:path';
import { gradeDocument } from '../../graders/grade.ts';
import type { GradeReport } from '../../graders/schema.ts';
import type { CommandModule } from '../cli.ts';
import { UsageError } from '../errors.ts';
import { readText } from '../files.ts';
import { gradeTable } from '../format.ts';

export const usage = `Usage: promptgate grade <file.md> [--json]

Grade one markdown document (a pipeline architecture document) with every grader.

Options:
  --json      print one JSON object: { file, scenario, score, pass, graders: { <id>: { pass, score, reason, evidence } } }
  -h, --help  show this help

Exit codes: 0 graded (whatever the verdict), 2 the file is missing, unreadable or not UTF-8.
`;

export const options: CommandModule['options'] = {
  json: { type: 'boolean' },
};

export const run: CommandModule['run'] = async (positionals, values, io) => {
  const [file, ...extra] = positionals;
  if (!file) throw new UsageError('grade: missing the document to grade (promptgate grade <file.md>)');
  if (extra.length) throw new UsageError(`grade: one document at a time; unexpected "${extra[0]}"`);
  const result = gradeDocument(readText(file));
  const report: GradeReport = { file, scenario: null, ...result };
  io.out(values.json ? `${JSON.stringify(report, null, 2)}\n` : `${basename(file)}\n${gradeTable(report)}`);
};
