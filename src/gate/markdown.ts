// The gate's verdict as GitHub-flavoured markdown: what a reviewer reads first in the job summary
// and the pull-request comment. The first line is the verdict (pass, FAIL, INCONCLUSIVE,
// INCOMPLETE, not compared) and what CI does with it; then one row per model; then why, the
// warnings, the hard graders, and the few flipped scenarios that matter. Every value that did not
// come from promptgate (labels, ids, error text) goes through md-escape.ts.

import { mdCell, mdClean, mdCode, mdCodeCell } from '../report/md-escape.ts';
import { fmtP, pct, type ModelVerdict, type Verdict } from './gate.ts';
import { MIN_CI_SCENARIOS } from './stats.ts';

const short = (sha: string | null) => (sha ? sha.slice(0, 8) : '–');
const signed = (x: number, digits = 3) => `${x >= 0 ? '+' : '−'}${Math.abs(x).toFixed(digits)}`;
/** Flipped scenarios listed per model before "and N more". */
const MAX_FLIPS = 5;

const TITLE: Record<Verdict['status'], string> = { pass: 'pass', fail: 'FAIL', inconclusive: 'INCONCLUSIVE', incomplete: 'INCOMPLETE', refused: 'not compared' };

export function verdictMarkdown(v: Verdict): string {
  const lines = [`### promptgate gate: ${TITLE[v.status]}${v.stage === 2 ? ' (after the second batch)' : ''}`, ''];
  const candidate = v.run.version ? `**${mdCell(v.run.version)}** (${mdCode(short(v.run.sha256))}, run ${mdCode(v.run.id)})` : `run ${mdCode(v.run.id)}`;
  const against = v.reference === 'control' ? `a same-day control of **${mdCell(v.baseline.version)}** (the baseline's version, sampled fresh in this run)` : `the baseline **${mdCell(v.baseline.version)}** (${mdCode(short(v.baseline.sha256))}, run ${mdCode(v.baseline.run)})`;
  lines.push(`${mdCode(v.prompt)} ${candidate} against ${against}.`, '');
  if (v.status === 'refused') return mdClean(`${[...lines, mdCell(v.refusal ?? ''), ''].join('\n')}`);
  lines.push(meaning(v), '');

  if (v.models.length) {
    lines.push(`| model | verdict | ${v.reference} → candidate | change | 95% CI | p (drop) | hard graders | scenarios |`, '|---|---|---|---|---|---|---|---|');
    for (const m of v.models) lines.push(row(m));
    lines.push('');
  }
  const reasons = v.reasons.filter((r) => !/: incomplete: /.test(r));
  const incomplete = v.reasons.filter((r) => /: incomplete: /.test(r)).map((r) => r.replace(': incomplete: ', ': '));
  if (reasons.length) lines.push('**Why it failed**', '', ...reasons.map((r) => `- ${mdCell(r)}`), '');
  if (incomplete.length) lines.push('**Missing data** (never a pass)', '', ...incomplete.map((r) => `- ${mdCell(r)}`), '');
  if (v.warnings.length) lines.push('**Warnings**', '', ...v.warnings.map((w) => `- ${mdCell(w)}`), '');
  for (const m of v.models) lines.push(...details(m));
  if (v.drift.length) {
    lines.push('**Drift monitor** (control vs the committed baseline, same version)', '');
    for (const d of v.drift) lines.push(`- ${mdCell(d.label)}: ${signed(d.diff)} (two-sided p = ${fmtP(d.p)})${d.moved ? ' — **moved**: refresh the baseline when it persists' : ''}`);
    lines.push('');
  }
  lines.push(method(v), '');
  if (v.notes.length) lines.push('**Notes**', '', ...v.notes.map((n) => `- ${mdCell(n)}`), '');
  return mdClean(`${lines.join('\n').trimEnd()}\n`);
}

function meaning(v: Verdict): string {
  switch (v.outcome) {
    case 'escalate':
      return `Inconclusive (could not decide): not enough evidence either way: the suite plans a second batch (${v.policy.escalate?.samples} more sample(s) per cell) — \`promptgate gate --escalate\` runs it and tests again.`;
    case 'pass':
      return v.status === 'inconclusive' ? `Inconclusive (could not decide): not enough evidence either way; the suite says an inconclusive check passes (\`onInconclusive: pass\`), with this warning.` : 'No regression: every model held its mean score (shown within the margin) and its hard graders.';
    case 'fail':
      return v.status === 'inconclusive'
        ? 'Inconclusive (could not decide): not enough evidence either way; the suite says an inconclusive check fails (`onInconclusive: fail`).'
        : v.status === 'incomplete'
          ? 'Data is missing, so the gate cannot vouch for the candidate: re-run or resume the eval.'
          : 'A regression: see why below.';
    default:
      return '';
  }
}

