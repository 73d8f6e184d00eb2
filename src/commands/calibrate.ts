// `promptgate calibrate [--dir DIR] [--json]`: grade every labelled calibration document and
// report, per grader, how far its verdicts agree with the labels. Any disagreement fails (exit 1),
// so CI notices when a grader change breaks a case that used to be right.

import { calibrate, loadLabels } from '../calibration.ts';
import type { CommandModule } from '../command.ts';
import { CheckFailed } from '../errors.ts';
import { table } from '../format.ts';
import { projectPath } from '../project/paths.ts';

export const usage = `Usage: promptgate calibrate [--dir DIR] [--json]

Grade the labelled calibration documents and print, per grader, agreement with the labels:
true/false positives and negatives, precision and recall (positive = the grader passes).

Options:
  --dir DIR   folder with the documents and labels.yaml (default: datasets/calibration)
  --json      print the result as JSON
  -h, --help  show this help

With --judge: the optional model judge over the same documents instead (agreement, Cohen's
kappa and the confusion matrix per rubric; see promptgate judge --help for its options).

Exit codes: 0 every label agrees, 1 some label disagrees, 2 a missing or invalid labels file.
`;

export const options: CommandModule['options'] = {
  dir: { type: 'string', default: projectPath('calibration') },
  json: { type: 'boolean' },
};

export const run: CommandModule['run'] = async (_positionals, values, io) => {
  const dir = values.dir as string;
  const result = calibrate(dir, loadLabels(dir));
  if (values.json) {
    io.out(`${JSON.stringify(result, null, 2)}\n`);
  } else {
    const pct = (x: number) => `${(x * 100).toFixed(0)}%`;
    const rows = result.graders.map((g) => [g.grader, String(g.tp), String(g.fp), String(g.fn), String(g.tn), pct(g.precision), pct(g.recall), pct(g.agreement)]);
    io.out(`${result.documents} labelled documents in ${dir}\n\n`);
    io.out(table(['grader', 'TP', 'FP', 'FN', 'TN', 'precision', 'recall', 'agreement'], rows) + '\n');
    for (const d of result.disagreements) {
      io.out(`✗ ${d.document} · ${d.grader}: labelled ${d.expected ? 'pass' : 'fail'}, graded ${d.actual ? 'pass' : 'fail'} — ${d.reason}\n`);
    }
    if (!result.disagreements.length) io.out('every label agrees\n');
  }
  if (result.disagreements.length) throw new CheckFailed(`${result.disagreements.length} calibration label(s) disagree with the graders`);
};
