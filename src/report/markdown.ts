// report.md: the report as GitHub-flavoured markdown, for a pull-request comment and
// $GITHUB_STEP_SUMMARY. GitHub rejects comments over 65,536 characters, so long tables are cut
// (with a note naming the full report) until the whole text fits under MAX_CHARS.

import { ciText, signed } from './compare.ts';
import { ci, delta, duration, groupName, pct, score, seconds, square, tokens, usd, when } from './format.ts';
import { noModelRan, noProblems, NOTHING_TO_COMPARE, references, type Group, type Pair, type ReportModel } from './model.ts';
import { shortSha } from './build.ts';
import { mdCell, mdClean, mdCode, mdCodeCell, mdUrlPart } from './md-escape.ts';
import { judgeMarkdown } from './judge.ts';

export const MAX_CHARS = 64_000;

interface Limits {
  rows: number;
  diffChars: number;
}

export function renderMarkdown(model: ReportModel): string {
  let limits: Limits = { rows: 60, diffChars: 12_000 };
  for (;;) {
    const text = mdClean(render(model, limits));
    if (text.length <= MAX_CHARS) return text;
    if (limits.rows <= 5) return `${text.slice(0, MAX_CHARS - 200)}\n\n_… cut to fit a comment; the full report is report.html in ${code(model.run.dir)}._\n`;
    limits = { rows: Math.floor(limits.rows / 2), diffChars: Math.floor(limits.diffChars / 2) };
  }
}

// Every value from outside promptgate goes through md-escape.ts: `cell` for text, `code` in
// prose, `codeCell` in a table row (where even a code span's `|` splits the row).
const cell = mdCell;
const code = mdCode;
const codeCell = mdCodeCell;
const link = (ref: string) => `report.html#cell=${mdUrlPart(ref)}`;

function table(header: string[], rows: string[][], limit: number, what: string, model: ReportModel): string {
  const shown = rows.slice(0, limit);
  const lines = [`| ${header.join(' | ')} |`, `|${header.map((h) => (/^(mean|pass|cost|\$|cells|errors|input|output|cache|p50|p95|Δ)/.test(h) ? '---:' : '---')).join('|')}|`, ...shown.map((r) => `| ${r.join(' | ')} |`)];
  if (rows.length > shown.length) lines.push('', `_… ${rows.length - shown.length} more ${what} not shown here: see report.html in ${code(model.run.dir)}._`);
  return lines.join('\n');
}

