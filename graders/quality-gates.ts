// quality-gates — the prompt's QUALITY FRAMEWORK step asks for "data validation, monitoring, and
// alerting at each stage", and its output for "quality gate definitions and validation rules";
// it warns against "missing data quality validation stages". A gate is a rule, a place, and a
// consequence: without what happens on failure, a check only decorates the document.
//
// Looks for (anywhere, configuration blocks included, since dbt tests and expectations count):
// - rule kinds: schema, nulls/completeness, uniqueness/duplicates, freshness, row counts/volume,
//   referential integrity, ranges/accepted values — at least three;
// - stages the rules are tied to: raw/bronze/landing, ingestion, staging/silver/cleaned,
//   curated/gold/serving — at least two, named on a line with a rule or in the title of the
//   section holding one;
// - a failure action in a quality context (a section, list item or table about quality,
//   validation, checks or tests, or a line naming a rule and a check): block/halt/stop the
//   pipeline, fail the job, quarantine, dead-letter, reject, alert/page/notify, do not publish —
//   or as people write it: "the build stops", "stops every model downstream", "dashboards keep
//   yesterday's data", "the event is dropped and counted", "is not promoted", "opens a ticket".
// Several checks in one table count each: a row's rule kinds are read from its cells, its stage
// from its own cells, a Stage column (a blank cell repeats the stage above) or stage-named
// header columns marked for that row. The values of a checks table's Stage column are stages in
// the document's own words ("Collector (receive)", "Sample table"): stages are counted both ways
// (the four kinds above, or those values) and the larger count is kept.
// Passes when all three hold; score = the mean of the three parts.

import { at, defineGrader, grade, type Location } from './core.ts';
import { searchable, underMatching, type Document } from './document.ts';
import { DELIVERABLES } from './sections.ts';

