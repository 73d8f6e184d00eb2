// The pathological markdown shapes of bench/adversarial.bench.ts (and of the graders' bounded-time
// test): each a function from a size in characters to a valid markdown text of about that size.

import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

export const SIZES = [100, 200, 400, 1000].map((kb) => kb * 1024);

/** Each shape: text of about `n` characters. */
export const SHAPES: Record<string, (n: number) => string> = {
  // The reference: real full-length documents (the calibration set) repeated to the size.
  'normal (calibration)': (n) => repeatTo(calibration(), n),
  'deep >': (n) => '>'.repeat(n),
  'deep > spaced': (n) => '> '.repeat(n / 2),
  'nested lists': (n) => Array.from({ length: n / 64 }, (_, i) => `${'  '.repeat(i % 30)}- item ${i}`).join('\n'),
  '1, repeated': (n) => '1,'.repeat(n / 2),
  '1, in a cost cell': (n) => `## Costs\n\n| Item | Monthly |\n|---|---|\n| Storage | $${'1,'.repeat(n / 2)}1 |\n| Total | ${'1,'.repeat(n / 4)}1 USD |\n`,
  '( in a cost label': (n) => `## Costs\n\n| Item | Monthly |\n|---|---|\n| ${'('.repeat(n)} | $1 |\n| Total | $1 |\n`,
  '1, lines': (n) => Array.from({ length: n / 80 }, () => '1,'.repeat(40)).join('\n'),
  '[a]( repeated': (n) => '[a]('.repeat(n / 4),
  '[ repeated': (n) => '['.repeat(n),
  '![a]( repeated': (n) => '![a]('.repeat(n / 5),
  '* runs': (n) => '*a'.repeat(n / 2),
  '_ runs': (n) => '_a'.repeat(n / 2),
  '~ runs': (n) => '~a'.repeat(n / 2),
  '* runs, paragraphs': (n) => `${'*a'.repeat(128)}\n\n`.repeat(n / 258),
  '** runs': (n) => '**'.repeat(n / 2),
  'backticks': (n) => Array.from({ length: n / 16 }, (_, i) => '`'.repeat((i % 7) + 1) + 'x ').join(''),
  'long table': (n) => `| Item | Monthly |\n|---|---|\n${Array.from({ length: n / 24 }, (_, i) => `| Item ${i} | $${i},000 |`).join('\n')}\n| Total | $1 |\n`,
  'wide table': (n) => { const cols = Math.min(5000, n / 40); const row = (c: string) => `|${Array.from({ length: cols }, () => c).join('|')}|`; return [row(' h '), row('---'), ...Array.from({ length: Math.max(1, n / (cols * 4)) }, () => row(' $1 '))].join('\n'); },
  'many headings': (n) => Array.from({ length: n / 24 }, (_, i) => `## Section ${i}\n\ntext\n`).join('\n'),
  'bold lines': (n) => Array.from({ length: n / 20 }, (_, i) => `**Cost ${i}**\n`).join('\n'),
  'money words': (n) => Array.from({ length: n / 32 }, (_, i) => `$${i}k per month, ${i} TB/day; `).join(''),
  'html <': (n) => '<a '.repeat(n / 3),
  '<http: autolinks': (n) => '<http:a '.repeat(n / 8),
  'www. literals': (n) => 'www.a.'.repeat(n / 6),
  'entities &': (n) => '&#x1'.repeat(n / 4),
  'escapes \\': (n) => '\\*'.repeat(n / 2),
  'pipes': (n) => '|'.repeat(n),
  'numbers dots': (n) => '1.'.repeat(n / 2),
  'digits': (n) => '9'.repeat(n),
  'arrows': (n) => '-> '.repeat(n / 3),
  'one long word': (n) => 'a'.repeat(n),
  'nested brackets': (n) => '['.repeat(n / 2) + ']'.repeat(n / 2),
  'emphasis nest': (n) => '*_'.repeat(n / 4) + '_*'.repeat(n / 4),
};


function calibration(): string {
  const dir = join(import.meta.dirname, '../datasets/calibration');
  return readdirSync(dir).filter((f) => f.endsWith('.md')).sort().map((f) => readFileSync(join(dir, f), 'utf8')).join('\n\n');
}

function repeatTo(unit: string, n: number): string {
  return unit.repeat(Math.ceil(n / unit.length)).slice(0, n);
}