function render(m: ReportModel, limits: Limits): string {
  const out: string[] = [];
  const t = m.run.totals;
  const title = m.run.suite.description ?? m.run.suite.file;
  out.push(`## promptgate report · ${cell(title)}`, '');
  out.push(
    [
      `**Run** ${code(m.run.id)} · ${when(m.run.startedAt)} · ${m.run.status} · suite ${code(m.run.suite.file)} · prompt ${code(m.run.suite.prompt)}`,
      `**Versions** ${m.run.versions.map((v) => `${v.version} (${code(shortSha(v.sha256))})`).join(', ')} · **Models** ${m.run.models.map((x) => cell(x.label)).join(', ')}`,
      `**Cells** ${t.finished}/${t.planned} (${t.ok} ok, ${t.truncated} truncated, ${t.refused} refused, ${t.errors} errors, ${t.cached} from the store${references(m) ? `; and ${references(m)} hand-written references` : ''}) · **Cost** ${usd(t.costUsd)} · **Duration** ${duration(m.run.durationMs)}${m.compared ? ` · **Compared with** ${cell(m.compared.title)}` : ''}`,
    ].join('  \n'),
    '',
  );
  if (noModelRan(m)) return firstRun(m, out, limits);
  out.push('### Verdict', '');
  const icon = (p: Pair) => (p.outcome === 'better' ? '✅' : p.outcome === 'worse' ? '🔻' : '➖');
  if (!m.pairs.length && !m.modelPairs.length) out.push(`_${NOTHING_TO_COMPARE}_`);
  for (const p of m.pairs) out.push(`- ${icon(p)} **${cell(p.verdict)}** (${p.scenarios} scenarios${p.kind === 'run' ? `; cost per cell ${usd(p.after.costPerCell)} vs ${usd(p.before.costPerCell)}` : ''})`);
  for (const p of m.modelPairs) out.push(`- ⚖️ ${cell(p.verdict)}; cost per document ${usd(p.after.costPerCell)} vs ${usd(p.before.costPerCell)}`);
  out.push('', ...m.notes.map((n) => `> ${cell(n)}`), m.notes.length ? '' : '');

  if (m.notRun.length) out.push('### Not run', '', notRunTable(m, limits), '');
  out.push('### Version × model', '');
  out.push(
    table(
      ['version', 'model', 'mean [95% CI]', 'pass rate', 'cells', 'errors', 'cost/cell', '$/quality point'],
      m.groups.map((g) => [g.reference ? '—' : g.version, cell(g.label), `${score(g.agg.meanScore)} ${ci(g.ci)}`, pct(g.agg.passRate), String(g.agg.cells), String(g.agg.errors), g.reference ? '—' : usd(g.costPerCell), g.reference ? '—' : usd(g.costPerPoint)]),
      limits.rows,
      'rows',
      m,
    ),
    '',
    '_Mean score over scenarios and samples with a bootstrap 95% CI; $/quality point = cost per cell ÷ mean score (lower is better)._',
    '',
  );

  const pairOf = new Map(m.pairs.map((p) => [p.after.key, p]));
  const models = m.groups.filter((g) => !g.reference);
  out.push(`### Graders: pass rate · mean${m.pairs.length ? ` (▲/▼ against ${m.compared ? cell(m.compared.title) : 'the previous version'})` : ''}`, '');
  const graderCell = (g: Group, id: string) => {
    const s = g.graders[id];
    if (!s) return '–';
    // The change is the pair's: both sides on the scenarios they share (model.pairGroups).
    const p = pairOf.get(g.key);
    const [a, b] = [p?.after.graders[id], p?.before.graders[id]];
    return `${pct(s.passRate)} ${a ? delta(a.passRate, b?.passRate, 'pp') : ''} · ${score(s.mean)} ${a ? delta(a.mean, b?.mean, 'score') : ''}`.replace(/ +/g, ' ').trim();
  };
  if (!models.length) out.push('_No model output was graded in this run._', '');
  else out.push(table(['grader', ...models.map((g) => cell(groupName(g)))], m.graderIds.map((id) => [m.hard.includes(id) ? `**${cell(id)}** (hard)` : cell(id), ...models.map((g) => graderCell(g, id))]), limits.rows, 'graders', m), '');

  out.push('### Flips', '');
  if (!m.flips.length) out.push(m.pairs.length ? '_No (scenario, grader) pair changed its majority verdict._' : '_Nothing compared, so nothing can flip._', '');
  else {
    const rows = m.flips.map((f) => [
      f.direction === 'regressed' ? '🔻 now fails' : '✅ now passes',
      codeCell(f.scenario),
      cell(f.grader),
      cell(f.pair.after.label),
      `${cell(groupName(f.pair.before))}${f.pair.kind === 'run' ? ` (${codeCell(f.pair.before.runId)})` : ''}: ${f.before.passed}/${f.before.of}`,
      `${cell(f.pair.after.version)}: ${f.after.passed}/${f.after.of}`,
      `[before](${link(f.before.cellId)}) · [after](${link(f.after.cellId)})`,
    ]);
    out.push(table(['', 'scenario', 'grader', 'model', 'before (passed/samples)', 'after', 'documents'], rows, limits.rows, 'flips', m), '');
  }

  out.push('### Scenario heat map', '');
  const scenarios = Object.keys(m.groups[0]?.scenarioMeans ?? {});
  out.push(table(['scenario', ...m.groups.map((g) => cell(groupName(g)))], scenarios.map((s) => [codeCell(s), ...m.groups.map((g) => (g.scenarioMeans[s] === null ? '⬜ –' : `${square(g.scenarioMeans[s]!)} ${score(g.scenarioMeans[s]!)}`))]), limits.rows, 'scenarios', m), '');

  out.push('### Tokens, cost and latency per model', '');
  out.push(table(['model', 'cells', 'input tokens', 'output tokens', 'cache read', 'cost', 'p50 latency', 'p95 latency'], m.usage.map((u) => [cell(u.label), String(u.cells), tokens(u.input), tokens(u.output), tokens(u.cacheRead), usd(u.costUsd), seconds(u.p50LatencyMs), seconds(u.p95LatencyMs)]), limits.rows, 'models', m), '');

  out.push('### Truncated, refused and errored cells', '');
  if (!m.problems.length) out.push(`_${noProblems(m)}_`, '');
  else out.push(table(['cell', 'status', 'stop reason / error'], m.problems.map((c) => [`[${codeCell(c.id)}](${link(c.id)})`, c.status, cell(c.error ?? c.stopReason ?? '')]), limits.rows, 'cells', m), '');

  if (m.diffs.length) out.push('### Prompt diff and score diff', '');
  for (const d of m.diffs) {
    out.push(`#### ${d.from.version} (${code(shortSha(d.from.sha256))}) → ${d.to.version} (${code(shortSha(d.to.sha256))})`, '');
    out.push(table(['model', 'Δ mean [95% CI]', 'verdict'], d.pairs.map((p) => [cell(p.after.label), `${signed(p.diff)} ${ciText(p.ci, p.scenarios).replace('95% CI ', '')}`, cell(p.outcome)]), limits.rows, 'models', m), '');
    if (d.settings) out.push(`Settings: ${code(d.settings)}`, '');
    if (d.identical) out.push('_The prompt text is identical._', '');
    else if (!d.patch) out.push('_The prompt text of one side is not available (no run.json)._', '');
    else {
      const patch = d.patch.length > limits.diffChars ? `${d.patch.slice(0, limits.diffChars)}\n… (diff cut; the full diff is in report.html)` : d.patch;
      const fence = '`'.repeat(Math.max(3, ...[...patch.matchAll(/`+/g)].map((x) => x[0].length + 1)));
      out.push(`<details><summary>Prompt diff (${d.patch.split('\n').length} lines)</summary>`, '', `${fence}diff`, patch.trimEnd(), fence, '', '</details>', '');
    }
  }
  if (m.judge?.rows.length) out.push(...judgeMarkdown(m.judge));
  out.push('---', `_Full report with charts, sortable tables and every document: ${code(`${m.run.dir}/report.html`)} · JUnit: ${code('junit.xml')}_`, '');
  return out.join('\n');
}

function notRunTable(m: ReportModel, limits: Limits): string {
  return table(['model', 'to run it', 'cells', 'cost at most'], m.notRun.map((n) => [cell(n.label), cell(n.enable), String(n.cells), n.maxUsd === null ? 'unknown (no price)' : `≤ ${usd(n.maxUsd)}`]), limits.rows, 'models', m);
}

/** A run in which no model produced a cell: why, how to run them, what it costs, and the references. */
function firstRun(m: ReportModel, out: string[], limits: Limits): string {
  const planned = m.notRun.reduce((s, n) => s + n.cells, 0);
  const total = m.notRun.every((n) => n.maxUsd !== null) ? m.notRun.reduce((s, n) => s + n.maxUsd!, 0) : null;
  out.push('### No model ran: how to run them', '');
  out.push(`**No model ran.** None of the ${planned} planned cells was requested${m.run.status === 'incomplete' ? ', because no API key was set for the models below' : ` (the run is ${m.run.status})`}. Nothing here measures a prompt yet.`, '');
  if (m.notRun.length) out.push(notRunTable(m, limits), '');
  out.push(`Then run \`npm run eval\` again (stored answers are never paid for twice).${total !== null ? ` The whole plan costs at most ${usd(total)}.` : ''} \`--max-cost USD\` caps the spend; \`--dry-run\` prints the plan.`, '');
  const refs = m.groups.filter((g) => g.reference).flatMap((g) => g.cells).sort((a, b) => a.scenario.localeCompare(b.scenario));
  if (refs.length) {
    out.push('### What a passing document looks like', '', '_The hand-written references in `datasets/references/`, graded by the same graders a model\'s document will be._', '');
    out.push(table(['scenario', 'score', 'verdict', 'failed graders'], refs.map((c) => [`[${codeCell(c.scenario)}](${link(c.id)})`, score(c.score), c.pass === null ? '–' : c.pass ? 'pass' : 'FAIL', cell(Object.entries(c.grades).filter(([, g]) => !g.pass).map(([id]) => id).join(', ') || 'none')]), limits.rows, 'references', m), '');
  }
  out.push(...m.notes.map((n) => `> ${cell(n)}`), m.notes.length ? '' : '');
  out.push('---', `_Full report with every grade and the references' documents: ${code(`${m.run.dir}/report.html`)}_`, '');
  return out.join('\n');
}
