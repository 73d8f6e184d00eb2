// The top of the HTML report: the headline with one verdict per compared pair, the version ×
// model matrix with its chart, the per-grader table with ▲/▼ deltas and the cost chart. Server-rendered markup; the page script only adds sorting and the drill-down.

import { shortSha } from '../build.ts';
import { ci, delta, duration, groupName, pct, score, usd, when } from '../format.ts';
import { NOTHING_TO_COMPARE, references, type Group, type Pair, type ReportModel } from '../model.ts';
import { colours, costChart, scoreChart } from './charts.ts';
import { esc, html, raw, type Raw } from './escape.ts';

export interface Cell {
  html: Raw | string;
  /** Sort key: numbers sort numerically; absent, the cell's text sorts. */
  v?: number | string | null;
  cls?: string;
}

/** A table the page script can sort: click a header; `data-v` holds each cell's sort key. */
export function sortable(id: string, header: (string | Raw)[], rows: Cell[][], rowAttrs: (i: number) => Raw = () => raw(''), cls = ''): Raw {
  return html`<div class="scroll"><table id="${id}" class="sortable${cls ? ` ${cls}` : ''}"><thead><tr>${header.map((h) => html`<th scope="col" tabindex="0">${h}</th>`)}</tr></thead><tbody>${rows.map(
    (r, i) => html`<tr${rowAttrs(i)}>${r.map((c) => html`<td${c.v === undefined || c.v === null ? '' : raw(` data-v="${esc(String(c.v))}"`)}${c.cls ? raw(` class="${c.cls}"`) : ''}>${c.html}</td>`)}</tr>`,
  )}</tbody></table></div>`;
}

const outcomeClass = (p: Pair) => (p.outcome === 'better' ? 'good' : p.outcome === 'worse' ? 'bad' : 'neutral');

/** The run's facts (after `first`, when given), and (with `verdicts`) each compared pair's verdict with the notes. */
export function headline(m: ReportModel, verdicts = true, first: Raw = raw('')): Raw {
  const t = m.run.totals;
  const facts: [string, Raw | string][] = [
    ['Suite', html`<code>${m.run.suite.file}</code>${m.run.suite.description ? ` — ${m.run.suite.description}` : ''}`],
    ['Run', html`<code>${m.run.id}</code> · ${when(m.run.startedAt)} · ${m.run.status}`],
    ['Prompt', html`<code>${m.run.suite.prompt}</code> ${m.run.versions.map((v) => html`<span class="pill">${v.version} <code>${shortSha(v.sha256)}</code></span>`)}`],
    ['Models', html`${m.run.models.map((x) => html`<span class="pill">${x.label}</span>`)}`],
    ['Cells', `${t.finished}/${t.planned} · ${t.ok} ok · ${t.truncated} truncated · ${t.refused} refused · ${t.errors} errors · ${t.cached} from the store${references(m) ? ` · and ${references(m)} hand-written references` : ''}`],
    ['Cost', `${usd(t.costUsd)} spent in this run${t.unpricedCells ? ` (${t.unpricedCells} cells unpriced)` : ''}`],
    ['Duration', duration(m.run.durationMs)],
    ...(m.compared ? [['Compared with', m.compared.title] as [string, string]] : []),
  ];
  const lines = [
    ...m.pairs.map((p) => html`<li class="${outcomeClass(p)}">${p.verdict} <span class="muted">(${p.scenarios} scenarios${p.kind === 'run' ? `; cost per cell ${usd(p.after.costPerCell)} vs ${usd(p.before.costPerCell)}` : ''})</span></li>`),
    ...m.modelPairs.map((p) => html`<li class="model">${p.verdict}; cost per document ${usd(p.after.costPerCell)} vs ${usd(p.before.costPerCell)}</li>`),
  ];
  const facts_ = html`<h1>promptgate report</h1>${first}<dl class="facts">${facts.map(([k, v]) => html`<dt>${k}</dt><dd>${v}</dd>`)}</dl>`;
  if (!verdicts) return html`<header>${facts_}${m.notes.map((n) => html`<p class="note">${n}</p>`)}</header>`;
  return html`<header>${facts_}
<section id="verdict"><h2>Verdict</h2>${lines.length ? html`<ul class="verdicts">${lines}</ul>` : html`<p class="muted">${NOTHING_TO_COMPARE}</p>`}
${m.notes.map((n) => html`<p class="note">${n}</p>`)}</section></header>`;
}

