// budget — the prompt's optional input "budget constraints" and its constraint "include cost
// estimation for cloud resources": when the user states a monthly budget, the estimate must
// fit it, or the design is not one they can buy.
//
// Needs a scenario. Without a stated budget it passes with a note. Otherwise the document's
// monthly cost is read from its cost tables (cost-table.ts): the stated total row, else the sum
// of the items; with several cost tables, the largest (a design is judged by what it costs in
// full); for ranges, the high end. Passes when that is within the budget. Score = 1 within the
// budget, else budget / cost; 0 without a cost table.

import { at, defineGrader, grade } from './core.ts';
import { readCostTable } from './cost-table.ts';
import { formatMoney } from './money.ts';

export default defineGrader({
  id: 'budget',
  description: "The estimated monthly cost fits the scenario's budget",
  weight: 1,
  needsScenario: true,
  grade(doc, { scenario }) {
    const budget = scenario!.facts.monthlyBudgetUsd;
    if (budget === undefined) return grade(true, 1, 'the scenario states no budget', []);
    const estimates = doc.tables
      .map((t) => readCostTable(doc, t))
      .filter((t) => t !== null && t.items.length >= 1)
      .map((t) => {
        const total = t!.totals.find((x) => !/sub-?total/i.test(x.label));
        const monthly = total ? total.money.high : t!.items.reduce((s, i) => s + i.money.high, 0);
        return { line: total?.line ?? t!.line, monthly, currency: t!.items[0]!.money.currency, stated: Boolean(total) };
      });
    if (!estimates.length) return grade(false, 0, `no cost table to compare with the budget of ${formatMoney(budget)}/month`, [], { budget });
    const worst = estimates.reduce((a, b) => (b.monthly > a.monthly ? b : a));
    const cost = formatMoney(worst.monthly, worst.currency);
    const note = worst.currency === '$' ? '' : ` (in ${worst.currency}, compared as USD)`;
    const facts = { budget, estimate: Math.round(worst.monthly * 100) / 100, stated: worst.stated };
    if (worst.monthly <= budget) {
      return grade(true, 1, `estimate ${cost}/month is within the ${formatMoney(budget)}/month budget${note}`, [at(worst.line, 'cost estimate')], facts);
    }
    return grade(false, budget / worst.monthly, `estimate ${cost}/month exceeds the ${formatMoney(budget)}/month budget${note}`, [at(worst.line, 'cost estimate')], facts);
  },
});
