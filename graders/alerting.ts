// alerting — the prompt's quality criteria ask for "observable pipelines with actionable
// alerting", and its OPERATIONAL EXCELLENCE step for "alerting thresholds, and runbooks". A
// threshold says when someone is woken up; an actionable alert also says what they do next.
// (`monitoring` checks the thresholds; this grader checks that the alerts can be acted on.)
//
// Alerts are read where monitoring.ts reads thresholds: rows of tables with an alert column
// (Warning, Critical, Threshold, Alert, Page, Severity) or of tables in the monitoring section;
// lines that name an alert word with a comparison ("page when lag > 5 min"); alert rules in
// code (`alert:` / `alarm_name`). An alert is actionable when its row, line, list item (with
// its sub-items) or rule says what to do — a runbook or playbook, an owner or on-call rotation,
// or an action ("restart the connector", "add a broker", "replay from the DLQ", "pause the
// load", "roll back") — or when its table has a filled Runbook / Action / Response / Owner
// column. A runbook section (Runbooks, Playbooks, Incident response), or a paragraph led by a
// bold "Runbook" ("**Runbook, in short.** Stale marts: check …"), with at least two steps
// makes every alert actionable, and so does a line of the monitoring section that routes the
// alerts to an owner ("critical alerts page the data on-call", "Critical → PagerDuty (on-call
// data engineer)"): the owner is who acts. Routing to a channel alone (Slack) is not an owner.
//
// Passes: at least one alert, and at least half of the alerts actionable (or a runbook section
// with steps, or alerts routed to an owner). Score = the share of actionable alerts (1 with a
// runbook section, at least 0.8 with owner routing); 0 without alerts. Weight 1.5, not hard: the prompt names it twice (a quality criterion and step 6), but
// deciding what counts as an action from text is looser than counting thresholds, so it adds to
// the score without vetoing a document on its own.

import { at, defineGrader, grade, type Location } from './core.ts';
import { searchable, sectionAt, type Document, type Table } from './document.ts';

const ALERT_HEADER = /\bwarn|critical|\bcrit\b|threshold|alert|alarm|\bpage|sev(?:erity)?\b|\bp[1-4]\b|trigger|condition|fires? when/i;
const MONITORING_SECTION = /monitor|alert|observab|\bslos?\b|operation|runbook/i;
const NOT_ALERT_TABLE = /scal|capacity|headroom|source|volume|partition|sizing|cost|price/i;
const ACTION_HEADER = /runbook|playbook|action|response|respond|owner|on-?call|next step|what to do|remediat|mitigat|first step|escalat|who|team/i;
const ALERT_LINE = /\b(?:alert|alarm|page[sd]?|paging|notify|pagerduty|opsgenie)\b|(?<!early[- ])\bwarn(?:ing)?\b|\bcritical\b/i;
const COMPARISON = /(?:>=?|<=?|≥|≤)\s*~?\$?\d|\b(?:above|below|exceeds?|exceeding|over|greater than|less than|more than|drops? below|rises? above|falls? below|beyond|for more than|older than|behind by)\s+~?\$?\d/i;
/** What to do: a runbook, an owner, or an action verb aimed at the pipeline. */
const ACTIONABLE =
  /runbook|playbook|\bowner\b|owned by|on-?call|escalat|\bteam\b|→\s*\w|\b(?:restart|re-?run|replay|re-?drive|reprocess|backfill|scale (?:out|up)|add (?:a |an |one |more )?(?:broker|node|partition|worker|shard|replica|slot)s?|pause|resume|fail ?over|roll ?back|drain|rotate|increase|raise|throttle|disable|switch|purge|kill|re-?sync|resnapshot|re-?snapshot|investigate|inspect|check (?:the|whether|if|for)|look at|open (?:a |an )?(?:ticket|incident)|contact|call the|notify the|quarantine|skip|refresh|rebuild|re-?deploy|revert)\b/i;
