// md-escape.ts: a value from outside never breaks a markdown table row or injects markup.

import { describe, expect, it } from 'vitest';
import { mdCell, mdClean, mdCode, mdCodeCell, mdUrlPart } from './md-escape.ts';

/** The cells of a GFM table row: split on pipes that are not escaped. */
const cellsOf = (row: string) => row.replace(/^\|/, '').replace(/\|$/, '').split(/(?<!\\)\|/);

const HOSTILE = ['a|b', 'line one\nline two', 'cr\ronly', 'nul\u0000esc\u001b[31mred', 'back\\|slash', '<script>x</script>', '![t](http://x/p.png)', '`tick` | `x`', 'nel\u0085ls\u2028ps\u2029'];

describe('markdown escaping', () => {
  it.each(HOSTILE)('keeps a table row whole with %j in a cell, as text and as code', (value) => {
    const row = `| ${mdCell(value)} | ${mdCodeCell(value)} | end |`;
    expect(row.split(/\r\n|[\r\n\u0085\u2028\u2029]/)).toHaveLength(1);
    expect(cellsOf(row)).toHaveLength(3);
    expect(row).not.toMatch(/[\u0000-\u0008\u000B-\u001F\u007F-\u009F]/);
    // As text, no HTML and no link or image; in a code span both are shown literally anyway.
    expect(mdCell(value)).not.toMatch(/<|\]\(/);
  });

  it('keeps ordinary values readable', () => {
    expect(mdCell('Claude Sonnet 5.5')).toBe('Claude Sonnet 5.5');
    expect(mdCell('1.2.0 beats 1.1.0 [95% CI +0.01, +0.18]')).toBe('1.2.0 beats 1.1.0 [95% CI +0.01, +0.18]');
    expect(mdCode('payments-pci')).toBe('`payments-pci`');
    expect(mdCodeCell('1.2.0|payments-pci|openai:gpt-5.6-terra|0')).toBe('`1.2.0\\|payments-pci\\|openai:gpt-5.6-terra\\|0`');
  });

  it('fences code that contains backticks with a longer run', () => {
    expect(mdCode('a `b` c')).toBe('``a `b` c``');
    expect(mdCode('`x')).toBe('`` `x ``');
  });

  it('encodes link parts so that parentheses and pipes cannot end the link', () => {
    expect(mdUrlPart('a|b (c)')).toBe('a%7Cb%20%28c%29');
  });

  it('removes control characters from a whole document but keeps its lines', () => {
    expect(mdClean('a\u0000b\n\tc\u001b')).toBe('a\uFFFDb\n\tc\uFFFD');
  });
});
