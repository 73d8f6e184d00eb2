// The top of a report when models did not run (a first run without API keys, most often): what
// did not run and how to enable each model, with the plan's cost; and the hand-written
// references, graded by the same graders, as "what a passing document looks like" — the one
// thing such a run can show. With no model at all, these replace the verdict and the charts,
// which would otherwise be empty.

import { cellRef } from '../compare.ts';
import { score, usd } from '../format.ts';
import { noModelRan, type ReportModel } from '../model.ts';
import { html, raw, type Raw } from './escape.ts';

export function notRunSection(m: ReportModel): Raw {
  if (!m.notRun.length) return raw('');
  const none = noModelRan(m);
  const planned = m.notRun.reduce((s, n) => s + n.cells, 0);
  const total = m.notRun.every((n) => n.maxUsd !== null) ? m.notRun.reduce((s, n) => s + n.maxUsd!, 0) : null;
  const lead = none
    ? html`<p class="lead"><b>No model ran.</b> None of the ${planned} planned cells was requested${m.run.status === 'incomplete' ? ', because no API key was set for the models below' : ` (the run is ${m.run.status})`}. Nothing here measures a prompt yet; below is the plan and, to show what the graders look for, the hand-written references graded.</p>`
    : html`<p>${planned} of ${m.run.totals.planned} planned cells did not run; the results below have fewer models or samples than planned.</p>`;
  const rows = m.notRun.map((n) => html`<tr><td>${n.label}</td><td>${n.enable}</td><td data-v="${String(n.cells)}">${String(n.cells)}</td><td>${n.maxUsd === null ? 'unknown (no price)' : `≤ ${usd(n.maxUsd)}`}</td></tr>`);
  return html`<section id="not-run" class="${none ? 'first-run' : ''}"><h2>${none ? 'No model ran: how to run them' : 'Not run'}</h2>${lead}
<div class="scroll"><table id="not-run-table"><thead><tr><th>model</th><th>to run it</th><th>cells</th><th>cost at most</th></tr></thead><tbody>${rows}</tbody></table></div>
<p class="muted">Then run <code>npm run eval</code> again: answers already stored are never paid for twice. ${total !== null ? `The whole plan costs at most ${usd(total)} (every answer at its full max_tokens); ` : ''}<code>--max-cost USD</code> caps the spend and <code>--dry-run</code> prints the plan without running it.</p></section>`;
}

export function referencesSection(m: ReportModel): Raw {
  const refs = m.groups.filter((g) => g.reference).flatMap((g) => g.cells);
  if (!refs.length || !noModelRan(m)) return raw('');
  const failed = (c: (typeof refs)[number]) => Object.entries(c.grades).filter(([, g]) => !g.pass).map(([id]) => id);
  const rows = [...refs]
    .sort((a, b) => a.scenario.localeCompare(b.scenario))
    .map((c) => html`<tr><td><code>${c.scenario}</code></td><td>${score(c.score)}</td><td>${c.pass === null ? '–' : c.pass ? 'pass' : 'FAIL'}</td><td>${Object.keys(c.grades).length - failed(c).length}/${Object.keys(c.grades).length}${failed(c).length ? html` <span class="muted">(failed: ${failed(c).join(', ')})</span>` : ''}</td><td><button type="button" class="open" data-cell="${cellRef('current', c)}">open</button></td></tr>`);
  return html`<section id="references"><h2>What a passing document looks like</h2><p class="muted">The hand-written reference answers in <code>datasets/references/</code>, graded by the same graders a model's document will be. Open one to see each grader's verdict and the lines it points at.</p>
<div class="scroll"><table id="reference-table"><thead><tr><th>scenario</th><th>score</th><th>verdict</th><th>graders passed</th><th></th></tr></thead><tbody>${rows}</tbody></table></div></section>`;
}
