// The contract between the CLI and its commands, in its own module so that commands do not import
// cli.ts (which imports them): a command is its usage text, its flags and a run function that
// prints through IO and signals failure by throwing the typed errors of errors.ts.

import type { ParseArgsConfig } from 'node:util';

export interface IO {
  out(text: string): void;
  err(text: string): void;
  /** True when stdout is a terminal (live progress); false in CI, pipes and TERM=dumb. */
  tty: boolean;
}

export type OptionValues = Record<string, string | boolean | Array<string | boolean> | undefined>;

export interface CommandModule {
  usage: string;
  options: NonNullable<ParseArgsConfig['options']>;
  run(positionals: string[], values: OptionValues, io: IO): Promise<void>;
}
