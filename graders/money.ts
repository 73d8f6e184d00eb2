// Reading amounts of money as models write them: $1,200 · $1.2k · ~$1.2K · USD 1200 · 1,200 USD ·
// €900 · £1.5M · $800–$1,200 (a range) · $3,350/month · $40,200/yr · "$0.023/GB" (a rate, not an
// amount). Every amount is normalised to a monthly [low, high] range; currencies are not converted
// (a document prices in one currency).

export interface Money {
  /** Monthly amount, low and high end (equal unless a range was written). */
  low: number;
  high: number;
  currency: string;
  /** What the cell said about the period, if anything. */
  period: 'month' | 'year' | null;
  text: string;
}

const CUR = String.raw`(?:US\$|\$|€|£|USD|EUR|GBP)`;
const NUM = String.raw`\d(?:[\d,.]*\d)?(?:[kKmM](?![\w.]))?`;
// The second form starts only where a number starts (never after a digit, or a digit and a
// separator): the same matches, found in linear time in a cell of "1,1,1,…" (see scalability.ts).
const AMOUNT = new RegExp(String.raw`(${CUR})\s?(${NUM})|(?<!\d)(?<!\d[,.])(${NUM})\s?(${CUR})(?![a-zA-Z])`, 'g');
/** A cell that is only a number (under a currency header): "2,400", "~1.1k", "**3,850**". */
const BARE = new RegExp(String.raw`^(\s*[*_~≈]*\s*)(${NUM})(?=\s*(?:[*_]*\s*$|[-–—]|to\s|\/|per\s|a\s|monthly|annually|yearly))`);
/** The operator before a cell's result: "… × 730 h ≈ $1,680", "= $345". */
const RESULT = new RegExp(String.raw`[=≈→]\s*(?=[~≈]?\s*(?:${CUR})?\s*\d)`, 'g');
const RANGE_JOIN = /^\s*(?:-|–|—|to)\s*$/;
const RATE_AFTER = /^\s*(?:\/|per\s)\s*(?:gb|tb|pb|mb|hours?|hrs?|h\b|million|mil|m\b|k\b|1k|1m|requests?|events?|vcpu|cpu|nodes?|users?|seats?|query|queries|dpu|units?|instances?|day|days|min|minutes?|second|sec|s\b|shards?|brokers?|slots?|row|rows|scan)/i;
const MONTH_AFTER = /^\s*(?:\/\s*mo(?:nth)?\b|per\s+month|a\s+month|monthly|\/m\b|pm\b)/i;
const YEAR_AFTER = /^\s*(?:\/\s*(?:yr|year|y)\b|per\s+(?:year|annum)|a\s+year|annually|yearly|p\.?a\.?\b)/i;
/** Every amount starts with a digit. */
const DIGIT = /\d/;

/** Parse "1,200", "1.2k", "1.200" (EU thousands), "1.234,56" into a number. */
export function parseNumber(raw: string): number {
  let s = raw.replace(/\s/g, '');
  let mult = 1;
  const suffix = s.slice(-1).toLowerCase();
  if (suffix === 'k' || suffix === 'm') {
    mult = suffix === 'k' ? 1e3 : 1e6;
    s = s.slice(0, -1);
  }
  if (/^[1-9]\d{0,2}(\.\d{3})+$/.test(s)) s = s.replace(/\./g, '');
  else if (/,\d{1,2}$/.test(s) && s.includes('.')) s = s.replace(/\./g, '').replace(',', '.');
  else s = s.replace(/,/g, '');
  return Number(s) * mult;
}

/**
 * The amount a table cell (or a line of text) states, normalised to monthly. `defaultPeriod`
 * comes from the column header or row label ("Annual Cost"); `currency` from a header such as
 * "Monthly (USD)", whose cells may then hold bare numbers ("2,400"). Returns null when the text
 * states no amount, or only a rate ("$0.023/GB"). A cell that shows its working
 * ("6 × $0.384/h × 730 h ≈ $1,680") states the result after its last = or ≈. A minus sign
 * ("−$32K", "-$500") or accounting parentheses ("($32K)") make the amount negative.
 */
