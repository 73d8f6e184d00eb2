// monitoring — the prompt asks for "monitoring dashboards, alerting thresholds, and runbooks" and
// "observable pipelines with actionable alerting". An alert without a number cannot be
// configured; "alert on abnormal lag" is a wish, "lag > 50,000 messages for 5 min" is an alert.
//
// Counted, each metric once:
// - rows of a table with an alert column (Warning, Critical, Threshold, Alert, Alarm, Page,
//   Severity) holding a number; in a monitoring section also SLO / Target / Trigger / Limit
//   columns holding a comparison or a measure, or any cell with a comparison. Tables about
//   sources, capacity, scaling or cost state SLAs and limits, not alerts, unless they sit in
//   the monitoring section, unless the table's first column is Metric / Signal / Alert (a table
//   of metrics with a Source column is still a table of alerts);
// - lines (prose, lists, or alert-rule config) that name an alert word (alert, alarm, warning,
//   critical, page, threshold, SLO, notify…; not "early-warning") and a numeric comparison
//   (> 5 min, ≥ 2%, exceeds 10,000, above 80%, `expr: lag > 30000`), or in a monitoring
//   section any comparison;
// - alarm definitions in code: `threshold = 120000` near `comparison_operator` (CloudWatch,
//   Terraform), `critical: 5` under `thresholds:` (Datadog).
// Passes with at least three; score = count / 3, capped at 1.

import { at, defineGrader, grade, type Location } from './core.ts';
import { searchable, sectionAt, type Document, type Table } from './document.ts';

/** Columns that hold alert thresholds anywhere; looser ones ("SLO", "Target") only in a monitoring section. */
const ALERT_HEADER = /\bwarn|critical|\bcrit\b|threshold|alert|alarm|\bpage|sev(?:erity)?\b|\bp[1-4]\b/i;
const MONITORING_HEADER = /\bslo|trigger|condition|limit|target|fire/i;
/** Tables about capacity or sources state limits and SLAs, not alerts. */
const NOT_ALERT_TABLE = /scal|capacity|headroom|source|volume|partition|sizing|cost|price/i;
const NUMBER = /\d/;
const ALERT_WORD = /alert|alarm|(?<!early[- ])\bwarn(?:ing|s)?\b|critical|\bpage[sd]?\b|paging|threshold|\bslo\b|notify|pagerduty|opsgenie|on-call|escalat|breach|fire[sd]?\b/i;
/** An explicit comparison with a number: "> 5 min", "≥ 2%", "exceeds 10,000", "above 80%". */
const COMPARISON =
  /(?:>=?|<=?|≥|≤|=>)\s*~?\$?\d|\b(?:above|below|exceeds?|exceeding|over|under|greater than|less than|more than|fewer than|drops? below|rises? above|falls? below|beyond|at least|at most|outside)\s+~?\$?\d/i;
/** A number with a unit, which reads as a threshold only next to an alert word ("warn at 80%"). */
// Starts only where a number starts (see NUMBER in scalability.ts: linear on "1,1,1,…").
const MEASURE = /(?<!\d)(?<!\d[,.])\d[\d,.]*\s*(?:%|ms\b|s\b|sec\b|seconds?|min\b|mins\b|minutes?|hours?|hrs?|k\b|messages|records|rows|events)/i;
const MONITORING_SECTION = /monitor|alert|observab|\bslos?\b|operation|runbook/i;
/** Alarm definitions in code: `threshold = 120000` next to a comparison operator (CloudWatch, Datadog). */
const CODE_THRESHOLD = /^\s*"?(?:threshold|critical|warning|warn|alert_threshold)"?\s*[:=]\s*-?\d/i;
const CODE_OPERATOR = /comparison_?operator|GreaterThan|LessThan|"op"\s*:|thresholds\s*:|\bcritical\s*:/i;

export default defineGrader({
  id: 'monitoring',
  description: 'At least three metrics with numeric alert thresholds',
  weight: 2,
  grade(doc) {
    const found = new Map<string, Location>();
    for (const table of doc.tables) for (const hit of thresholdRows(doc, table)) if (!found.has(hit.key)) found.set(hit.key, hit.at);
    const tableLines = new Set(doc.tables.flatMap((t) => range(t.line, t.endLine)));
    for (const { line, text } of searchable(doc)) {
      if (tableLines.has(line) || !isThreshold(doc, line, text)) continue;
      const key = doc.inCode[line] && CODE_THRESHOLD.test(text) ? alarmName(doc, line) : metricKey(text);
      if (!found.has(key)) found.set(key, at(line, text.trim().slice(0, 100)));
    }
    const n = found.size;
    const reason = n >= 3 ? `${n} metrics with numeric alert thresholds` : `${n} metrics with numeric alert thresholds; wanted at least 3`;
    return grade(n >= 3, n / 3, reason, [...found.values()].slice(0, 20), { thresholds: n });
  },
});

