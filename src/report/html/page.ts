// report.html: one self-contained page. The Content-Security-Policy admits exactly the page's
// own stylesheet and script (by hash) and no network at all, so even if an escaping bug let
// markup from a model's output into the page, an injected <script>, onerror= handler or remote
// image could neither run nor load anything.

import { createHash } from 'node:crypto';
import { noModelRan, type ReportModel } from '../model.ts';
import { cellsSection, diffSection, flipsSection, problemsSection, usageSection } from './details.ts';
import { esc, html, raw, type Raw } from './escape.ts';
import { notRunSection, referencesSection } from './first-run.ts';
import { SCRIPT } from './script.ts';
import { STYLE } from './style.ts';
import { outputsSection } from './outputs.ts';
import { sideBySideSection } from './side-by-side.ts';
import { costSection, graderTable, headline, matrix } from './summary.ts';
import { judgeHtml } from '../judge.ts';

const hash = (text: string) => `'sha256-${createHash('sha256').update(text).digest('base64')}'`;

export const CSP = `default-src 'none'; script-src ${hash(SCRIPT)}; style-src ${hash(STYLE)}; img-src 'none'; connect-src 'none'; font-src 'none'; media-src 'none'; object-src 'none'; frame-src 'none'; worker-src 'none'; base-uri 'none'; form-action 'none'`;

const DIALOG = `<dialog id="drill" aria-labelledby="drill-title">
<div class="drill-head"><h2 id="drill-title"></h2><span id="drill-meta" class="muted"></span><span id="drill-samples"></span><button type="button" id="drill-close" class="close" aria-label="Close">✕</button></div>
<p id="drill-docnote" class="drill-note"></p>
<div class="drill-body"><div class="drill-grades"><table id="drill-grades"><thead><tr><th>grader</th><th>verdict</th><th>score</th><th>reason</th><th>evidence</th></tr></thead><tbody></tbody></table></div>
<div class="drill-doc" id="drill-doc-pane"><ol class="doc" id="drill-doc"></ol></div></div>
</dialog>`;

/** The page, with the drill-down data already packed (packDrillData). */
export function renderHtml(m: ReportModel, packedDrill: string): string {
  // Without a model's cell there is nothing to chart or compare: those sections are left out
  // (empty charts say nothing), and the top says why and shows the references instead.
  const models = !noModelRan(m);
  const sections: [string, string, Raw][] = [
    ...(models ? [] : ([['not-run', 'How to run', headline(m, false, notRunSection(m))], ['references', 'References', referencesSection(m)]] as [string, string, Raw][])),
    ...(models
      ? ([
          ['verdict', 'Verdict', headline(m)],
          ['not-run', 'Not run', notRunSection(m)],
          ['matrix', 'Version × model', matrix(m)],
          ['graders', 'Graders', graderTable(m)],
          ['flips', 'Flips', flipsSection(m)],
          ['outputs', 'Outputs', outputsSection(m)],
          ['side-by-side', 'Side by side', sideBySideSection(m)],
          ['cost', 'Cost vs score', costSection(m)],
          ['usage', 'Tokens & latency', usageSection(m)],
          ['judge', 'Model judge', judgeHtml(m.judge)],
        ] as [string, string, Raw][])
      : []),
    ['problems', 'Problem cells', problemsSection(m)],
    ['diffs', 'Prompt diff', diffSection(m)],
    ['cells', 'Every cell', cellsSection(m)],
  ];
  const present = sections.filter(([, , body]) => body.html !== '');
  const body = html`<nav class="top">${present.map(([id, label]) => html`<a href="#${id}">${label}</a>`)}</nav>
<main>
${present.map(([, , section]) => section)}
</main>
${raw(DIALOG)}`;
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${CSP}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="promptgate">
<title>${esc(`promptgate report · ${m.run.id}`)}</title>
<style>${STYLE}</style>
</head>
<body>
${body.html}
<script type="application/octet-stream" id="drill-data">${packedDrill}</script>
<script>${SCRIPT}</script>
</body>
</html>
`;
}