export function matrix(m: ReportModel): Raw {
  const all = [...m.comparedGroups.filter((g) => !g.reference), ...m.pairGroups];
  const rows = all.map((g) => [
    { html: g.side === 'compared' ? html`<span class="muted">${g.runId}</span>` : 'this run' },
    { html: g.reference ? '—' : g.version, v: g.reference ? 'zzz' : g.version },
    { html: g.label },
    { html: html`<b>${score(g.agg.meanScore)}</b> <span class="muted">${ci(g.ci)}</span>`, v: g.agg.meanScore },
    { html: pct(g.agg.passRate), v: g.agg.passRate },
    { html: String(g.agg.cells), v: g.agg.cells },
    { html: String(g.agg.errors), v: g.agg.errors },
    { html: g.reference ? '—' : usd(g.costPerCell), v: g.reference ? null : g.costPerCell },
    { html: g.reference ? '—' : usd(g.costPerPoint), v: g.reference ? null : g.costPerPoint },
  ]);
  return html`<section id="matrix"><h2>Version × model</h2>
${scoreChart(all, colours(all))}
${sortable('matrix-table', ['run', 'version', 'model', 'mean [95% CI]', 'pass rate', 'cells', 'errors', 'cost / cell', '$ / quality point'], rows)}
<p class="muted">${m.pairGroups !== m.groups ? `Both runs on the ${m.sharedScenarios} scenarios they share. ` : ''}Mean score over scenarios and samples; the 95% CI is a bootstrap over scenarios, then samples within each. $ / quality point = cost per cell ÷ mean score (lower is better).</p></section>`;
}

export function graderTable(m: ReportModel): Raw {
  const pairOf = new Map(m.pairs.map((p) => [p.after.key, p]));
  const groups = m.groups.filter((g) => !g.reference);
  if (!groups.length) return raw('');
  // One column per version × model, the pass rate over the mean score: two columns each (as
  // before) made the table 1,300 px wide with two models and two versions, 1,900 with three.
  const rows = m.graderIds.map((id): Cell[] => [
    { html: html`${id}${m.hard.includes(id) ? html` <span class="pill hard">hard</span>` : ''}`, v: id },
    ...groups.map((g): Cell => {
      const s = g.graders[id];
      // The change is the pair's: both sides on the scenarios they share (model.pairGroups).
      const p = pairOf.get(g.key);
      const [a, b] = [p?.after.graders[id], p?.before.graders[id]];
      if (!s) return { html: '–' };
      const dp = a ? delta(a.passRate, b?.passRate, 'pp') : '';
      const dm = a ? delta(a.mean, b?.mean, 'score') : '';
      const mark = (d: string) => (d ? html` <span class="${d.startsWith('▲') ? 'up' : 'down'}">${d}</span>` : '');
      return { html: html`<span class="rate">${pct(s.passRate)}${mark(dp)}</span><br><span class="muted">mean ${score(s.mean)}</span>${mark(dm)}`, v: s.passRate };
    }),
  ]);
  const header = [raw('grader'), ...groups.map((g) => html`${g.version}<br><span class="muted">${g.label}</span>`)];
  const against = m.pairs.length ? ` ▲/▼ against ${m.compared ? `${m.compared.title}${m.sharedScenarios !== null ? ` on the ${m.sharedScenarios} scenarios both runs have` : ''}` : 'the previous version'}.` : '';
  return html`<section id="graders"><h2>Graders</h2><p class="muted">Pass rate (and mean score) per grader, by version and model.${against} Hard graders must pass for a document to pass.</p>${sortable('grader-table', header, rows, undefined, 'compact')}</section>`;
}

export function costSection(m: ReportModel): Raw {
  const all = [...m.comparedGroups, ...m.pairGroups];
  return html`<section id="cost"><h2>Cost versus score</h2><p class="muted">One point per version × model; up and to the left is better.</p>${costChart(all, colours(all))}</section>`;
}

export function groupLabel(g: Group): string {
  return g.side === 'compared' ? `${groupName(g)} (${g.runTitle})` : groupName(g);
}