/**
 * A line states a threshold when it has an alert word and a number with a comparison or unit,
 * or, in a monitoring section or an alert rule (the 3 lines above name an alert), a comparison.
 */
function isThreshold(doc: Document, line: number, text: string): boolean {
  if (doc.inCode[line] && CODE_THRESHOLD.test(text)) return near(doc, line, 10).some((l) => CODE_OPERATOR.test(l));
  if (ALERT_WORD.test(text)) return COMPARISON.test(text) || MEASURE.test(text);
  if (!COMPARISON.test(text)) return false;
  if (doc.inCode[line]) return near(doc, line, 3).some((l) => ALERT_WORD.test(l));
  return MONITORING_SECTION.test(sectionAt(doc, line)?.key ?? '');
}

/** An alarm in code is named by the nearest `alarm_name` / `metric_name` / `alert:` / `name:` above its threshold. */
function alarmName(doc: Document, line: number): string {
  for (let l = line - 1; l >= Math.max(1, line - 12); l--) {
    const name = /(?:alarm_?name|metric_?name|alert|name)"?\s*[:=]\s*"?([^"\s,]+)/i.exec(doc.lines[l - 1]!);
    if (name) return `alarm ${name[1]!.toLowerCase()}`;
  }
  return `alarm at line ${line}`;
}

/** The lines up to `n` above and below a line (for context in code blocks). */
function near(doc: Document, line: number, n: number): string[] {
  return doc.lines.slice(Math.max(0, line - 1 - n), line + n);
}

/**
 * Rows with a number in a threshold column; in a monitoring section, also rows of any table
 * with an explicit comparison ("Target: < 30 s") in some cell.
 */
function thresholdRows(doc: Document, table: Table): Array<{ key: string; at: Location }> {
  const inMonitoring = MONITORING_SECTION.test(sectionAt(doc, table.line)?.key ?? '');
  // A table of metrics ("Metric | Source | Threshold") is about alerts whatever its other columns say.
  const ofMetrics = /^(?:metric|signal|alert|indicator|check)s?\b/i.test((table.header[0] ?? '').trim());
  if (!inMonitoring && !ofMetrics && table.header.some((h) => NOT_ALERT_TABLE.test(h))) return [];
  const alertColumns = table.header.map((h, i) => (i > 0 && ALERT_HEADER.test(h) ? i : -1)).filter((i) => i >= 0);
  const looseColumns = inMonitoring ? table.header.map((h, i) => (i > 0 && !ALERT_HEADER.test(h) && MONITORING_HEADER.test(h) ? i : -1)).filter((i) => i >= 0) : [];
  // In a monitoring table without such headers, any cell with an explicit comparison counts.
  const anyColumns = inMonitoring && !alertColumns.length && !looseColumns.length ? table.header.map((_, i) => i).slice(1) : [];
  const holds = (r: Table['rows'][number]) =>
    alertColumns.some((c) => NUMBER.test(r.cells[c] ?? '')) ||
    looseColumns.some((c) => COMPARISON.test(r.cells[c] ?? '') || MEASURE.test(r.cells[c] ?? '')) ||
    anyColumns.some((c) => COMPARISON.test(r.cells[c] ?? ''));
  const columns = [...alertColumns, ...looseColumns, ...anyColumns];
  return table.rows
    .filter(holds)
    .map((r) => ({ key: metricKey(r.cells[0] ?? `row ${r.line}`), at: at(r.line, `${r.cells[0] ?? ''}: ${columns.map((c) => r.cells[c]).join(' / ')}`) }));
}

/** Metrics are counted once, by their name's first words. */
function metricKey(text: string): string {
  return text
    .toLowerCase()
    .replace(/[*_`#>-]/g, ' ')
    .split(/\s+/)
    .filter((w) => /\p{L}/u.test(w))
    .slice(0, 4)
    .join(' ');
}

function range(from: number, to: number): number[] {
  return Array.from({ length: to - from + 1 }, (_, i) => from + i);
}
