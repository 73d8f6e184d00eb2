// monitoring — the prompt asks for "monitoring dashboards, alerting thresholds, and runbooks" and
// "observable pipelines with actionable alerting". An alert without a number cannot be
// configured; "alert on abnormal lag" is a wish, "lag > 50,000 messages for 5 min" is an alert.
//
// Counted, each metric once:
// - rows of a table with a threshold-like column (Warning, Critical, Threshold, Alert, SLO,
//   Trigger, Page, Severity) that hold a number in such a column;
// - lines (prose, lists, or alert-rule config) that name an alert word (alert, warn, critical,
//   page, threshold, SLO, notify…) and a numeric comparison (> 5 min, ≥ 2%, exceeds 10,000,
//   above 80%, `expr: lag > 30000`).
// Passes with at least three; score = count / 3, capped at 1.

import { at, defineGrader, grade, type Location } from './core.ts';
import { searchable, sectionAt, type Document, type Table } from './document.ts';

const THRESHOLD_HEADER = /warn|critical|crit\b|threshold|alert|\bslo\b|trigger|\bpage|sev|p[12]\b|condition|limit/i;
const NUMBER = /\d/;
const ALERT_WORD = /alert|warn|critical|\bpage[sd]?\b|paging|threshold|\bslo\b|\bsla\b|notify|pagerduty|opsgenie|on-call|escalat|breach|fire[sd]?\b|trigger/i;
/** An explicit comparison with a number: "> 5 min", "≥ 2%", "exceeds 10,000", "above 80%". */
const COMPARISON =
  /(?:>=?|<=?|≥|≤|=>)\s*~?\$?\d|\b(?:above|below|exceeds?|exceeding|over|under|greater than|less than|more than|fewer than|drops? below|rises? above|falls? below|beyond|at least|at most|outside)\s+~?\$?\d/i;
/** A number with a unit, which reads as a threshold only next to an alert word ("warn at 80%"). */
const MEASURE = /\d[\d,.]*\s*(?:%|ms\b|s\b|sec\b|seconds?|min\b|mins\b|minutes?|hours?|hrs?|k\b|messages|records|rows|events)/i;
const MONITORING_SECTION = /monitor|alert|observab|\bslos?\b|operation|runbook|sla/i;

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
      const key = metricKey(text);
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
  if (ALERT_WORD.test(text)) return COMPARISON.test(text) || MEASURE.test(text);
  if (!COMPARISON.test(text)) return false;
  if (doc.inCode[line]) return doc.lines.slice(Math.max(0, line - 4), line - 1).some((l) => ALERT_WORD.test(l));
  return MONITORING_SECTION.test(sectionAt(doc, line)?.key ?? '');
}

/**
 * Rows with a number in a threshold column; in a monitoring section, also rows of any table
 * with an explicit comparison ("Target: < 30 s") in some cell.
 */
function thresholdRows(doc: Document, table: Table): Array<{ key: string; at: Location }> {
  let columns = table.header.map((h, i) => (i > 0 && THRESHOLD_HEADER.test(h) ? i : -1)).filter((i) => i >= 0);
  let holds = (cell: string) => NUMBER.test(cell);
  if (!columns.length && MONITORING_SECTION.test(sectionAt(doc, table.line)?.key ?? '')) {
    columns = table.header.map((_, i) => i).slice(1);
    holds = (cell) => COMPARISON.test(cell);
  }
  return table.rows
    .filter((r) => columns.some((c) => holds(r.cells[c] ?? '')))
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
