// The lower half of the HTML report: flips (each opening both documents), tokens/cost/latency
// per model, the problem cells, the prompt diff beside the score diff, and every cell in one
// filterable table. Everything from a run or a model is escaped by the `html` template.

import { cellRef, ciText, signed } from '../compare.ts';
import { pct, score, seconds, tokens, usd } from '../format.ts';
import { noProblems, type ReportModel } from '../model.ts';
import { html, raw, type Raw } from './escape.ts';
import { groupLabel, sortable } from './summary.ts';

const open = (ref: string, text: string) => html`<button type="button" class="open" data-cell="${ref}">${text}</button>`;

export function flipsSection(m: ReportModel): Raw {
  if (!m.flips.length) return html`<section id="flips"><h2>Flips</h2><p class="muted">${m.pairs.length ? 'No (scenario, grader) pair changed its majority verdict.' : 'Nothing compared, so nothing can flip.'}</p></section>`;
  const rows = m.flips.map((f) => [
    { html: html`<span class="${f.direction === 'regressed' ? 'down' : 'up'}">${f.direction === 'regressed' ? '▼ now fails' : '▲ now passes'}</span>`, v: f.direction },
    { html: f.scenario },
    { html: f.grader },
    { html: f.pair.after.label },
    { html: `${groupLabel(f.pair.before)}: ${f.before.passed}/${f.before.of}`, v: f.before.passed / f.before.of },
    { html: `${f.pair.after.version}: ${f.after.passed}/${f.after.of}`, v: f.after.passed / f.after.of },
    { html: html`${open(f.before.cellId, 'before')} ${open(f.after.cellId, 'after')}` },
  ]);
  return html`<section id="flips"><h2>Flips</h2><p class="muted">(Scenario, grader) pairs whose majority verdict over the samples changed: passed before and fail now, or the reverse.</p>${sortable('flip-table', ['', 'scenario', 'grader', 'model', 'before (passed/samples)', 'after', 'documents'], rows)}</section>`;
}

export function usageSection(m: ReportModel): Raw {
  const rows = m.usage.map((u) => [
    { html: u.label },
    { html: String(u.cells), v: u.cells },
    { html: tokens(u.input), v: u.input },
    { html: tokens(u.output), v: u.output },
    { html: tokens(u.cacheRead), v: u.cacheRead },
    { html: usd(u.costUsd), v: u.costUsd },
    { html: seconds(u.p50LatencyMs), v: u.p50LatencyMs },
    { html: seconds(u.p95LatencyMs), v: u.p95LatencyMs },
  ]);
  return html`<section id="usage"><h2>Tokens, cost and latency per model</h2>${sortable('usage-table', ['model', 'cells', 'input tokens', 'output tokens', 'cache read', 'cost', 'p50 latency', 'p95 latency'], rows)}<p class="muted">Cost counts every cell at its price, stored ones included; latency counts the cells generated in this run.</p></section>`;
}

export function problemsSection(m: ReportModel): Raw {
  if (!m.problems.length) return html`<section id="problems"><h2>Truncated, refused and errored cells</h2><p class="muted">${noProblems(m)}</p></section>`;
  const rows = m.problems.map((c) => [
    { html: c.version },
    { html: c.label },
    { html: c.scenario },
    { html: String(c.sample), v: c.sample },
    { html: html`<span class="status ${c.status}">${c.status}</span>` , v: c.status },
    { html: c.error ?? c.stopReason ?? '' },
    { html: open(c.id, 'open') },
  ]);
  return html`<section id="problems"><h2>Truncated, refused and errored cells</h2>${sortable('problem-table', ['version', 'model', 'scenario', 'sample', 'status', 'stop reason / error', ''], rows)}</section>`;
}

function diffLines(patch: string): Raw {
  const all = patch.split('\n');
  const lines = all.slice(Math.max(0, all.findIndex((l) => l.startsWith('@@')))); // drop the ===/---/+++ header
  return html`<pre class="diff">${lines.map((l) => html`<span class="${l.startsWith('+') ? 'add' : l.startsWith('-') ? 'del' : l.startsWith('@@') ? 'hunk' : 'ctx'}">${l}\n</span>`)}</pre>`;
}