const RUNBOOK_SECTION = /runbook|playbook|incident|on-?call|what to do|response|remediation|operations? guide/i;
const STEP = /\b(?:restart|re-?run|replay|re-?drive|reprocess|backfill|scale|add|pause|resume|fail ?over|roll ?back|drain|rotate|increase|throttle|disable|switch|purge|kill|check|verify|confirm|inspect|investigate|look|open|contact|escalate|notify|quarantine|rebuild|revert|run|compare|identify|fix|re-?sync)\b/i;
/** Alerts routed to someone who owns them: "critical alerts page the data on-call", "Critical → PagerDuty (on-call data engineer)". */
const ROUTED_TO_OWNER =
  /\b(?:alerts?|pages?|paging|critical|warnings?|routed?|routing|escalat\w*|notif\w*|pagerduty|opsgenie)\b[^.]{0,80}\b(?:on-?call|rotation|owner|owning team|(?:data|platform|analytics|ops|sre|engineering|risk|finance) team|engineer|sre|steward)\b|\b(?:on-?call|owner|owning team)\b[^.]{0,60}\b(?:is |are |gets? )?(?:paged|alerted|notified)/i;
const ALERT_RULE = /^\s*(?:-\s*)?(?:alert|alarm_name|alarmname)\s*[:=]/i;

interface Alert {
  line: number;
  name: string;
  actionable: boolean;
}

export default defineGrader({
  id: 'alerting',
  description: 'Alerts say what to do (a runbook step, an owner or an action), not only a threshold',
  weight: 1.5,
  grade(doc) {
    const alerts = readAlerts(doc);
    const runbook = runbookSection(doc);
    const owner = runbook ? null : ownerRouting(doc);
    if (!alerts.length) return grade(false, 0, 'no alerts found (a table with alert thresholds, alert lines or alert rules)', runbook ? [at(runbook.line, 'runbook section, but no alerts')] : []);
    const acted = alerts.filter((a) => a.actionable);
    const share = acted.length / alerts.length;
    const pass = share >= 0.5 || runbook !== null || owner !== null;
    const evidence: Location[] = [
      ...(runbook ? [at(runbook.line, `runbook section "${runbook.title}" with ${runbook.steps} steps`)] : []),
      ...(owner ? [owner] : []),
      ...alerts.filter((a) => !a.actionable).slice(0, 10).map((a) => at(a.line, `alert without an action: ${a.name}`)),
      ...acted.slice(0, 5).map((a) => at(a.line, `actionable alert: ${a.name}`)),
    ];
    const reason = runbook
      ? `${alerts.length} alerts; runbook section "${runbook.title}" says what to do (${acted.length} alerts also say it themselves)`
      : owner && share < 0.5
        ? `${alerts.length} alerts, routed to an owner (line ${owner.line}); ${acted.length} say what to do themselves`
        : `${acted.length}/${alerts.length} alerts say what to do (a runbook step, an owner or an action)${pass ? '' : '; wanted at least half'}`;
    const score = runbook ? 1 : owner ? Math.max(share, 0.8) : share;
    return grade(pass, score, reason, evidence, { alerts: alerts.length, actionable: acted.length, runbook: runbook !== null, owner: owner !== null });
  },
});

function readAlerts(doc: Document): Alert[] {
  const alerts: Alert[] = [];
  const tableLines = new Set<number>();
  for (const t of doc.tables) {
    for (let l = t.line; l <= t.endLine; l++) tableLines.add(l);
    alerts.push(...tableAlerts(doc, t));
  }
  for (const { line, text } of searchable(doc)) {
    if (tableLines.has(line)) continue;
    if (doc.inCode[line]) {
      if (ALERT_RULE.test(text)) alerts.push({ line, name: text.trim().slice(0, 60), actionable: ACTIONABLE.test(ruleBlock(doc, line)) });
      continue;
    }
    if (!ALERT_LINE.test(text) || !COMPARISON.test(text)) continue;
    alerts.push({ line, name: text.trim().slice(0, 60), actionable: ACTIONABLE.test(itemText(doc, line) ?? text) });
  }
  return alerts;
}