const RULES: ReadonlyArray<{ name: string; re: RegExp }> = [
  { name: 'schema', re: /schema (?:valid|check|enforce|conform|registry|compat|contract|drift|test)|valid\w* (?:against )?(?:the )?schemas?|data contracts?|json ?schema|type (?:conformance|checks?)|expect_table_columns|column types?/i },
  { name: 'nulls', re: /\bnulls?\b|not[_ -](?:be_)?null|_null\b|non-null|completeness|missing (?:values|fields)|required fields|mandatory fields/i },
  { name: 'uniqueness', re: /(?:\b|_)unique|duplicat|\bdedup|primary[- ]keys?/i },
  { name: 'freshness', re: /freshness|\bstale|staleness|timeliness|late[- ]arriving|recency|arrival (?:sla|time)/i },
  { name: 'row counts', re: /row[- _]?counts?|record counts?|volume (?:check|anomal|test|drift)|count (?:check|reconcil|match)|reconcil|expect_table_row_count/i },
  { name: 'referential integrity', re: /referential|foreign[- ]keys?|orphan|relationships?\b|references? resolves?|(?:must|should) exist in|exists? in (?:the )?[\w.`]+ (?:table|dimension|snapshot|master|registry)/i },
  { name: 'ranges', re: /range checks?|accepted[_ ]values|valid[_ ]values|to_be_in_set|value ranges?|within (?:the )?range|expect_column_values_to_be_between|business rules?|outliers?|\bbounds\b|\bbetween -?\$?\d[\d,.]* and -?\$?\d|negative (?:amounts?|values?)/i },
];
const STAGES: ReadonlyArray<{ name: string; re: RegExp }> = [
  { name: 'raw', re: /\b(?:raw|bronze|landing)\b/i },
  { name: 'ingestion', re: /\bingest(?:ion|ed)?\b|\bsource\b/i },
  { name: 'staging', re: /\b(?:staging|silver|clean(?:ed|sed)?|conformed|intermediate|refined|enriched)\b/i },
  { name: 'serving', re: /\b(?:curated|gold|serving|marts?|warehouse|publish(?:ed|ing)?|consumption|presentation)\b/i },
];
const ACTION =
  /\bblock(?:s|ed|ing)?\b|\bhalts?\b|\bhalted\b|\bstops? (?:the )?(?:pipeline|run|job|dag|load)|fails? (?:the )?(?:pipeline|run|job|dag|task|build|load|batch)|fail(?:s|ed)? fast|quarantin|dead[- ]letter|\bdlq\b|\breject(?:s|ed|ing)?\b(?!,? (?:for now|because|in favou?r|as))|circuit[- ]breaker|roll(?:s|ed)? ?back|\balert|\bpag(?:e|es|ed|ing)\b|\bnotif|pagerduty|opsgenie|do not (?:publish|promote|load)|skip(?:s|ped)? (?:publish|promotion|the load)|severity:\s*error|on[_ ]failure|raise[sd]? an? (?:error|exception)/i;
/**
 * Failure actions as people write them: "the build stops", "stops every model downstream",
 * "dashboards keep yesterday's data", "the event is dropped and counted", "is not promoted".
 */
const NATURAL_ACTION =
  /\b(?:build|run|job|dag|pipeline|load|publish\w*|deploy\w*|merge|release|refresh|swap)\s+(?:stops|halts|fails|aborts|(?:is|gets) (?:stopped|halted|blocked|failed|skipped|aborted|cancell?ed))|\bstops? (?:every|all|each|the|any)\b[^.|]{0,30}\b(?:downstream|models?|loads?|jobs?|builds?|tasks?|publish\w*)|\bkeeps? (?:showing |serving )?(?:yesterday|the previous (?:day|version|snapshot|data|load|partition)|the last (?:good|known|successful)|last night)|(?:yesterday's|last (?:good|known[- ]good)) (?:data|version|snapshot|partition|numbers)|\b(?:dropped|discarded|set aside|parked|diverted|routed|moved|sent|written)\b[^.|]{0,30}\b(?:and counted|to (?:a |an |the )?(?:error|exceptions?|review|side|holding|bad|reject)\w*)|\b(?:is|are) (?:dropped|discarded)\b|\bnot (?:promoted|published|loaded|released|merged|swapped)\b|\bnever (?:reaches|reach|gets? to|published|promoted|loaded)\b|(?:opens?|files?|raises?|creates?) (?:a |an )?(?:ticket|incident|jira)|\bwarn(?:s|ing)? only\b|\bwarn and continue\b/i;
const QUALITY_CONTEXT = /quality|validat|check|expectation|gate|test|contract/i;
const MONITORING = DELIVERABLES.find((d) => d.name === 'monitoring and alerting')!.re;

export default defineGrader({
  id: 'quality-gates',
  description: 'Validation rules per stage and what happens when they fail',
  weight: 2,
  grade(doc) {
    const kinds = new Map<string, Location>();
    const stages = new Map<string, Location>();
    let action: Location | null = null;
    // A rule belongs to the stages named on its line or in the headings and list items above it.
    const stageContext = STAGES.map((s) => underMatching(doc, s.re));
    // An action counts inside a quality section, list item or table, or on a line that names a
    // rule and a check ("null checks; failures are quarantined") outside the monitoring section:
    // paging on a freshness metric there is an alert, not a gate.
    const qualityContext = underMatching(doc, QUALITY_CONTEXT);
    const monitoring = underMatching(doc, MONITORING);
    // A table about checks is quality context for its rows; its header ("On failure") is not an action.
    const headerLines = new Set(doc.tables.map((t) => t.line));
    for (const t of doc.tables) if (t.header.some((h) => QUALITY_CONTEXT.test(h))) qualityContext.fill(true, t.line + 1, t.endLine + 1);
    const rowStages = tableRowStages(doc);
    const stageCells = stageColumnCells(doc);
    // A Stage column of a checks table names the stages in the document's own words
    // ("Collector (receive)", "ClickHouse", "Sample table"): each one holding a rule is a stage.
    const namedStages = new Map<string, Location>();
    for (const { line, text } of searchable(doc)) {
      const rules = RULES.filter((r) => r.re.test(text));
      for (const r of rules) if (!kinds.has(r.name)) kinds.set(r.name, at(line, `${r.name} rule`));
      if (rules.length) {
        const row = rowStages.get(line) ?? '';
        const own = stageCells.get(line);
        if (own && !namedStages.has(own)) namedStages.set(own, at(line, `rule at stage "${own}"`));
        STAGES.forEach((s, i) => {
          if (!stages.has(s.name) && (s.re.test(text) || s.re.test(row) || stageContext[i]![line])) stages.set(s.name, at(line, `rule at ${s.name} stage`));
        });
      }
      const acted = headerLines.has(line) ? null : (ACTION.exec(text) ?? NATURAL_ACTION.exec(text));
      if (!action && acted && (qualityContext[line] || (rules.length && QUALITY_CONTEXT.test(text) && !monitoring[line]))) {
        action = at(line, `on failure: ${acted[0]}`);
      }
    }
    // Stages counted either way, whichever finds more.
    if (namedStages.size > stages.size) {
      stages.clear();
      for (const [k, v] of namedStages) stages.set(k, v);
    }
    const parts = [Math.min(kinds.size, 3) / 3, Math.min(stages.size, 2) / 2, action ? 1 : 0];
    const score = parts.reduce((a, b) => a + b, 0) / 3;
    const wants = [
      kinds.size < 3 ? `${kinds.size} kinds of validation rule (wanted 3)` : '',
      stages.size < 2 ? `rules tied to ${stages.size} stage${stages.size === 1 ? '' : 's'} (wanted 2)` : '',
      action ? '' : 'no action on failure (block, quarantine, alert)',
    ].filter(Boolean);
    const reason = wants.length
      ? wants.join('; ')
      : `${kinds.size} kinds of validation rule at ${stages.size} stages, with an action on failure`;
    const evidence = [...kinds.values(), ...stages.values(), ...(action ? [action] : [])];
    return grade(wants.length === 0, score, reason, evidence, { kinds: [...kinds.keys()], stages: [...stages.keys()], onFailure: action !== null });
  },
});

/** For each row of a checks table with a Stage column, the stage it names (a blank cell repeats the one above), lower-cased. */
function stageColumnCells(doc: Document): Map<number, string> {
  const out = new Map<number, string>();
  for (const t of doc.tables) {
    const stageColumn = t.header.findIndex((h) => /^(?:stage|layer|zone|step|where|applies|location|tier)/i.test(h.trim()));
    if (stageColumn < 0 || !t.header.some((h) => QUALITY_CONTEXT.test(h) || /\brule|\bcheck/i.test(h))) continue;
    let above = '';
    for (const row of t.rows) {
      const cell = (row.cells[stageColumn] ?? '').replace(/[*_`]/g, '').trim().toLowerCase();
      if (cell && !/^["”〃-]+$|^(?:same|ditto)$/.test(cell)) above = cell;
      if (above) out.set(row.line, above);
    }
  }
  return out;
}

