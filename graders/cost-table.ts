// cost-table — the prompt's <constraints> ask for "cost estimation for cloud resources". A cost
// estimate a reader can check is a table of priced line items that states its monthly total, and
// the total must be the sum of the items (models get this arithmetic wrong surprisingly often).
//
// A cost table is a GFM table with a money column (see money.ts for the formats read) whose
// header or enclosing section speaks of cost, price, spend or budget, with at least two priced
// line items. The money column is the one headed "monthly", else "annual" (÷ 12), else "cost",
// "price" or "estimate" (not "unit price" or "rate"), else the rightmost column with amounts.
// Rates ("$0.023/GB") are not line items; negative amounts (discounts) subtract.
//
// The estimate (the first cost table that does not price options, alternatives or future scale)
// must state its total, in one of two places:
// - a row labelled "Total" / "Grand total" / "Estimated monthly total" (bold or not; a label
//   such as "S3 (~6 TB total)" is an item), checked against all items above it;
// - the sentence right after the table: "**Total: ≈ $10,900/month**" in the three lines under
//   it, or a first line under it that says the items "add up to", "come to", "total" an amount
//   ("The items add up to roughly $4,900/month.").
// Every stated total, in any cost table, must equal its items within 2% after normalising to
// monthly; a subtotal ("Subtotal", "Production total", or a total row followed by more items) is
// checked against the items since the previous total. Totals qualified with contingency,
// discounts, or multi-year TCO are not checked, and do not count as the stated total.
//
// Passes: an estimate with ≥ 2 items and a stated total, and no wrong total anywhere. Score: 1
// pass; 0.6 an estimate that states no total; 0.5 a wrong total; 0.3 a table with a single
// priced item; 0.2 costs only in prose or bullets.

import { at, defineGrader, grade, type Location } from './core.ts';
import { findAll, sectionAt, type Document, type Table } from './document.ts';
import { currencyOf, formatMoney, labelPeriod, parseMoney, periodOf, type Money } from './money.ts';

const COSTISH = /cost|price|pricing|spend|budget|estimate|\$|usd|eur|€|£|tco|monthly|annual|\/mo/i;
const NOT_AMOUNT_COLUMN = /unit|rate|per (?:hour|gb|tb|unit|request)|hourly|%|share|percent|saving|delta|change|notes?|assumption|specification|size|sizing/i;
const GRAND_WORDS = String.raw`(?:grand|overall|estimated|est\.?|net|monthly|annual|yearly|combined|platform|all-in|projected|approx\.?|approximate|total|cost|costs|spend|per month|\/\s*mo(?:nth)?|:)`;
/** "Total", "Grand total", "Estimated monthly total", "Total cost" — not "S3 (~6 TB total)". */
const TOTAL = new RegExp(String.raw`^(?:${GRAND_WORDS}\s*)*total\b(?:\s*${GRAND_WORDS})*\s*$|^(?:sum|overall)\b`, 'i');
/** "Subtotal", "Production total", "Streaming total": a total of some of the items. */
const SUBTOTAL = /^sub-?total\b|^[\w/&+ -]+?\s+(?:sub-?)?total\s*:?$/i;
/** A line that states a total: "**Total: ≈ $10,900/month**", "Estimated platform total = $3,350". */
const TOTAL_LINE = /^\s*[*_>\s-]*(?:[\w-]+\s+){0,3}total\b[^:=≈$€£\d\n]{0,30}[:=≈]\s*(.*)$/i;
const UNCHECKED_TOTAL = /contingen|buffer|discount|reserved|saving|committed|\btco\b|\d+[- ]year|multi-year|per\s|incl|with\s|after\s|excl|range/i;
/** The sentence right after the table, saying what the items come to: "The items add up to roughly $4,900/month." */
const TOTAL_SENTENCE = /\b(?:add(?:s|ing)? up to|sums? to|comes? (?:out )?to|works? out (?:at|to)|totals?|totall?ing|in total|in all|altogether|all[- ]in|all told|together|overall|brings? (?:the|it|us|this) (?:total )?to)\b([^.;]*(?:\.\d[^.;]*)*)/i;
/** Period phrases, which say how often, not what a total includes. */
const PERIOD_WORDS = /\b(?:per|a|each|every) (?:month|year)\b|\/\s*(?:mo(?:nth)?|yr|year)\b|\bmonthly\b/gi;
/** Tables that price something other than the design: options, alternatives, growth. Shared with budget. */
export const NOT_THE_ESTIMATE = /option|alternativ|compar|scenario|\d+\s*x\b|at scale|future|growth|projection|year [2-9]|rejected|conflict|feasib|trade-?off|\bwhy\b|requirement|\bvs\.?(?=\s|$)|versus|what it would take/i;
/** A section about the estimate: "Cost Estimation", "What it will cost". */
const COST_SECTION = /\bcost|pricing|budget|\btco\b|\bspend\b|finops|economics/i;
const TOLERANCE = 0.02;
/** An amount written in prose or a list, for the partial score. */
const PROSE_AMOUNT = /(?:US\$|\$|€|£|USD|EUR)\s?\d/;

