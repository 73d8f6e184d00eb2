// The output matrix, as promptfoo's viewer lays it out: one row per scenario, one column per
// version × model of the reported run (the hand-written references last, in their own column),
// each cell the mean score of its samples coloured by how many passed, with the graders that
// failed. A click opens the drill-down on the cell's first failing sample (else its first).
// An HTML table rather than an SVG: the grader names wrap, and the box scrolls when it must.

import { groupName, score } from '../format.ts';
import { cellRef } from '../compare.ts';
import type { CellResult } from '../../runner/results.ts';
import type { Group, ReportModel } from '../model.ts';
import { html, raw, type Raw } from './escape.ts';

export function outputsSection(m: ReportModel): Raw {
  const groups = [...m.groups.filter((g) => !g.reference), ...m.groups.filter((g) => g.reference)];
  const scenarios = Object.keys(m.groups[0]?.scenarioMeans ?? {});
  if (!groups.length || !scenarios.length) return raw('');
  const head = html`<tr><th scope="col">scenario</th>${groups.map((g) => html`<th scope="col">${g.reference ? html`Hand-written<br>reference` : html`${g.version}<br><span class="muted">${g.label}</span>`}</th>`)}</tr>`;
  const rows = scenarios.map((s) => html`<tr><th scope="row"><code>${s}</code></th>${groups.map((g) => outputCell(g, s, m.graderIds))}</tr>`);
  return html`<section id="outputs"><h2>Outputs: scenario × version × model</h2><p class="muted">Mean score of each scenario's samples, the samples that passed, and the graders that failed (in how many samples). Green: every sample passed; amber: some; red: none. Click a cell to open its document.</p>
<div class="scroll"><table id="output-matrix"><thead>${head}</thead><tbody>${rows}</tbody></table></div></section>`;
}

function outputCell(g: Group, scenario: string, order: string[]): Raw {
  const cells = g.cells.filter((c) => c.scenario === scenario).sort((a, b) => a.sample - b.sample);
  if (!cells.length) return html`<td class="out none">–</td>`;
  const graded = cells.filter((c) => c.pass !== null);
  const passed = graded.filter((c) => c.pass).length;
  const state = !graded.length ? 'none' : passed === graded.length ? 'pass' : passed ? 'mixed' : 'fail';
  const failing = failingGraders(cells, order);
  const problems = cells.filter((c) => c.status !== 'ok').map((c) => c.status);
  const open = cells.find((c) => c.pass === false || c.status !== 'ok') ?? cells[0]!;
  const mean = g.scenarioMeans[scenario] ?? null;
  const title = `${scenario} · ${groupName(g)}: ${graded.length ? `${passed}/${graded.length} passed` : 'not graded'}`;
  return html`<td class="out ${state}"><button type="button" class="out" data-cell="${cellRef(g.side, open)}" title="${title}"><b>${score(mean)}</b> <span class="muted">${graded.length ? `${passed}/${graded.length}` : ''}</span>${problems.length ? html` <span class="status ${problems[0]}">${[...new Set(problems)].join(', ')}</span>` : ''}${failing.length ? html`<span class="failing">${failing.map(([id, n]) => html`<span>${id}${cells.length > 1 ? html` <span class="muted">${n}/${graded.length}</span>` : ''}</span>`)}</span>` : ''}</button></td>`;
}

/** The graders that failed in at least one sample, with how many, in the report's grader order. */
function failingGraders(cells: CellResult[], order: string[]): [string, number][] {
  const counts = new Map<string, number>();
  for (const c of cells) for (const [id, g] of Object.entries(c.grades)) if (!g.pass) counts.set(id, (counts.get(id) ?? 0) + 1);
  const rank = (id: string) => (order.includes(id) ? order.indexOf(id) : order.length);
  return [...counts].sort(([a], [b]) => rank(a) - rank(b) || a.localeCompare(b));
}
