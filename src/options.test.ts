// The shared readings of option values: plain decimals in range, lists without repeats. (The CLI
// table in bad-input.cli.test.ts drives the same through the real bin.)

import { describe, expect, it } from 'vitest';
import { UsageError } from './errors.ts';
import { amountOption, checkArgs, integerOption, listOption } from './options.ts';

describe('integerOption', () => {
  it('reads plain digits in range', () => {
    expect(integerOption('--samples', '16', { min: 1, max: 100 })).toBe(16);
    expect(integerOption('--samples', '007', { min: 1, max: 100 })).toBe(7);
  });
  for (const bad of ['0x10', '1e1', '16.0', ' 16', '16 ', '+16', '-1', '0', '101', 'Infinity', 'NaN', '٣', '1_000', '0b11']) {
    it(`refuses "${bad}"`, () => expect(() => integerOption('--samples', bad, { min: 1, max: 100 })).toThrow(UsageError));
  }
});

describe('amountOption', () => {
  it('reads plain decimals above the minimum', () => {
    expect(amountOption('--max-cost', '2.50', { min: 0, max: 1000 })).toBe(2.5);
    expect(amountOption('--max-cost', '1000', { min: 0, max: 1000 })).toBe(1000);
  });
  for (const bad of ['Infinity', '1e999', '1e2', '0x10', '.5', '5.', '-1', '0', '0.0', '1000.01', 'NaN', '1,000', '$5']) {
    it(`refuses "${bad}"`, () => expect(() => amountOption('--max-cost', bad, { min: 0, max: 1000 })).toThrow(/--max-cost: ".*" is not an amount above 0 and at most 1000/));
  }
});

describe('listOption', () => {
  it('trims items and keeps their order', () => expect(listOption('--models', 'a, b,c')).toEqual(['a', 'b', 'c']));
  it('refuses an item twice', () => expect(() => listOption('--models', 'a,b, a')).toThrow('--models: "a" is listed twice; list each once'));
  it('refuses an empty item', () => expect(() => listOption('--models', 'a,,b')).toThrow(/has an empty item/));
  it('refuses a trailing comma', () => expect(() => listOption('--models', 'a,')).toThrow(/has an empty item/));
});

describe('checkArgs', () => {
  const options = { out: { type: 'string' as const }, json: { type: 'boolean' as const }, tag: { type: 'string' as const, multiple: true } };
  const usage = 'Usage: promptgate x [options]\n  --out DIR   where\n';
  const opt = (name: string, value?: string) => ({ kind: 'option' as const, name, rawName: `--${name}`, value });
  it('accepts a boolean twice and a multiple option twice', () => {
    expect(() => checkArgs('x', options, usage, [opt('json'), opt('json'), opt('tag', 'a'), opt('tag', 'b')])).not.toThrow();
  });
  it('names the placeholder the usage shows for an empty value', () => {
    expect(() => checkArgs('x', options, usage, [opt('out', '')])).toThrow('x --out: empty value; expected a value (DIR) (an unset variable?)');
  });
  it('refuses a NUL in a value', () => expect(() => checkArgs('x', options, usage, [opt('out', 'a\u0000b')])).toThrow(/U\+0000/));
});