export interface Item {
  label: string;
  line: number;
  money: Money;
}

export interface CostTable {
  line: number;
  column: string;
  items: Item[];
  totals: Array<Item & { computed: { low: number; high: number }; ok: boolean }>;
}

export default defineGrader({
  id: 'cost-table',
  description: 'A table of priced cost items whose total, if stated, adds up',
  weight: 2,
  grade(doc) {
    const tables = doc.tables.map((t) => readCostTable(doc, t)).filter((t): t is CostTable => t !== null);
    const usable = tables.filter((t) => t.items.length >= 2);
    const wrong = usable.flatMap((t) => t.totals.filter((x) => !x.ok));
    const facts = { tables: usable.map(summarise) };
    const best = estimateOf(doc, usable);

    if (best && !wrong.length) {
      const total = best.totals.find((x) => !/sub-?total/i.test(x.label)) ?? best.totals[0];
      if (!total) {
        return grade(false, 0.6, `the cost estimate (${best.items.length} priced items) states no total, in a total row or the sentence after the table`, [at(best.line, `cost table (${best.column}) without a total`)], facts);
      }
      const reason = `${best.items.length} priced items; total ${formatMoney(total.money.high, total.money.currency)} matches the sum of the items`;
      const where = total.label === 'total under the table' ? 'total in the sentence after the table' : 'total row';
      return grade(true, 1, reason, [at(best.line, `cost table (${best.column})`), at(total.line, where)], facts);
    }
    if (wrong.length) {
      const w = wrong[0]!;
      const cur = w.money.currency;
      const reason = `stated total ${formatMoney(w.money.high, cur)} (line ${w.line}) does not equal the sum of the items, ${formatMoney(w.computed.high, cur)}`;
      const where: Location[] = wrong.map((x) => at(x.line, `total ${x.money.text}; items sum to ${formatMoney(x.computed.high, cur)}`));
      return grade(false, 0.5, reason, where, facts);
    }
    if (tables.length) {
      const t = tables[0]!;
      return grade(false, 0.3, `the cost table has ${t.items.length} priced item; wanted at least 2`, [at(t.line, 'cost table')], facts);
    }
    const prose = findAll(doc, PROSE_AMOUNT, { prose: true });
    if (prose.length) {
      return grade(false, 0.2, 'costs appear only in prose or lists, not in a table', prose.slice(0, 5).map((m) => at(m.line, m.text, m.column)), facts);
    }
    return grade(false, 0, 'no cost estimate found', [], facts);
  },
});

// Both cost-table and budget read every table of a document, and a document may be graded again
// against other scenarios: read each table once. A table belongs to one document; the document
// is kept with the entry all the same, so a table passed with another document is read afresh.
const read = new WeakMap<Table, { doc: Document; costTable: CostTable | null }>();