function row(m: ModelVerdict): string {
  const side = (s: { mean: number | null; samples: number }) => (s.mean === null ? `– (${s.samples})` : `${s.mean.toFixed(3)} (${s.samples})`);
  const mean = m.mean;
  const change = mean ? signed(mean.diff) : '–';
  const ci = !mean ? '–' : mean.ci ? `${signed(mean.ci[0])} to ${signed(mean.ci[1])}` : `– (< ${MIN_CI_SCENARIOS} scenarios)`;
  const p = mean ? `${fmtP(mean.p)} (≤ ${fmtP(mean.level)} fails)` : '–';
  const hard = m.graders.filter((g) => g.limit !== null);
  const hardText = hard.length ? hard.map((g) => `${g.status === 'fail' ? '**✗**' : g.status === 'warn' ? '⚠' : '✓'} ${g.grader}`).join(' ') : '–';
  const verdict = { pass: 'pass', fail: '**FAIL**', inconclusive: '**INCONCLUSIVE**', incomplete: '**INCOMPLETE**' }[m.status];
  return `| ${mdCell(m.label)} | ${verdict} | ${side(m.baseline)} → ${side(m.candidate)} | ${change} | ${ci} | ${p} | ${hardText} | ${m.scenarios} |`;
}

function details(m: ModelVerdict): string[] {
  const shown = m.graders.filter((g) => g.limit !== null || g.points < 0);
  if (!shown.length && !m.flipped.length) return [];
  const out = [`#### ${mdCell(m.label)}`, ''];
  if (shown.length) {
    out.push('| grader | before | after | change | allowance | exact p | verdict |', '|---|---|---|---|---|---|---|');
    for (const g of shown) {
      const verdict = g.limit === null ? 'not hard' : g.status === 'fail' ? '**FAIL**' : g.status === 'warn' ? 'warning: not significant' : 'ok';
      out.push(`| ${mdCodeCell(g.grader)} | ${pct(g.before)} | ${pct(g.after)} | ${signed(g.points, 1)} points | ${g.limit === null ? '–' : `${g.limit} points`} | ${fmtP(g.p)}${g.level === null ? '' : ` (≤ ${fmtP(g.level)} fails)`} | ${verdict} |`);
    }
    out.push('');
  }
  if (m.flipped.length) {
    const flip = (f: ModelVerdict['flipped'][number]) => `${mdCode(f.scenario)} ${f.from} → ${f.to} (${pct(f.before)} → ${pct(f.after)} of samples passed)`;
    const worst = m.flipped.slice(0, MAX_FLIPS).map((f) => `- ${flip(f)}`);
    const more = m.flipped.length - worst.length;
    out.push(`Scenarios whose majority verdict flipped (${m.flipped.length}):`, '', ...worst, ...(more > 0 ? [`- … and ${more} more`] : []), '');
  }
  return out;
}

function method(v: Verdict): string {
  const p = v.policy;
  const hard = Object.entries(p.hard).map(([g, pts]) => `${g} ${pts}`).join(', ');
  return (
    `<sub>How: per model, on the scenarios both sides graded. Mean score: a one-sided permutation test of the samples, stratified by scenario, FAILs on a significant drop; ` +
    `PASS needs the one-sided ${Math.round((1 - p.alpha) * 100)}% lower bound above −${p.maxDrop} (maxDrop); otherwise INCONCLUSIVE. ` +
    `${hard ? `Hard graders (${hard} points allowed): FAIL when the pass rate fell by more than the allowance and an exact test stratified by scenario is significant. ` : ''}` +
    `All tests share one family-wise alpha of ${fmtP(v.alpha)}${v.policy.escalate ? ` (this look's share of ${p.alpha})` : ''} (weighted Holm). Missing data (more than ${Math.round(p.maxMissing * 100)}% of a model's cells, or a scenario) makes it INCOMPLETE.</sub>`
  );
}