export function diffSection(m: ReportModel): Raw {
  if (!m.diffs.length) return raw('');
  return html`<section id="diffs"><h2>Prompt diff and score diff</h2>${m.diffs.map((d) => {
    const graders = m.graderIds
      .map((id) => {
        const changes = d.pairs.map((p) => {
          const [a, b] = [p.before.graders[id], p.after.graders[id]];
          return a && b ? b.passRate - a.passRate : 0;
        });
        return { id, changes };
      })
      .filter((g) => g.changes.some((c) => Math.round(c * 100) !== 0));
    const scoreRows = d.pairs.map((p) => [
      { html: p.after.label },
      { html: html`<b>${signed(p.diff)}</b> <span class="muted">${ciText(p.ci, p.scenarios).replace('95% CI ', '')}</span>`, v: p.diff },
      { html: html`<span class="${p.outcome === 'better' ? 'up' : p.outcome === 'worse' ? 'down' : ''}">${p.outcome}</span>` },
    ]);
    return html`<article class="diff-pair"><h3>${d.from.version} <code>${d.from.sha256?.slice(0, 12) ?? '—'}</code>${d.from.runId !== m.run.id ? ` (run ${d.from.runId})` : ''} → ${d.to.version} <code>${d.to.sha256?.slice(0, 12) ?? '—'}</code></h3>
<div class="side-by-side"><div><h4>Prompt diff</h4>${d.settings ? html`<p>Settings: <code>${d.settings}</code></p>` : ''}${d.identical ? html`<p class="muted">The prompt text is identical.</p>` : d.patch ? diffLines(d.patch) : html`<p class="muted">The prompt text of one side is not available (no run.json).</p>`}</div>
<div><h4>Score diff</h4>${sortable(`score-diff-${d.from.version}-${d.to.version}`.replace(/[^\w-]/g, '_'), ['model', 'Δ mean [95% CI]', 'verdict'], scoreRows)}
<h4>Grader pass-rate changes</h4>${graders.length ? html`<ul class="grader-changes">${graders.map((g) => html`<li><code>${g.id}</code> ${d.pairs.map((p, i) => {
      const pp = Math.round(g.changes[i]! * 100);
      return html`<span class="${pp < 0 ? 'down' : pp > 0 ? 'up' : 'muted'}">${p.after.label} ${pp > 0 ? '+' : pp < 0 ? '-' : '±'}${Math.abs(pp)}pp</span> `;
    })}</li>`)}</ul>` : html`<p class="muted">No grader's pass rate changed.</p>`}</div></div></article>`;
  })}</section>`;
}

export function cellsSection(m: ReportModel): Raw {
  const failed = (grades: Record<string, { pass: boolean }>) => Object.entries(grades).filter(([, g]) => !g.pass).map(([id]) => id);
  const rows = m.groups.flatMap((g) =>
    [...g.cells]
      .sort((a, b) => a.scenario.localeCompare(b.scenario) || a.sample - b.sample)
      .map((c) => [
        { html: g.reference ? '—' : c.version, v: g.reference ? 'zzz' : c.version },
        { html: g.label },
        { html: c.scenario },
        { html: String(c.sample), v: c.sample },
        { html: html`<span class="status ${c.status}">${c.status}</span>`, v: c.status },
        { html: score(c.score), v: c.score ?? -1 },
        { html: c.pass === null ? '–' : c.pass ? 'pass' : 'FAIL', v: c.pass === null ? -1 : Number(c.pass) },
        { html: failed(c.grades).join(', ') || '—' },
        { html: usd(c.costUsd), v: c.costUsd },
        { html: seconds(c.latencyMs), v: c.latencyMs },
        { html: open(cellRef('current', c), 'open') },
      ]),
  );
  return html`<section id="cells"><h2>Every cell</h2><p><label>Filter <input id="cell-filter" type="search" placeholder="scenario, model, grader, status…"></label> <span id="cell-count" class="muted">${rows.length} cells</span> · pass rate of the model documents ${pct(passRate(m))}</p>${sortable('cell-table', ['version', 'model', 'scenario', 'sample', 'status', 'score', 'pass', 'failed graders', 'cost', 'latency', ''], rows)}</section>`;
}

function passRate(m: ReportModel): number | null {
  // The model's documents only: the references have their own row and would flatter the rate.
  const graded = m.groups.filter((g) => !g.reference).flatMap((g) => g.cells).filter((c) => c.pass !== null);
  return graded.length ? graded.filter((c) => c.pass).length / graded.length : null;
}
