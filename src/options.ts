// Option values, checked once for every command (src/cli.ts calls `checkArgs` after parsing),
// and the few typed readings of them (numbers, lists) that commands share. One place, so that no
// command can take `--resume ""` (an unset $RUN_ID in CI) as "no resume" and start a new paid
// run, and so that `--samples 0x10` or `--max-cost Infinity` never reach a plan: JavaScript's
// Number() reads both, so numbers are matched as plain decimals before they are converted.

import type { ParseArgsConfig } from 'node:util';
import { UsageError } from './errors.ts';

type Options = NonNullable<ParseArgsConfig['options']>;
type Token = { kind: 'option'; name: string; rawName: string; value?: string | undefined } | { kind: 'positional'; value: string } | { kind: 'option-terminator' };

/**
 * Every value given on the command line is non-empty, free of control characters (a NUL in a
 * path is a TypeError deep in node:fs), and a single-valued option is given once: with two, the
 * last would silently win (`--resume $A --resume $B`).
 */
export function checkArgs(command: string, options: Options, usage: string, tokens: Token[]): void {
  const seen = new Set<string>();
  for (const t of tokens) {
    if (t.kind === 'positional') {
      if (t.value.trim() === '') throw new UsageError(`${command}: an empty argument; expected ${positionalShape(usage, command)}`);
      checkCharacters(command, 'an argument', t.value);
      continue;
    }
    if (t.kind !== 'option') continue;
    const option = options[t.name];
    if (!option) continue;
    // Twice is ambiguous only for a value: `--json --json` still means --json.
    if (option.type === 'string' && !option.multiple && seen.has(t.name)) throw new UsageError(`${command}: ${t.rawName.startsWith('--') ? t.rawName : `--${t.name}`} is given twice; give it once`);
    seen.add(t.name);
    if (option.type !== 'string') continue;
    const value = t.value ?? '';
    if (value.trim() === '') throw new UsageError(`${command} --${t.name}: empty value; expected ${placeholder(usage, t.name)} (an unset variable?)`);
    checkCharacters(command, `--${t.name}`, value);
  }
}

function checkCharacters(command: string, what: string, value: string): void {
  // Tab is the one control character a shell user might mean; none belongs in a path, an id or a number.
  const bad = /[\u0000-\u0008\u000a-\u001f\u007f]/.exec(value);
  if (bad) throw new UsageError(`${command} ${what}: contains the control character U+${bad[0].charCodeAt(0).toString(16).padStart(4, '0').toUpperCase()}; expected plain text`);
}

/** What the usage text shows after the option ("--resume RUN_ID" → "RUN_ID"), else "a value". */
function placeholder(usage: string, name: string): string {
  const shown = new RegExp(`--${name.replace(/[-]/g, '\\-')}[ =]([A-Z][\\w|$.:-]*)`).exec(usage)?.[1];
  return shown ? `a value (${shown})` : 'a value';
}

function positionalShape(usage: string, command: string): string {
  const line = usage.split('\n').find((l) => l.startsWith('Usage:'));
  return line ? `what "${line.replace(/^Usage:\s*/, '')}" shows` : `a value (see promptgate ${command} --help)`;
}

export interface Range {
  min: number;
  max: number;
}

const INTEGER = /^\d+$/;
const DECIMAL = /^\d+(?:\.\d+)?$/;

/** A plain decimal whole number in range: "16", never "0x10", "1e1", "16.0" or " 16". */
export function integerOption(flag: string, text: string, range: Range): number {
  const n = INTEGER.test(text) ? Number(text) : NaN;
  if (!(n >= range.min && n <= range.max)) throw new UsageError(`${flag}: "${text}" is not a whole number from ${range.min} to ${range.max}; expected plain digits, e.g. ${range.min}`);
  return n;
}

/** A plain decimal amount in range, above `min` (exclusive) and at most `max`: "2.50", never "Infinity", "1e999" or "-1". */
export function amountOption(flag: string, text: string, range: Range): number {
  const n = DECIMAL.test(text) ? Number(text) : NaN;
  if (!(n > range.min && n <= range.max)) throw new UsageError(`${flag}: "${text}" is not an amount above ${range.min} and at most ${range.max}; expected plain digits with an optional decimal point, e.g. 2.50`);
  return n;
}

/** A comma-separated list: no empty item, no item twice (a model or scenario listed twice would be paid twice). */
export function listOption(flag: string, text: string): string[] {
  const items = text.split(',').map((s) => s.trim());
  if (items.some((s) => s === '')) throw new UsageError(`${flag}: "${text}" has an empty item; expected names separated by single commas`);
  const twice = firstDuplicate(items);
  if (twice !== null) throw new UsageError(`${flag}: "${twice}" is listed twice; list each once`);
  return items;
}

/** The first value that occurs twice, or null. */
export function firstDuplicate<T>(values: readonly T[]): T | null {
  const seen = new Set<T>();
  for (const v of values) {
    if (seen.has(v)) return v;
    seen.add(v);
  }
  return null;
}