function tableAlerts(doc: Document, t: Table): Alert[] {
  const inMonitoring = MONITORING_SECTION.test(sectionAt(doc, t.line)?.key ?? '');
  const alertColumn = t.header.some((h, i) => i > 0 && ALERT_HEADER.test(h));
  if (!alertColumn && !inMonitoring) return [];
  if (!inMonitoring && t.header.some((h) => NOT_ALERT_TABLE.test(h))) return [];
  const actionColumns = t.header.map((h, i) => (ACTION_HEADER.test(h) && !ALERT_HEADER.test(h) ? i : -1)).filter((i) => i >= 0);
  return t.rows
    .filter((r) => r.cells.some((c, i) => i > 0 && /\d/.test(c)))
    .map((r) => ({
      line: r.line,
      name: (r.cells[0] ?? '').slice(0, 60),
      actionable: actionColumns.some((c) => /\p{L}/u.test(r.cells[c] ?? '') && !/^(?:-|—|n\/a|none|tbd)$/i.test((r.cells[c] ?? '').trim())) || ACTIONABLE.test(r.cells.join(' | ')),
    }));
}

/** The list item holding a line, with its sub-items: "- Page on lag > 5 min" / "  - restart the connector". */
function itemText(doc: Document, line: number): string | undefined {
  let best: { text: string; span: number } | undefined;
  for (const item of doc.items) {
    if (item.line <= line && line <= item.endLine && (!best || item.endLine - item.line < best.span)) best = { text: item.text, span: item.endLine - item.line };
  }
  return best?.text;
}

/** An alert rule in code with the lines that follow it (labels, annotations, runbook_url), up to the next rule. */
function ruleBlock(doc: Document, line: number): string {
  const out = [doc.lines[line - 1]!];
  for (let l = line + 1; l <= doc.lines.length && l <= line + 15 && doc.inCode[l] && !ALERT_RULE.test(doc.lines[l - 1]!); l++) out.push(doc.lines[l - 1]!);
  return out.join('\n');
}

/** A line of the monitoring section that routes the alerts to an owner (an on-call rotation, a team). */
function ownerRouting(doc: Document): Location | null {
  for (const { line, text } of searchable(doc, { prose: true })) {
    if (!MONITORING_SECTION.test(sectionAt(doc, line)?.key ?? '')) continue;
    const m = ROUTED_TO_OWNER.exec(text);
    if (m) return at(line, `alerts routed to an owner: "${m[0].slice(0, 80)}"`);
  }
  return null;
}

/** A section about runbooks or incident response with at least two steps (list items or table rows with an action). */
function runbookSection(doc: Document): { line: number; title: string; steps: number } | null {
  for (const s of doc.sections) {
    if (!RUNBOOK_SECTION.test(s.key)) continue;
    const items = doc.items.filter((i) => i.line > s.line && i.line <= s.endLine && STEP.test(i.lead)).length;
    const rows = doc.tables.filter((t) => t.line > s.line && t.line <= s.endLine).flatMap((t) => t.rows).filter((r) => STEP.test(r.cells.slice(1).join(' '))).length;
    if (items + rows >= 2) return { line: s.line, title: s.title, steps: items + rows };
  }
  // "**Runbook, in short.** Stale marts: check Airbyte's sync log first, then the Actions run." —
  // a runbook paragraph with at least two steps.
  for (const { line, text } of searchable(doc, { prose: true })) {
    const lead = /^\s{0,3}(?:[-*]\s+)?\*\*([^*]{2,60})\*\*/.exec(text);
    if (!lead || !RUNBOOK_SECTION.test(lead[1]!)) continue;
    const steps = text.slice(lead[0].length).split(/[.;]\s+/).filter((sentence) => STEP.test(sentence)).length;
    if (steps >= 2) return { line, title: lead[1]!.replace(/[.:,]\s*$/, ''), steps };
  }
  return null;
}
