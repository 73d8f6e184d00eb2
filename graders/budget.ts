// budget — the prompt's optional input "budget constraints" and its constraint "include cost
// estimation for cloud resources": when the user states a monthly budget, the estimate must
// fit it, or the design is not one they can buy.
//
// Needs a scenario. Without a stated budget it passes with a note. Otherwise the document's
// monthly cost is read from its estimate (cost-table.ts): the first cost table that is not about
// options, alternatives or future scale (by its header or the heading above it) — its stated
// total row, else the sum of its items; for ranges, the high end. Passes when that is within the
// budget. Score = 1 within the budget, else budget / cost; 0 without a cost table.

import { at, defineGrader, grade } from './core.ts';
import { readCostTable } from './cost-table.ts';
import { sectionAt } from './document.ts';
import { formatMoney } from './money.ts';

/** Tables that price something other than the design: options, alternatives, growth. */
const NOT_THE_ESTIMATE = /option|alternativ|compar|scenario|\d+\s*x\b|at scale|future|growth|projection|year [2-9]|rejected/i;

export default defineGrader({
  id: 'budget',
  description: "The estimated monthly cost fits the scenario's budget",
  weight: 1,
  needsScenario: true,
  grade(doc, { scenario }) {
    const budget = scenario!.facts.monthlyBudgetUsd;
    if (budget === undefined) return grade(true, 1, 'the scenario states no budget', []);
    const tables = doc.tables.filter((t) => !NOT_THE_ESTIMATE.test(`${sectionAt(doc, t.line)?.title ?? ''} ${t.header.join(' ')}`));
    const estimate = tables.map((t) => readCostTable(doc, t)).find((t) => t !== null && t.items.length >= 1);
    if (!estimate) return grade(false, 0, `no cost table to compare with the budget of ${formatMoney(budget)}/month`, [], { budget });
    const total = estimate.totals.find((x) => !/sub-?total/i.test(x.label));
    const worst = {
      line: total?.line ?? estimate.line,
      monthly: total ? total.money.high : estimate.items.reduce((s, i) => s + i.money.high, 0),
      currency: estimate.items[0]!.money.currency,
      stated: Boolean(total),
    };
    const cost = formatMoney(worst.monthly, worst.currency);
    const note = worst.currency === '$' ? '' : ` (in ${worst.currency}, compared as USD)`;
    const facts = { budget, estimate: Math.round(worst.monthly * 100) / 100, stated: worst.stated };
    if (worst.monthly <= budget) {
      return grade(true, 1, `estimate ${cost}/month is within the ${formatMoney(budget)}/month budget${note}`, [at(worst.line, 'cost estimate')], facts);
    }
    return grade(false, budget / worst.monthly, `estimate ${cost}/month exceeds the ${formatMoney(budget)}/month budget${note}`, [at(worst.line, 'cost estimate')], facts);
  },
});
