// The promptgate command line: find the command, parse its flags, run it, and map what it
// throws to an exit code. Command modules are imported only when used, so `--help` is instant.

import { parseArgs } from 'node:util';
import packageJson from '../package.json' with { type: 'json' };
import type { CommandModule, IO } from './command.ts';
import { exitCodeOf, UsageError } from './errors.ts';
import { GradingLimit } from '../graders/limits.ts';
import { fsErrorLine } from './fs-errors.ts';
import { checkArgs } from './options.ts';
import { addSecretsFromEnv, redact, redactError, redactSecrets } from './redact.ts';
import { oneLine, withoutControls } from './text.ts';

// Kept for command modules written against the old location; new code imports ./command.ts.
export type { CommandModule, IO } from './command.ts';

const commands: Record<string, { summary: string; load: () => Promise<CommandModule> }> = {
  eval: { summary: 'Run prompt versions × scenarios × models, grade every output, write results', load: () => import('./commands/eval.ts') },
  report: { summary: 'Write report.md, report.html and junit.xml for a run (optionally compared with another)', load: () => import('./commands/report.ts') },
  gate: { summary: 'Fail (exit 1) when a run regresses against the baseline, with paired statistics', load: () => import('./commands/gate.ts') },
  baseline: { summary: 'Write reports/baseline.json from a run (baseline update)', load: () => import('./commands/baseline.ts') },
  merge: { summary: 'Make one run (results, reports) of the shares of a sharded run (eval --shard I/N)', load: () => import('./commands/merge.ts') },
  regrade: { summary: "Re-grade a run's stored outputs with the current graders, without calling a model", load: () => import('./commands/regrade.ts') },
  grade: { summary: 'Grade one markdown document with every grader', load: () => import('./commands/grade.ts') },
  judge: { summary: 'The optional model judge: rubric checks on a run, or --calibrate against the labels (never gates)', load: () => import('./commands/judge.ts') },
  calibrate: { summary: 'Check the graders against the labelled calibration documents', load: () => import('./commands/calibrate.ts') },
  registry: { summary: 'List, lint, diff, create and release prompt versions', load: () => import('./commands/registry.ts') },
  dataset: { summary: 'Check (lint) or list the requirement scenarios', load: () => import('./commands/dataset.ts') },
  init: { summary: 'Scaffold a project (config, a prompt, scenarios, a suite, a CI workflow) that runs at once', load: () => import('./commands/init.ts') },
  export: { summary: "Write a promptfooconfig.yaml that runs a suite in promptfoo with promptgate's graders", load: () => import('./commands/export.ts') },
  import: { summary: 'Turn a promptfoo output file into a promptgate run (results, reports, gate)', load: () => import('./commands/import.ts') },
};

const MAIN_HELP = `promptgate — prompt evaluation and regression harness

Usage: promptgate <command> [options]

Commands:
${Object.entries(commands)
  .map(([name, c]) => `  ${name.padEnd(12)}${c.summary}`)
  .join('\n')}

Run 'promptgate <command> --help' (or 'promptgate help <command>') for a command's options.
Options: -h, --help   this help    -V, --version   the version
Exit codes: 0 done, 1 a check or gate failed, 2 bad input or configuration, 3 internal error,
4 a gate that could not decide (INCONCLUSIVE; treat as a pass with a warning), 130 interrupted.
`;

// promptgate prints no colour at all (NO_COLOR holds trivially); a dumb terminal also gets no
// cursor movement, so live progress falls back to the line-per-update form CI logs get.
const stdio: IO = {
  out: (text) => void process.stdout.write(text),
  err: (text) => void process.stderr.write(text),
  tty: Boolean(process.stdout.isTTY) && process.env.TERM !== 'dumb',
};

export async function main(argv: string[], terminal: IO = stdio): Promise<number> {
  // Everything printed passes through redact.ts: diagnostics (stderr, where provider errors and
  // exceptions go) with every credential shape masked, stdout with the known key values masked
  // (its documents and tables may rightly show what a key looks like).
  addSecretsFromEnv(process.env);
  const io: IO = { out: (text) => terminal.out(redactSecrets(text)), err: (text) => terminal.err(redact(text)), tty: terminal.tty };
  const [name, ...rest] = argv;
  // Bare `promptgate` is a usage error (exit 2, help on stderr) so a script that lost its
  // arguments fails instead of passing; asking for help is a success.
  if (!name) {
    io.err(MAIN_HELP);
    return 2;
  }
  if (name === '--help' || name === '-h' || (name === 'help' && rest.length === 0)) {
    io.out(MAIN_HELP);
    return 0;
  }
  if (name === '--version' || name === '-V' || name === '-v') {
    io.out(`promptgate ${packageJson.version}\n`);
    return 0;
  }
  // `calibrate --judge` is the judge's calibration (commands/judge.ts), named where users look for it.
  if (name === 'calibrate' && rest.includes('--judge')) return main(['judge', ...rest.map((a) => (a === '--judge' ? '--calibrate' : a))], terminal);
  try {
    const helpFor = name === 'help' ? rest[0]! : null;
    const entry = commands[helpFor ?? name];
    if (!entry) throw new UsageError(`unknown command "${helpFor ?? name}"; expected one of: ${Object.keys(commands).join(', ')} (see promptgate --help)`);
    // The project (its root and config) is resolved once, here: a broken config is exit 2 before any command runs.
    if (helpFor === null) await (await import('./project/paths.ts')).useProject();
    const command = await entry.load();
    if (helpFor !== null || rest.includes('--help') || rest.includes('-h')) {
      io.out(command.usage);
      return 0;
    }
    const { positionals, values } = parse(name, command, rest);
    await command.run(positionals, values, io);
    return 0;
  } catch (error) {
    const code = exitCodeOf(error);
    if (code !== null) {
      io.err(`promptgate: ${oneLine(redactError(error))}\n`);
      return code;
    }
    // A path the user gave that cannot be read or written (a file where a folder goes, /dev/full,
    // a read-only folder) is bad input, not a bug: one line, exit 2.
    // So is a document too big or too slow to grade (graders/limits.ts), where a command lets it through.
    const fsLine = fsErrorLine(error) ?? (error instanceof GradingLimit ? `not graded: ${error.message}` : null);
    if (fsLine !== null) {
      io.err(`promptgate: ${oneLine(redact(fsLine))}\n`);
      return 2;
    }
    io.err(`promptgate: internal error (a bug; please report it):\n${withoutControls(redactError(error, true))}\n`);
    return 3;
  }
}

function parse(name: string, command: CommandModule, args: string[]) {
  let parsed;
  try {
    parsed = parseArgs({ args, options: command.options, allowPositionals: true, strict: true, tokens: true });
  } catch (error) {
    // node's messages are long and mention internals; keep the first sentence.
    const message = (error as Error).message.split('. ')[0]!.replace(/^Unknown option/, 'unknown option');
    throw new UsageError(`${name}: ${message} (see promptgate ${name} --help)`);
  }
  // Empty values, control characters, an option given twice: refused here for every command.
  checkArgs(name, command.options, command.usage, parsed.tokens);
  return parsed;
}
