import { describe, expect, it } from 'vitest';
import { currencyOf, parseMoney, parseNumber, periodOf } from './money.ts';

const monthly = (text: string, period: 'month' | 'year' | null = null, currency: string | null = null) => {
  const m = parseMoney(text, period, currency);
  return m && [m.low, m.high, m.currency];
};

describe('parseNumber', () => {
  it.each([
    ['1,200', 1200],
    ['1.2k', 1200],
    ['1.5M', 1_500_000],
    ['1.200', 1200],
    ['1.234,56', 1234.56],
    ['0.023', 0.023],
    ['12,345.50', 12345.5],
  ])('%s → %d', (raw, value) => expect(parseNumber(raw)).toBeCloseTo(value));
});

describe('parseMoney', () => {
  it.each<[string, ReturnType<typeof monthly>]>([
    ['$1,200', [1200, 1200, '$']],
    ['**$3,350/month**', [3350, 3350, '$']],
    ['~$1.2K', [1200, 1200, '$']],
    ['USD 1200', [1200, 1200, '$']],
    ['1,200 USD', [1200, 1200, '$']],
    ['US$ 900', [900, 900, '$']],
    ['€900', [900, 900, '€']],
    ['£1.5k per month', [1500, 1500, '£']],
    ['$14,400/yr', [1200, 1200, '$']],
    ['$24,000 per year', [2000, 2000, '$']],
    ['$800–$1,200', [800, 1200, '$']],
    ['$800-1,200', [800, 1200, '$']],
    ['$1.2k to $1.5k', [1200, 1500, '$']],
    ['$600 ($7,200/yr)', [600, 600, '$']],
    ['$0 (free tier)', [0, 0, '$']],
    ['$0.023/GB', null],
    ['$0.25 per hour', null],
    ['$5 per million requests', null],
    ['Included', null],
    ['3 brokers, m5.large', null],
    ['$1,200 m5.large', [1200, 1200, '$']],
  ])('%s', (text, expected) => expect(monthly(text)).toEqual(expected));

  it('applies the period of a column or row label when the cell has none', () => {
    expect(monthly('$12,000', 'year')).toEqual([1000, 1000, '$']);
    expect(monthly('$12,000/month', 'year')).toEqual([12000, 12000, '$']);
  });

  it('reads bare numbers only under a currency header', () => {
    expect(monthly('2,400')).toBeNull();
    expect(monthly('2,400', null, '$')).toEqual([2400, 2400, '$']);
    expect(monthly('**3,850**', null, '$')).toEqual([3850, 3850, '$']);
    expect(monthly('~1.1k', null, '$')).toEqual([1100, 1100, '$']);
    expect(monthly('3 nodes', null, '$')).toBeNull();
  });
});

describe('column labels', () => {
  it('reads period and currency from headers', () => {
    expect(periodOf('Monthly Cost')).toBe('month');
    expect(periodOf('Annual (USD)')).toBe('year');
    expect(periodOf('Cost')).toBeNull();
    expect(currencyOf('Monthly (USD)')).toBe('$');
    expect(currencyOf('Kosten (EUR)')).toBe('€');
    expect(currencyOf('Cost')).toBeNull();
  });
});

describe('signs and worked cells', () => {
  it.each<[string, ReturnType<typeof monthly>]>([
    ['−$32K', [-32000, -32000, '$']],
    ['-$500', [-500, -500, '$']],
    ['($1,200)', [-1200, -1200, '$']],
    ['Kafka ($600 est.)', [600, 600, '$']],
    ['6 × $0.384/h × 730 h ≈ $1,680', [1680, 1680, '$']],
    ['$0.023/GB × 15,000 GB = $345', [345, 345, '$']],
    ['2 × $400 = $800–$1,000', [800, 1000, '$']],
  ])('%s', (text, expected) => expect(monthly(text)).toEqual(expected));
});