/**
 * Read a table as a cost table, or null when it is not one. Exported for the budget grader.
 * The result is shared between callers: read it, do not change it.
 */
export function readCostTable(doc: Document, table: Table): CostTable | null {
  const cached = read.get(table);
  if (cached?.doc === doc) return cached.costTable;
  const costTable = readTable(doc, table);
  read.set(table, { doc, costTable });
  return costTable;
}

function readTable(doc: Document, table: Table): CostTable | null {
  const column = moneyColumn(table);
  if (column < 0) return null;
  const header = table.header[column] ?? '';
  const section = sectionAt(doc, table.line);
  if (!COSTISH.test(header) && !COSTISH.test(section?.title ?? '') && !table.header.some((h) => COSTISH.test(h))) return null;

  const columnPeriod = periodOf(header);
  const columnCurrency = currencyOf(header);
  const rows = table.rows.flatMap((row) => {
    const label = rowLabel(row.cells, column);
    const money = parseMoney(row.cells[column] ?? '', labelPeriod(label) ?? columnPeriod, columnCurrency);
    return money ? [{ label, line: row.line, money, kind: kindOf(label) }] : [];
  });
  const items = rows.filter((r) => r.kind === 'item');
  if (!items.length) return null;

  const totals: CostTable['totals'] = [];
  let since: Item[] = [];
  rows.forEach((row, i) => {
    if (row.kind === 'item') return void since.push(row);
    // A total with items after it, or named for a part ("Staging total"), sums the part above it.
    const partial = row.kind === 'subtotal' || rows.slice(i + 1).some((r) => r.kind === 'item');
    if (!UNCHECKED_TOTAL.test(row.label.replace(/total/i, ''))) totals.push(check(row, partial ? since : items.filter((it) => it.line < row.line)));
    if (partial) since = [];
  });
  const prose = totalUnderTable(doc, table, columnPeriod);
  if (prose) totals.push(check(prose, items));
  return { line: table.line, column: header || `column ${column + 1}`, items, totals };
}

function kindOf(label: string): 'item' | 'total' | 'subtotal' {
  // At most 200 characters inside: a label of "((((…" is then read in linear time, not from every "(" to its end.
  const bare = label.replace(/\([^)]{0,200}\)/g, ' ').replace(/\s+/g, ' ').trim();
  if (TOTAL.test(bare)) return 'total';
  if (SUBTOTAL.test(bare)) return 'subtotal';
  return 'item';
}

/**
 * A total stated right after a table: "**Total: ≈ $10,900/month**" in the first three lines
 * under it, or a first line saying what the items come to ("The items add up to $4,900/month").
 */