/**
 * Stage names a table row inherits: several checks in one table often name the stage once (a
 * first cell left blank below it: "| Bronze | schema |" then "|  | nulls |"), or name stages in
 * the header with a mark per row ("| Check | Bronze | Silver |" … "| not null | ✓ | ✓ |").
 */
function tableRowStages(doc: Document): Map<number, string> {
  const out = new Map<number, string>();
  for (const t of doc.tables) {
    const stageColumn = t.header.findIndex((h) => /^(?:stage|layer|zone|step|where|applies|location|tier)/i.test(h.trim()));
    const stageHeaders = t.header.map((h, i) => (i > 0 && STAGES.some((s) => s.re.test(h)) ? i : -1)).filter((i) => i >= 0);
    let above = '';
    for (const row of t.rows) {
      const parts: string[] = [];
      if (stageColumn >= 0) {
        const cell = (row.cells[stageColumn] ?? '').trim();
        if (cell && !/^["”〃-]+$|^(?:same|ditto)$/i.test(cell)) above = cell;
        parts.push(above);
      } else if (!(row.cells[0] ?? '').trim()) parts.push(above);
      else above = row.cells[0]!;
      for (const i of stageHeaders) if (/\S/.test(row.cells[i] ?? '') && !/^(?:-|—|–|no|n\/a|✗|x)$/i.test((row.cells[i] ?? '').trim())) parts.push(t.header[i]!);
      if (parts.length) out.set(row.line, parts.join(' '));
    }
  }
  return out;
}
