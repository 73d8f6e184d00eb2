// What a report says about the cells a run planned but did not run: per model, how many, what
// they would cost at most (input plus a full max_tokens of output, as `eval --dry-run` prices
// them) and how to enable the model. A first run without keys ends here, so this is the first
// thing such a report shows: that no model ran, why, what to set, and what it will cost.

import { estimateCost } from '../runner/cell-result.ts';
import { keyVarOf } from '../runner/credentials.ts';
import type { Results } from '../runner/results.ts';
import type { RunMeta } from '../runner/run.ts';
import { table } from '../format.ts';

export interface NotRun {
  modelKey: string;
  label: string;
  /** What to set to run it: an environment variable, or (openai-compatible) an endpoint. */
  enable: string;
  cells: number;
  /** The most these cells can cost; null when the model has no price. */
  maxUsd: number | null;
}

export function notRunPlan(meta: RunMeta | null, results: Results): NotRun[] {
  if (!meta) return [];
  const done = new Set(results.cells.map((c) => c.id));
  const pending = meta.cells.filter((c) => !done.has(c.id));
  return meta.suite.models.flatMap((m) => {
    const key = `${m.provider}:${m.model}`;
    const mine = pending.filter((c) => `${c.model.provider}:${c.model.model}` === key);
    if (!mine.length) return [];
    const costs = mine.map(estimateCost);
    return [{ modelKey: key, label: m.label ?? m.model, enable: enableHint(m, results.status), cells: mine.length, maxUsd: costs.includes(null) ? null : costs.reduce<number>((s, c) => s + c!, 0) }];
  });
}

function enableHint(m: RunMeta['suite']['models'][number], status: Results['status']): string {
  // Only an incomplete run left cells for lack of credentials; the others stopped for a reason of their own.
  if (status === 'interrupted') return 'interrupted before it ran: resume the run';
  if (status === 'budget-reached') return 'the spend cap was reached: raise --max-cost and resume';
  if (m.provider === 'openai-compatible') return `set baseURL in the suite (or OPENAI_BASE_URL)${m.apiKeyEnv ? ` and ${m.apiKeyEnv}` : ''}`;
  return `set ${keyVarOf(m)}`;
}

/**
 * The terminal's first screen after a run in which no model produced a cell (eval's summary):
 * that no model ran, how to enable each, what the plan costs, and the references' grades as
 * what a passing document looks like. Empty when some model ran.
 */
export function noModelSummary(meta: RunMeta | null, results: Results): string {
  if (results.cells.some((c) => c.provider !== 'reference')) return '';
  const plan = notRunPlan(meta, results);
  const planned = plan.reduce((s, n) => s + n.cells, 0);
  const total = plan.every((n) => n.maxUsd !== null) ? plan.reduce((s, n) => s + n.maxUsd!, 0) : null;
  const lines = [
    `No model ran: none of the ${planned} planned cells was requested${results.status === 'incomplete' ? ' (no API key was set for any model)' : ` (the run is ${results.status})`}. To run them:`,
    table(['model', 'to run it', 'cells', 'cost at most'], plan.map((n) => [n.label, n.enable, String(n.cells), n.maxUsd === null ? 'unknown (no price)' : `≤$${n.maxUsd.toFixed(2)}`])).trimEnd(),
    `then run npm run eval again${total !== null ? ` (the whole plan costs at most $${total.toFixed(2)}; --max-cost USD caps it, --dry-run prints the plan)` : ''}.`,
  ];
  const refs = results.cells.filter((c) => c.provider === 'reference').sort((a, b) => a.scenario.localeCompare(b.scenario));
  if (refs.length) {
    lines.push('', 'What a passing document looks like: the hand-written references (datasets/references/), graded by the same graders:');
    lines.push(table(['scenario', 'score', 'verdict', 'graders passed'], refs.map((c) => [c.scenario, c.score === null ? '–' : c.score.toFixed(2), c.pass === null ? '–' : c.pass ? 'pass' : 'FAIL', `${Object.values(c.grades).filter((g) => g.pass).length}/${Object.keys(c.grades).length}`])).trimEnd());
  }
  return `${lines.join('\n')}\n`;
}