function totalUnderTable(doc: Document, table: Table, period: 'month' | 'year' | null): Item | null {
  let seen = 0;
  for (let line = table.endLine + 1; line <= doc.lines.length && seen < 3; line++) {
    const text = doc.lines[line - 1]!;
    if (!text.trim()) continue;
    seen++;
    if (doc.inCode[line] || /^\s*(?:#|\|)/.test(text)) return null;
    // Only the first sentence after the table speaks for it: "at 2x the total reaches $1,300" later
    // in the paragraph is a projection.
    const row = TOTAL_LINE.exec(text);
    const stated = row ?? (seen === 1 ? TOTAL_SENTENCE.exec(text.split(/(?<=[.!?])\s+(?=[A-Z*])/)[0]!) : null);
    if (!stated) continue;
    // The words around a total row's amount qualify it ("Total incl. contingency: …"); a sentence's
    // other clauses ("… would save $400/month") do not.
    const qualifiers = row ? text.replace(/total/i, '') : sentenceQualifiers(stated[1]!);
    if (UNCHECKED_TOTAL.test(qualifiers)) continue;
    const money = parseMoney(stated[1]!, period);
    if (money) return { label: 'total under the table', line, money };
  }
  return null;
}

/** How a sentence's total is qualified: the words up to its amount and just after it, not the clauses after a comma. */
function sentenceQualifiers(rest: string): string {
  const amount = /\d[\d,.]*\s*[kKmM]?\b/.exec(rest);
  const upTo = amount ? rest.slice(0, amount.index + amount[0].length + 30) : rest;
  return upTo.split(/,|\(|—|–/)[0]!.replace(PERIOD_WORDS, ' ');
}

/**
 * The design's estimate among its cost tables (shared with budget): of those that do not price
 * options, alternatives, growth or a requirements conflict (by the heading above or the header),
 * the first under a cost heading, else the first with a stated total, else the first.
 */
export function estimateOf(doc: Document, tables: CostTable[]): CostTable | undefined {
  const about = (t: CostTable) => {
    const section = sectionAt(doc, t.line);
    const header = doc.tables.find((x) => x.line === t.line)?.header.join(' ') ?? '';
    return { section: section?.title ?? '', header };
  };
  const own = tables.filter((t) => {
    const { section, header } = about(t);
    return !NOT_THE_ESTIMATE.test(`${section} ${header}`);
  });
  return own.find((t) => COST_SECTION.test(about(t).section)) ?? own.find((t) => t.totals.length) ?? own[0] ?? tables[0];
}

/** The column that holds the amounts, or -1. */
function moneyColumn(table: Table): number {
  const counts = table.header.map((h, c) => table.rows.filter((r) => parseMoney(r.cells[c] ?? '', null, currencyOf(h)) !== null).length);
  // Column 0 holds the row labels; amounts sit to its right.
  const candidates = counts.map((_, c) => c).filter((c) => c > 0 && counts[c]! >= 1);
  if (!candidates.length) return -1;
  const h = (c: number) => table.header[c] ?? '';
  const amountColumns = candidates.filter((c) => !NOT_AMOUNT_COLUMN.test(h(c)) || /month|annual|total/i.test(h(c)));
  const pool = amountColumns.length ? amountColumns : candidates;
  return (
    pool.find((c) => periodOf(h(c)) === 'month') ??
    pool.find((c) => periodOf(h(c)) === 'year' && !/\d+[- ]year|tco/i.test(h(c))) ??
    pool.find((c) => /cost|price|estimate|spend|amount|total|\$|usd|eur|€|£/i.test(h(c))) ??
    pool[pool.length - 1]!
  );
}

/** A row's label: its first cell, or the first cell that is not the amount. */
function rowLabel(cells: string[], column: number): string {
  const label = cells.find((c, i) => i !== column && c.trim() !== '') ?? '';
  return label.replace(/[*_`]/g, '').trim();
}

function check(total: Item, items: Item[]): CostTable['totals'][number] {
  const computed = {
    low: items.reduce((s, i) => s + i.money.low, 0),
    high: items.reduce((s, i) => s + i.money.high, 0),
  };
  const near = (a: number, b: number) => Math.abs(a - b) <= TOLERANCE * Math.max(Math.abs(b), 1);
  const ok =
    (near(total.money.low, computed.low) && near(total.money.high, computed.high)) ||
    (total.money.low === total.money.high && total.money.low >= computed.low * (1 - TOLERANCE) && total.money.high <= computed.high * (1 + TOLERANCE));
  return { ...total, computed, ok };
}

function summarise(t: CostTable) {
  return {
    line: t.line,
    column: t.column,
    items: t.items.map((i) => ({ label: i.label, line: i.line, monthly: round(i.money.low, i.money.high) })),
    totals: t.totals.map((x) => ({ label: x.label, line: x.line, stated: round(x.money.low, x.money.high), computed: round(x.computed.low, x.computed.high), ok: x.ok })),
  };
}

function round(low: number, high: number): number | [number, number] {
  const r = (v: number) => Math.round(v * 100) / 100;
  return low === high ? r(low) : [r(low), r(high)];
}
