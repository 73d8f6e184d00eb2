// budget — the prompt's optional input "budget constraints" and its constraint "include cost
// estimation for cloud resources": when the user states a monthly budget, the estimate must
// fit it, or the design is not one they can buy.
//
// Needs a scenario. Without a stated budget it passes with a note. Otherwise the document's
// monthly cost is read from its estimate, the same table cost-table checks (cost-table.ts
// `estimateOf`): not a table that prices options, alternatives, future scale or a requirements
// conflict, even when it holds dollar amounts; a table under a cost heading first — its stated
// total, else the sum of its items; for ranges, the high end. Passes when that is within the
// budget. Score = 1 within the budget, else budget / cost; 0 without a cost table.

import { at, defineGrader, grade } from './core.ts';
import { estimateOf, readCostTable, type CostTable } from './cost-table.ts';
import { formatMoney } from './money.ts';

export default defineGrader({
  id: 'budget',
  description: "The estimated monthly cost fits the scenario's budget",
  weight: 1,
  needsScenario: true,
  grade(doc, { scenario }) {
    const budget = scenario!.facts.monthlyBudgetUsd;
    if (budget === undefined) return grade(true, 1, 'the scenario states no budget', []);
    const tables = doc.tables.map((t) => readCostTable(doc, t)).filter((t): t is CostTable => t !== null);
    const estimate = estimateOf(doc, tables.filter((t) => t.items.length >= 2)) ?? tables[0];
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
