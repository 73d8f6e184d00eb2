// Comparisons between groups: which group is each group's "before" (the compared run, or the
// previous prompt version), the paired score difference with its bootstrap CI and a one-line
// verdict, and the flips — (scenario, grader) pairs whose majority verdict changed — that show
// where a version got worse even when its mean holds.

import { createTwoFilesPatch } from 'diff';
import { promptVersionOf, type CellResult } from '../runner/results.ts';
import type { RunData } from './load.ts';
import type { Flip, Group, Pair, PromptDiff } from './model.ts';
import { groupByScenario, pairedDiff } from './stats.ts';

/** The id a cell has in a report: the compared run's cells are prefixed so both can be shown. */
export function cellRef(side: Group['side'], cell: Pick<CellResult, 'id'>): string {
  return side === 'compared' ? `cmp|${cell.id}` : cell.id;
}

/** For each group of the reported run, the group it is compared with, if any. */
export function beforeOf(groups: Group[], compared: Group[] | null): Map<string, Group> {
  const out = new Map<string, Group>();
  const models = groups.filter((g) => !g.reference);
  for (const g of models) {
    if (compared) {
      const same = compared.filter((c) => !c.reference && c.modelKey === g.modelKey);
      const match = same.find((c) => c.version === g.version) ?? same.at(-1);
      if (match) out.set(g.key, match);
    } else {
      const earlier = models.filter((m) => m.modelKey === g.modelKey);
      const i = earlier.indexOf(g);
      if (i > 0) out.set(g.key, earlier[i - 1]!);
    }
  }
  return out;
}

/**
 * Relabellings for a comparison no gate makes: two models, or two prompt versions within one
 * run. The gate compares a run with its baseline (kind 'run'), and there the report uses the
 * gate's own draws and stream so that both print the same interval. The others are many — n(n−1)/2
 * model pairs per prompt version — and each costs draws × samples: a 10,000-cell run of 5
 * models spent 5.1 s of its 7.8 s of reports on them at 10,000 draws. 2,000 put a 2.5% tail on
 * 50 draws, as the bootstrap's 2,000 resamples do; and one stream for all of them lets pairs of
 * the same shape share the relabellings (src/gate/stats.ts picksFor): 1.2 s → 0.6 s there.
 */
export const REPORT_DRAWS = 2000;
const REPORT_STREAM = 'report pairs';

export function pairOf(kind: Pair['kind'], before: Group, after: Group): Pair | null {
  const scores = (g: Group) => groupByScenario(g.cells, (c) => c.scenario, (c) => c.score);
  // The gate's stream for a run against its baseline: a model's own comparison, as the gate seeds it.
  const gated = kind === 'run';
  const stream = !gated ? REPORT_STREAM : before.modelKey === after.modelKey ? after.modelKey : `${before.modelKey}|${after.modelKey}`;
  const d = pairedDiff(scores(before), scores(after), stream, gated ? undefined : REPORT_DRAWS);
  if (!d) return null;
  return { kind, before, after, diff: d.diff, ci: d.ci, scenarios: d.scenarios, outcome: d.outcome, verdict: verdictOf(kind, before, after, d.diff, d.ci, d.outcome, d.scenarios) };
}

/** "+0.07", "-0.05"; a value that would round to ±0.00 keeps a third digit, so that a CI bound
 * just above zero does not read as "+0.00" next to "beats". */
export function signed(x: number, digits = 2): string {
  const d = digits === 2 && x !== 0 && Math.abs(x) < 0.005 ? 3 : digits;
  const abs = Math.abs(x).toFixed(d);
  return `${x < 0 && Number(abs) !== 0 ? '-' : '+'}${abs}`;
}

/** "[95% CI −0.04, +0.01]", or why there is none. */
export function ciText(ci: Pair['ci'], scenarios: number): string {
  return ci ? `[95% CI ${signed(ci.lo)}, ${signed(ci.hi)}]` : `(${scenarios} scenario${scenarios === 1 ? '' : 's'}: too few for a CI)`;
}

function verdictOf(kind: Pair['kind'], before: Group, after: Group, diff: number, ci: Pair['ci'], outcome: Pair['outcome'], scenarios: number): string {
  const names: [string, string, string] =
    kind === 'model'
      ? [after.label, before.label, `prompt ${after.version}`]
      : kind === 'run'
        ? [`${after.version} in this run`, `${before.version} in ${before.runTitle}`, after.label]
        : [after.version, before.version, after.label];
  const [a, b, on] = names;
  const effect = `${signed(diff)} ${ciText(ci, scenarios)}`;
  if (outcome === 'better') return `${a} beats ${b} on ${on} by ${effect}`;
  if (outcome === 'worse') return `${a} is worse than ${b} on ${on} by ${effect}`;
  // The gate's word (src/gate/markdown.ts): the test could not decide either way.
  return `${a} vs ${b} on ${on}: inconclusive (could not decide which is better): ${effect}`;
}

