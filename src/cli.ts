// The promptgate command line: find the command, parse its flags, run it, and map what it
// throws to an exit code. Command modules are imported only when used, so `--help` is instant.

import { parseArgs, type ParseArgsConfig } from 'node:util';
import { exitCodeOf, UsageError } from './errors.ts';
import { GradingLimit } from '../graders/limits.ts';
import { fsErrorLine } from './fs-errors.ts';
import { checkArgs } from './options.ts';
import { addSecretsFromEnv, redact, redactError, redactSecrets } from './redact.ts';
import { oneLine, withoutControls } from './text.ts';

export interface IO {
  out(text: string): void;
  err(text: string): void;
  /** True when stdout is a terminal (live progress, colours); false in CI and pipes. */
  tty: boolean;
}

export interface CommandModule {
  usage: string;
  options: NonNullable<ParseArgsConfig['options']>;
  run(positionals: string[], values: Record<string, string | boolean | Array<string | boolean> | undefined>, io: IO): Promise<void>;
}

const commands: Record<string, { summary: string; load: () => Promise<CommandModule> }> = {
  eval: { summary: 'Run prompt versions × scenarios × models, grade every output, write results', load: () => import('./commands/eval.ts') },
  report: { summary: 'Write report.md, report.html and junit.xml for a run (optionally compared with another)', load: () => import('./commands/report.ts') },
  gate: { summary: 'Fail (exit 1) when a run regresses against the baseline, with paired statistics', load: () => import('./commands/gate.ts') },
  baseline: { summary: 'Write reports/baseline.json from a run (baseline update)', load: () => import('./commands/baseline.ts') },
  regrade: { summary: "Re-grade a run's stored outputs with the current graders, without calling a model", load: () => import('./commands/regrade.ts') },
  grade: { summary: 'Grade one markdown document with every grader', load: () => import('./commands/grade.ts') },
  calibrate: { summary: 'Check the graders against the labelled calibration documents', load: () => import('./commands/calibrate.ts') },
  registry: { summary: 'List, lint, diff, create and release prompt versions', load: () => import('./commands/registry.ts') },
  dataset: { summary: 'Check (lint) or list the requirement scenarios', load: () => import('./commands/dataset.ts') },
};

const MAIN_HELP = `promptgate — prompt evaluation and regression harness

Usage: promptgate <command> [options]

Commands:
${Object.entries(commands)
  .map(([name, c]) => `  ${name.padEnd(12)}${c.summary}`)
  .join('\n')}

Run 'promptgate <command> --help' for a command's options.
Exit codes: 0 done, 1 a check or gate failed, 2 bad input or configuration, 3 internal error,
4 a gate that could not decide (INCONCLUSIVE; treat as a pass with a warning), 130 interrupted.
`;

const stdio: IO = {
  out: (text) => void process.stdout.write(text),
  err: (text) => void process.stderr.write(text),
  tty: Boolean(process.stdout.isTTY),
};

export async function main(argv: string[], terminal: IO = stdio): Promise<number> {
  // Everything printed passes through redact.ts: diagnostics (stderr, where provider errors and
  // exceptions go) with every credential shape masked, stdout with the known key values masked
  // (its documents and tables may rightly show what a key looks like).
  addSecretsFromEnv(process.env);
  const io: IO = { out: (text) => terminal.out(redactSecrets(text)), err: (text) => terminal.err(redact(text)), tty: terminal.tty };
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    io.out(MAIN_HELP);
    return 0;
  }
  if (name === '--version' || name === '-v') {
    io.out('promptgate 0.1.0\n');
    return 0;
  }
  try {
    const entry = commands[name];
    if (!entry) throw new UsageError(`unknown command "${name}"; expected one of: ${Object.keys(commands).join(', ')} (see promptgate --help)`);
    const command = await entry.load();
    if (rest.includes('--help') || rest.includes('-h')) {
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