export function parseMoney(text: string, defaultPeriod: 'month' | 'year' | null = null, currency: string | null = null): Money | null {
  // Most cells (labels, notes) hold no digit, hence no amount: nothing to read.
  if (!DIGIT.test(text)) return null;
  // exec loops rather than matchAll, which clones the regex on every call (neither pattern can
  // match an empty string, so stepping by lastIndex visits the same matches).
  let result: RegExpExecArray | null = null;
  RESULT.lastIndex = 0;
  for (let m = RESULT.exec(text); m; m = RESULT.exec(text)) result = m;
  const cell = result ? text.slice(result.index + result[0].length) : text;
  const amounts: Array<{ value: number; currency: string; start: number; end: number }> = [];
  AMOUNT.lastIndex = 0;
  for (let m = AMOUNT.exec(cell); m; m = AMOUNT.exec(cell)) {
    const sign = (m[1] ?? m[4])!;
    amounts.push({ value: parseNumber((m[2] ?? m[3])!), currency: sign === 'US$' || sign === 'USD' ? '$' : sign, start: m.index!, end: m.index! + m[0].length });
  }
  const bare = currency && !amounts.length ? BARE.exec(cell) : null;
  if (bare && currency) amounts.push({ value: parseNumber(bare[2]!), currency, start: bare[1]!.length, end: bare[0].length });
  const first = amounts[0];
  if (!first || !Number.isFinite(first.value)) return null;
  let last = first;
  const second = amounts[1];
  if (second && RANGE_JOIN.test(cell.slice(first.end, second.start))) last = second;
  // "$800-1,200": the second number of a range may come without its currency sign.
  if (last === first) {
    const bare = /^\s*(?:-|–|—|to)\s*(\d(?:[\d,.]*\d)?(?:[kKmM](?![\w.]))?)/.exec(cell.slice(first.end));
    if (bare) last = { value: parseNumber(bare[1]!), currency: first.currency, start: first.end, end: first.end + bare[0].length };
  }
  const after = cell.slice(last.end);
  if (RATE_AFTER.test(after)) return null;
  const period = MONTH_AFTER.test(after) ? 'month' : YEAR_AFTER.test(after) ? 'year' : null;
  const divisor = (period ?? defaultPeriod) === 'year' ? 12 : 1;
  const before = cell.slice(0, first.start);
  const negative = /(?:^|[\s|])[-−–]\s*[~≈]?\s*$/.test(before) || (/^\s*\(\s*$/.test(before) && /^\s*\)/.test(after));
  const sign = negative ? -1 : 1;
  const [a, b] = [(sign * first.value) / divisor, (sign * last.value) / divisor];
  return { low: Math.min(a, b), high: Math.max(a, b), currency: first.currency, period, text: cell.slice(first.start, last.end).trim() };
}

/** The currency a column header names: "Cost (USD)", "Monthly $", "EUR/month". */
export function currencyOf(header: string): string | null {
  if (/\$|\busd\b/i.test(header)) return '$';
  if (/€|\beur\b/i.test(header)) return '€';
  if (/£|\bgbp\b/i.test(header)) return '£';
  return null;
}

/** The period a column header or row label implies: "Annual cost" → year, "Monthly" → month. */
export function periodOf(label: string): 'month' | 'year' | null {
  if (/month|\/\s*mo\b|\bmo\b|\bmrr\b/i.test(label)) return 'month';
  if (/annual|yearly|per year|\/\s*yr|\byear\b|\b12[- ]month/i.test(label)) return 'year';
  return null;
}

// `toLocaleString` builds an Intl.NumberFormat on every call (it is what the spec says it does),
// which costs more than the rest of a grader's reason: build the two we use once.
const CENTS = new Intl.NumberFormat('en-US', { maximumFractionDigits: 2 });
const WHOLE = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });

export function formatMoney(value: number, currency = '$'): string {
  return `${currency}${(value < 100 ? CENTS : WHOLE).format(value)}`;
}

/**
 * The period a row label states outright: "Support (annual)", "Licences per year", "Hosting,
 * monthly". Stricter than `periodOf`: a label's other words ("year-1 average", "over 2 years")
 * describe the item, not the period of its amount.
 */
export function labelPeriod(label: string): 'month' | 'year' | null {
  if (/\bmonthly\b|per month|\/\s*mo(?:nth)?\b|a month\b|\(month\)/i.test(label)) return 'month';
  if (/\bannual(?:ly)?\b|\byearly\b|per (?:year|annum)|\/\s*yr\b|a year\b|\(year\)|\b12[- ]months?\b/i.test(label)) return 'year';
  return null;
}