export function versionPairs(groups: Group[], before: Map<string, Group>, kind: Pair['kind']): Pair[] {
  return groups.flatMap((g) => {
    const b = before.get(g.key);
    const p = b ? pairOf(kind, b, g) : null;
    return p ? [p] : [];
  });
}

/** Every model against every other, per prompt version (first-listed model as "after"). */
export function modelPairs(groups: Group[]): Pair[] {
  const out: Pair[] = [];
  const models = groups.filter((g) => !g.reference);
  for (const version of [...new Set(models.map((g) => g.version))]) {
    const mine = models.filter((g) => g.version === version);
    for (let i = 0; i < mine.length; i++) {
      for (let j = i + 1; j < mine.length; j++) {
        const p = pairOf('model', mine[j]!, mine[i]!);
        if (p) out.push(p);
      }
    }
  }
  return out;
}

export function flipsOf(pairs: Pair[], graderIds: string[]): Flip[] {
  const flips: Flip[] = [];
  for (const pair of pairs) {
    const scenarios = [...new Set(pair.after.cells.map((c) => c.scenario))].sort();
    for (const scenario of scenarios) {
      const before = pair.before.cells.filter((c) => c.scenario === scenario && c.status !== 'error').sort((x, y) => x.sample - y.sample);
      const after = pair.after.cells.filter((c) => c.scenario === scenario && c.status !== 'error').sort((x, y) => x.sample - y.sample);
      if (!before.length || !after.length) continue;
      for (const grader of graderIds) {
        const tally = (cs: CellResult[]) => cs.filter((c) => c.grades[grader]).map((c) => ({ c, pass: c.grades[grader]!.pass }));
        const b = tally(before);
        const a = tally(after);
        if (!b.length || !a.length) continue;
        const rate = (xs: typeof b) => xs.filter((x) => x.pass).length / xs.length;
        const [rb, ra] = [rate(b), rate(a)];
        const direction = rb > 0.5 && ra < 0.5 ? 'regressed' : rb < 0.5 && ra > 0.5 ? 'fixed' : null;
        if (!direction) continue;
        const wantBefore = direction === 'regressed';
        const pick = (xs: typeof b, pass: boolean) => (xs.find((x) => x.pass === pass) ?? xs[0]!).c;
        flips.push({
          pair,
          scenario,
          grader,
          direction,
          before: { passed: b.filter((x) => x.pass).length, of: b.length, cellId: cellRef(pair.before.side, pick(b, wantBefore)) },
          after: { passed: a.filter((x) => x.pass).length, of: a.length, cellId: cellRef(pair.after.side, pick(a, !wantBefore)) },
        });
      }
    }
  }
  const order = (f: Flip) => (f.direction === 'regressed' ? 0 : 1);
  return flips.sort((x, y) => order(x) - order(y) || graderIds.indexOf(x.grader) - graderIds.indexOf(y.grader) || x.scenario.localeCompare(y.scenario));
}

/** One prompt diff per distinct (before, after) version, with every model's score change beside it. */
export function promptDiffs(pairs: Pair[], current: RunData, compared: RunData | null): PromptDiff[] {
  const seen = new Map<string, PromptDiff>();
  for (const p of pairs) {
    const key = `${p.before.runId}|${p.before.version}|${p.after.version}`;
    const existing = seen.get(key);
    if (existing) {
      existing.pairs.push(p);
      continue;
    }
    const beforeRun = p.before.side === 'compared' && compared ? compared : current;
    const a = beforeRun.prompts.get(promptVersionOf(p.before.version));
    const b = current.prompts.get(promptVersionOf(p.after.version));
    const identical = Boolean(a && b && a.text === b.text);
    const settings = (x: typeof a) => (x ? JSON.stringify({ maxTokens: x.maxTokens, temperature: x.temperature ?? null }) : '');
    seen.set(key, {
      from: { version: p.before.version, sha256: a?.sha256 ?? p.before.cells[0]?.promptSha256 ?? null, runId: p.before.runId },
      to: { version: p.after.version, sha256: b?.sha256 ?? p.after.cells[0]?.promptSha256 ?? null, runId: p.after.runId },
      patch: a && b && !identical ? createTwoFilesPatch(`prompt@${p.before.version}`, `prompt@${p.after.version}`, `${a.text}\n`, `${b.text}\n`, '', '', { context: 2 }) : null,
      identical,
      settings: a && b && settings(a) !== settings(b) ? `${settings(a)} → ${settings(b)}` : null,
      pairs: [p],
    });
  }
  return [...seen.values()];
}
