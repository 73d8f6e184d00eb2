// The gate's verdict as GitHub-flavoured markdown: what a reviewer reads in the job summary and
// the pull-request comment. The first line says pass or FAIL; then one table row per model
// (effect with its 95% CI and p), then why it failed, then per model the graders that fell and
// the scenarios that flipped — so that a drop in `cost-table` is named even when the mean holds.

import { pct, pText, type ModelVerdict, type Verdict } from './gate.ts';

const short = (sha: string | null) => (sha ? sha.slice(0, 8) : '–');
const signed = (x: number, digits = 3) => `${x >= 0 ? '+' : '−'}${Math.abs(x).toFixed(digits)}`;
const code = (s: string) => `\`${s.replace(/`/g, "'")}\``;

export function verdictMarkdown(v: Verdict): string {
  const title = v.status === 'refused' ? 'not compared' : v.status === 'pass' ? 'pass' : 'FAIL';
  const lines = [`### promptgate gate: ${title}`, ''];
  const candidate = v.run.version ? `**${v.run.version}** (${code(short(v.run.sha256))}, run ${code(v.run.id)})` : `run ${code(v.run.id)}`;
  lines.push(`${code(v.prompt)} ${candidate} against the baseline **${v.baseline.version}** (${code(short(v.baseline.sha256))}, run ${code(v.baseline.run)}).`, '');
  if (v.status === 'refused') return `${[...lines, v.refusal ?? '', ''].join('\n')}`;

  const hard = Object.entries(v.policy.hard).map(([g, pts]) => `${g} ${pts}`).join(', ');
  lines.push(
    `A model fails when its mean score falls by more than ${v.policy.maxDrop} with p ≤ ${v.policy.alpha} (one-sided paired permutation test over scenarios)` +
      `${hard ? `, or a hard grader's pass rate falls by more than its allowance in points (${hard})` : ''}.`,
    '',
  );
  if (v.models.length) {
    lines.push('| model | verdict | baseline | candidate | effect (95% CI) | p | scenarios |', '|---|---|---|---|---|---|---|');
    for (const m of v.models) lines.push(row(m));
    lines.push('');
  }
  if (v.reasons.length) lines.push('**Why it failed**', '', ...v.reasons.map((r) => `- ${r}`), '');
  for (const m of v.models) lines.push(...details(m));
  if (v.notes.length) lines.push('**Notes**', '', ...v.notes.map((n) => `- ${n}`), '');
  return `${lines.join('\n').trimEnd()}\n`;
}

function row(m: ModelVerdict): string {
  const side = (s: { mean: number | null; samples: number }) => (s.mean === null ? `– (${s.samples})` : `${s.mean.toFixed(3)} (${s.samples})`);
  const effect = m.effect ? `${signed(m.effect.diff)} (${signed(m.effect.ci[0])} to ${signed(m.effect.ci[1])})` : '–';
  const p = m.effect ? pText(m.effect.p).replace(/^p = /, '').replace(/^p /, '') : '–';
  return `| ${m.label} | ${m.status === 'pass' ? 'pass' : '**FAIL**'} | ${side(m.baseline)} | ${side(m.candidate)} | ${effect} | ${p} | ${m.scenarios} |`;
}

function details(m: ModelVerdict): string[] {
  if (!m.graders.length && !m.flipped.length && !m.notCompared.length) return [];
  const out = [`#### ${m.label}`, ''];
  if (m.graders.length) {
    out.push('Graders that fell:', '', '| grader | before | after | change | hard |', '|---|---|---|---|---|');
    for (const g of m.graders) {
      const hard = g.limit === null ? '' : `≤ ${g.limit} points: ${g.failed ? '**FAIL**' : 'ok'}`;
      out.push(`| ${code(g.grader)} | ${pct(g.before)} | ${pct(g.after)} | ${signed(g.points, 1)} points | ${hard} |`);
    }
    out.push('');
  }
  if (m.flipped.length) {
    const flip = (f: ModelVerdict['flipped'][number]) => `${code(f.scenario)} ${f.from} → ${f.to} (${pct(f.before)} → ${pct(f.after)} of samples passed)`;
    out.push('Scenarios that flipped:', '', ...m.flipped.map((f) => `- ${flip(f)}`), '');
  }
  if (m.notCompared.length) out.push(`Not compared (no graded samples on one side): ${m.notCompared.map(code).join(', ')}`, '');
  return out;
}
