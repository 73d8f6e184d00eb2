// The report's stylesheet, inlined into report.html (the file must open from disk with no
// network). System fonts only; no style attributes anywhere, so the page's CSP can allow this one
// stylesheet by its hash and nothing else.

export const STYLE = `
:root { --fg: #1d2430; --muted: #5f6b7a; --line: #d8dee6; --bg: #f6f8fa; --card: #fff; --good: #1f7a4d; --bad: #b42318; --accent: #3b6fd8; }
* { box-sizing: border-box; }
body { margin: 0; font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif; color: var(--fg); background: var(--bg); }
nav.top { position: sticky; top: 0; z-index: 2; background: #1d2430; padding: 6px 20px; display: flex; gap: 14px; flex-wrap: wrap; }
nav.top a { color: #dfe7f1; text-decoration: none; font-size: 13px; }
nav.top a:hover { text-decoration: underline; }
main { max-width: 1280px; margin: 0 auto; padding: 16px 20px 60px; }
header, section { background: var(--card); border: 1px solid var(--line); border-radius: 8px; padding: 14px 18px; margin: 14px 0; }
header { border: 0; padding: 0; background: none; }
header > section { margin-top: 10px; }
h1 { font-size: 22px; margin: 8px 0; }
h2 { font-size: 17px; margin: 0 0 10px; }
h3 { font-size: 15px; margin: 8px 0; }
h4 { font-size: 13px; margin: 6px 0; color: var(--muted); text-transform: uppercase; letter-spacing: .04em; }
code, pre { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; font-size: 12.5px; }
dl.facts { display: grid; grid-template-columns: max-content 1fr; gap: 3px 14px; margin: 0; }
dl.facts dt { color: var(--muted); }
dl.facts dd { margin: 0; }
.pill { display: inline-block; border: 1px solid var(--line); border-radius: 10px; padding: 0 8px; margin: 0 4px 2px 0; background: #fff; }
.pill.hard { border-color: #c9a227; color: #7a5d00; font-size: 11px; }
.muted { color: var(--muted); }
.note { background: #fff8e1; border-left: 3px solid #e0a800; padding: 6px 10px; margin: 6px 0; }
ul.verdicts { margin: 0; padding-left: 0; list-style: none; }
ul.verdicts li { padding: 4px 0 4px 26px; position: relative; font-size: 15px; }
ul.verdicts li::before { position: absolute; left: 4px; font-weight: bold; }
ul.verdicts li.good::before { content: "▲"; color: var(--good); }
ul.verdicts li.bad::before { content: "▼"; color: var(--bad); }
ul.verdicts li.neutral::before { content: "≈"; color: var(--muted); }
ul.verdicts li.model::before { content: "⚖"; color: var(--accent); }
.up { color: var(--good); font-weight: 600; }
.down { color: var(--bad); font-weight: 600; }
.scroll { overflow-x: auto; }
table { border-collapse: collapse; width: 100%; font-variant-numeric: tabular-nums; }
th, td { text-align: left; padding: 4px 8px; border-bottom: 1px solid var(--line); vertical-align: top; }
th { background: #eef2f6; position: relative; cursor: pointer; user-select: none; white-space: nowrap; }
th:hover { background: #e2e8f0; }
th[aria-sort="ascending"]::after { content: " ▲"; font-size: 10px; }
th[aria-sort="descending"]::after { content: " ▼"; font-size: 10px; }
tbody tr:hover { background: #f3f7fc; }
.status.error, .status.refused { color: var(--bad); font-weight: 600; }
.status.truncated { color: #a15c00; font-weight: 600; }
button.open { font: inherit; font-size: 12px; border: 1px solid var(--line); background: #fff; border-radius: 4px; padding: 1px 8px; cursor: pointer; color: var(--accent); }
button.open:hover { background: #eef4ff; }
figure.chart { margin: 4px 0 10px; overflow-x: auto; }
svg .grid { stroke: #e3e8ee; }
svg .tick { font-size: 11px; fill: var(--muted); }
svg .label { font-size: 11px; fill: var(--fg); }
svg .value { font-size: 11px; fill: #102010; }
svg .value.light { fill: #fff; }
svg .whisker { stroke: #1d2430; stroke-width: 1.5; fill: none; }
svg [data-cell] { cursor: pointer; }
svg g.heat:hover rect { stroke: #1d2430; stroke-width: 2; }
ul.legend { list-style: none; display: flex; gap: 16px; padding: 0; margin: 4px 0 0; font-size: 12px; }
ul.legend svg { vertical-align: -1px; margin-right: 5px; }
.side-by-side { display: grid; grid-template-columns: minmax(0, 3fr) minmax(0, 2fr); gap: 18px; }
pre.diff { background: #fbfcfd; border: 1px solid var(--line); padding: 8px; overflow: auto; max-height: 520px; white-space: pre-wrap; }
pre.diff .add { background: #e6ffec; display: block; }
pre.diff .del { background: #ffebe9; display: block; }
pre.diff .hunk { color: var(--accent); display: block; }
pre.diff .ctx { display: block; color: #4b5563; }
ul.grader-changes { padding-left: 18px; }
input[type=search] { font: inherit; padding: 3px 8px; min-width: 260px; }
dialog#drill { width: min(1240px, 96vw); height: 92vh; padding: 0; border: 1px solid var(--line); border-radius: 8px; }
dialog#drill::backdrop { background: rgba(20, 28, 40, .45); }
.drill-head { padding: 10px 16px; border-bottom: 1px solid var(--line); display: flex; gap: 12px; align-items: baseline; flex-wrap: wrap; }
.drill-head h2 { margin: 0; }
.drill-head .close { margin-left: auto; font-size: 18px; border: 0; background: none; cursor: pointer; }
.drill-body { display: grid; grid-template-columns: minmax(0, 2fr) minmax(0, 3fr); height: calc(92vh - 100px); }
.drill-grades, .drill-doc { overflow: auto; padding: 8px 14px; }
.drill-grades { border-right: 1px solid var(--line); }
.drill-grades tr.fail td:first-child { border-left: 3px solid var(--bad); }
.drill-grades tr.pass td:first-child { border-left: 3px solid var(--good); }
.drill-grades tr.selected { background: #eef4ff; }
.drill-grades button { font: inherit; font-size: 11px; border: 1px solid var(--line); background: #fff; border-radius: 3px; padding: 0 4px; margin: 1px; cursor: pointer; }
ol.doc, ol.doc ol.code { list-style: none; margin: 0; padding: 0; font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; font-size: 12.5px; }
ol.doc li[data-n] { white-space: pre-wrap; overflow-wrap: anywhere; padding-left: 52px; position: relative; min-height: 1.45em; }
ol.doc li[data-n]::before { content: attr(data-n); position: absolute; left: 0; width: 42px; text-align: right; color: #9aa5b1; }
/* Code blocks and diagrams keep their lines: the block scrolls sideways, the line numbers stay. */
ol.doc li.block { overflow-x: auto; background: #f6f8fa; border-radius: 4px; margin: 2px 0; }
ol.doc ol.code { width: max-content; min-width: 100%; }
ol.doc ol.code li[data-n] { white-space: pre; overflow-wrap: normal; padding-left: 0; }
ol.doc ol.code li[data-n]::before { position: sticky; display: inline-block; left: 0; width: 52px; padding-right: 10px; background: #f6f8fa; }
ol.doc li.hit, ol.doc ol.code li.hit, ol.doc ol.code li.hit::before { background: #fff4c2; }
ol.doc li.focus, ol.doc ol.code li.focus, ol.doc ol.code li.focus::before { background: #ffd966; outline: 1px solid #c9a227; }
#drill-samples button { font: inherit; font-size: 12px; margin-right: 4px; }
#drill-samples button[aria-current="true"] { font-weight: bold; }
.drill-note { color: var(--muted); padding: 0 16px; margin: 6px 0; }
section.first-run { border: 2px solid #e0a800; background: #fffdf4; }
p.lead { font-size: 15px; }
table.compact th { white-space: normal; min-width: 5.5em; }
table.compact td { white-space: nowrap; }
#grader-table td:first-child { white-space: normal; }
svg .leader { stroke: #8a96a3; stroke-width: 1; }
#output-matrix { width: auto; min-width: 100%; }
#output-matrix th { cursor: default; white-space: normal; }
#output-matrix th[scope=row] { font-weight: normal; background: #f8fafc; min-width: 10em; }
#output-matrix td.out { padding: 0; min-width: 9em; max-width: 16em; }
#output-matrix td.pass { background: #e3f4e8; }
#output-matrix td.mixed { background: #fff3d6; }
#output-matrix td.fail { background: #fde4e1; }
#output-matrix button.out { all: unset; box-sizing: border-box; display: block; width: 100%; padding: 4px 8px; cursor: pointer; }
#output-matrix button.out:hover, #output-matrix button.out:focus-visible { outline: 2px solid var(--accent); outline-offset: -2px; }
#output-matrix .failing { display: block; font-size: 11.5px; color: var(--bad); }
#output-matrix .failing > span { display: inline-block; margin-right: 8px; }
.sxs-controls { display: flex; flex-wrap: wrap; gap: 8px 14px; align-items: center; margin-bottom: 6px; }
.sxs-controls select { font: inherit; max-width: 100%; }
.sxs-controls label { max-width: 100%; }
button.preset { font: inherit; border: 1px solid var(--line); background: #fff; border-radius: 4px; padding: 2px 10px; cursor: pointer; }
button.preset[aria-pressed="true"] { background: #eef4ff; border-color: var(--accent); }
table.sxs-grades { table-layout: fixed; }
table.sxs-grades th { cursor: default; white-space: normal; }
table.sxs-grades th:first-child, table.sxs-grades td:first-child { width: 12em; }
table.sxs-grades td.fail { color: var(--bad); }
table.sxs-grades td.pass { color: var(--good); }
table.sxs-grades tr.changed td { background: #fff4c2; font-weight: 600; }
.sxs-diff { display: grid; grid-template-columns: 3.2em minmax(0, 1fr) 3.2em minmax(0, 1fr); font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; font-size: 12px; max-height: 720px; overflow-y: auto; border: 1px solid var(--line); margin-top: 8px; }
.sxs-diff:empty { display: none; }
.sxs-diff .n { color: #9aa5b1; text-align: right; padding-right: 6px; border-right: 1px solid var(--line); }
.sxs-diff .t { white-space: pre-wrap; overflow-wrap: anywhere; padding: 0 6px; min-height: 1.4em; }
.sxs-diff .t.code { white-space: pre; overflow-wrap: normal; overflow-x: auto; scrollbar-width: thin; }
.sxs-diff .del { background: #ffebe9; }
.sxs-diff .add { background: #e6ffec; }
.sxs-diff .gap { background: #f3f4f6; }
@media (max-width: 900px) { .side-by-side, .drill-body { grid-template-columns: 1fr; } }
`;
