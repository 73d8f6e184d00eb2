// lineage — the prompt's DATA FLOW DESIGN step: "Create transformation stages from raw to
// curated with clear lineage", and its output's "data flow stages with transformation
// specifications". A list of zone names is not a data flow: each stage says what it does to
// the data, and a reader can trace a curated number back to the raw record it came from.
//
// Stages are read from a stages table (a column headed Stage / Layer / Zone / Step / Tier, or a
// first column whose cells name stages) or from the list items, bold-led paragraphs or
// subsections of the data-flow section (sections.ts synonyms, or a heading in the document's own
// words that walks from raw to somewhere: "From raw clicks to revenue"). A table of checks (Rule,
// Check, On failure columns) or a stack table (Layer | Technology) names stages but says what
// is checked or used there, not what is done; under a Stage header without a column saying what
// happens, only rows named like stages count. A stage counts when it has a
// name and says what it does to the data (a transformation verb: deduplicate, cast, clean,
// join, aggregate, mask, validate, parse, flatten, enrich, conform, model…), in its row, item,
// paragraph or subsection; "as received" / "unchanged" says it too, for a raw stage. In a table
// with a Transformations / Processing / What happens column, a filled cell there says it. The stages
// must run from raw (raw, bronze, landing, staging, ingest) to curated (curated, gold, marts,
// serving, published, rollups, dashboards…, or any later stage that is not raw itself), by a
// stage's name or its description.
// Lineage is kept when a line names lineage or provenance with how it is kept (OpenLineage,
// Marquez, DataHub, Unity Catalog, Purview, Dataplex, dbt docs / exposures / the dbt DAG,
// column-level lineage, a catalog, provenance columns such as _source_file or _loaded_at). The
// line must speak of lineage, provenance or tracing back: metadata columns alone are
// bookkeeping, not a way of keeping lineage the document claims.
//
// Inside a data-flow section, its sub-headings, bold-led list items or paragraphs are its stages
// whatever they are called ("Pacing (Flink)"); of several candidates (tables, sections), the one
// with the most stages that say what they do is read.
//
// Passes: at least three stages, at least two (and half) of them saying what they do to the data,
// from raw to curated, and lineage kept. Score = the mean of (the stages part, the raw-to-curated
// span, lineage).
// Weight 1, not hard: `sections` already requires a data-flow section; this grader asks for
// the substance of it, read from patterns that a well-written stage in unusual words can miss.

import { at, defineGrader, grade, type Location } from './core.ts';
import { findFirst, linesText, type Document, type Section, type Table } from './document.ts';
import { DELIVERABLES, withoutTitle } from './sections.ts';

const STAGE_HEADER = /^(?:stage|layer|zone|step|tier|hop|phase)s?\b/i;
const RAW = /\b(?:raw|bronze|landing|landed|staging|stage 0|ingest(?:ed|ion)?|sources?)\b/i;
const CURATED = /\b(?:curated|gold|marts?|serving|served|serve|rollups?|billing|dashboards?|bi|published|consumption|presentation|reporting|aggregates?|semantic|feature store|warehouse)\b/i;
const STAGE_NAME = /\b(?:raw|bronze|landing|staging|silver|clean(?:ed|sed)?|conformed|standardi[sz]ed|refined|enriched|intermediate|curated|gold|marts?|serving|published|consumption|presentation|aggregates?|semantic|features?|validated|trusted|integrated)\b/i;
const TRANSFORMS =
  /\b(?:dedup\w*|de-?duplicat\w*|cast\w*|typ(?:e|ed|ing) |clean\w*|join\w*|aggregat\w*|mask\w*|tokeni[sz]\w*|hash\w*|validat\w*|pars\w*|flatten\w*|explod\w*|enrich\w*|conform\w*|standardi[sz]\w*|normali[sz]\w*|filter\w*|model\w*|merg\w*|upsert\w*|scd|snapshot\w*|partition\w*|compact\w*|convert\w*|decod\w*|unnest\w*|pivot\w*|sessioni[sz]\w*|roll(?:s|ed)? up|rollups?|summari[sz]\w*|window\w*|deriv\w*|calculat\w*|comput\w*|map(?:s|ped|ping)? |rename\w*|pseudonymi[sz]\w*|anonymi[sz]\w*|redact\w*|quarantin\w*|reconcil\w*|denormali[sz]\w*|append\w*|land(?:s|ed)? (?:as|in)|stor(?:e|es|ed) (?:as|in)|written as|schema|pii|as received|as-is|unchanged|untouched|immutable|append-only|verbatim|no transformation|none|exact cop(?:y|ies)|typed|never modified|not modified|unmodified|match(?:es|ed|ing)?|unif(?:y|ies|ied)|split\w*|route[sd]?|extract\w*)\b/i;
const TRANSFORM_HEADER = /transform|processing|what happens|does|logic|operations?|changes|output/i;
/** A table of checks lists stages too, with rules rather than what the stage does. */
const TECH_HEADER = /technolog|\btools?\b|choice|chosen|product|\bservice\b|engine|framework|platform|vendor|components?/i;
const CHECK_TABLE = /\bchecks?\b|\brules?\b|expectation|\btests?\b|on failure|severity|\bkind\b/i;
/** A section that walks the stages in its own words: "From raw clicks to revenue". */
const OWN_WORDS_FLOW = /\b(?:raw|landed|landing|bronze|sources?)\b.*(?:\bto\b|→|->)/;
const LINEAGE_WORD = /lineage|provenance|traceab|trace (?:back|a|each|every)/i;
const LINEAGE_HOW = /\b_(?:source_file|source|ingested_at|ingest_ts|loaded_at|load_ts|load_id|batch_id|run_id|file_name|kafka_offset|offset|record_source|extracted_at)\b|openlineage|marquez|datahub|unity catalog|purview|dataplex|atlas|amundsen|collibra|alation|openmetadata|\bdbt\b|catalog|column[- ]level|spline|egeria|glue|metadata|_source|_ingest|_load|_batch|_run|run_id|batch_id|load_id|source_file|offset|audit column|dag\b|graph/i;
const FLOW = DELIVERABLES.find((d) => d.name === 'data-flow stages')!.re;

interface Stage {
  name: string;
  line: number;
  transforms: boolean;
  /** What the stage's row, item or subsection says (its opening), for where it sits in the flow. */
  text: string;
}

export default defineGrader({
  id: 'lineage',
  description: 'Stages from raw to curated, each with what it does to the data, and how lineage is kept',
  weight: 1,
  grade(doc) {
    const stages = readStages(doc);
    const doing = stages.filter((s) => s.transforms);
    const spans = spansRawToCurated(stages);
    const kept = lineageKept(doc);
    const enough = stages.length >= 3 && doing.length >= 2 && doing.length * 2 >= stages.length;
    const parts = [Math.min(1, Math.min(stages.length, 3) / 3, doing.length / Math.max(2, stages.length / 2)), spans ? 1 : 0, kept ? 1 : 0];
    const score = parts.reduce((a, b) => a + b, 0) / 3;
    const wants = [
      enough ? '' : `${stages.length} stages, ${doing.length} of which say what they do to the data (wanted at least 3 stages, at least half of them and 2 saying it)`,
      doing.length && !spans ? 'the stages do not run from raw to curated' : '',
      kept ? '' : 'no lineage kept (a lineage tool, catalog, dbt docs or provenance columns)',
    ].filter(Boolean);
    const reason = wants.length ? wants.join('; ') : `${doing.length} stages from raw to curated with transformations; lineage kept`;
    const evidence: Location[] = [...doing.slice(0, 8).map((s) => at(s.line, `stage ${s.name}`)), ...stages.filter((s) => !s.transforms).slice(0, 5).map((s) => at(s.line, `stage ${s.name}: no transformation stated`)), ...(kept ? [kept] : [])];
    return grade(wants.length === 0, score, reason, evidence, { stages: stages.length, transforming: doing.length, lineage: kept !== null });
  },
});

/** Raw to curated: a stage named (or described) as raw and another as curated. */
function spansRawToCurated(stages: Stage[]): boolean {
  const raw = stages.find((s) => RAW.test(s.name)) ?? stages.find((s) => RAW.test(s.text));
  // Curated is where the flow ends: a stage named so, or any later stage that is not raw itself
  // ("Raw change events → Normalised → Replica").
  return Boolean(raw && stages.some((s) => s !== raw && (CURATED.test(s.name) || CURATED.test(s.text) || (s.line > raw.line && !RAW.test(s.name)))));
}

function readStages(doc: Document): Stage[] {
  // Of the tables that list stages, the one whose stages say most about what they do (a stack
  // table with a Layer column lists stages too, with tools rather than transformations).
  let best: Stage[] = [];
  // A candidate that runs from raw to curated beats one that does not (a "Transformations" list
  // of business rules is not the flow), then the one with more stages saying what they do.
  const doing = (stages: Stage[]) => stages.filter((s) => s.transforms).length + (spansRawToCurated(stages) ? 1000 : 0);
  for (const t of doc.tables) {
    const describes = t.header.some((h) => TRANSFORM_HEADER.test(h));
    // A checks table or a stack table (Layer | Technology) lists stages with rules or tools, not with what is done.
    if (!describes && t.header.some((h) => CHECK_TABLE.test(h) || TECH_HEADER.test(h))) continue;
    const named = t.header.findIndex((h) => STAGE_HEADER.test(h.trim()));
    const column = named >= 0 ? named : t.rows.filter((r) => STAGE_NAME.test(r.cells[0] ?? '')).length >= 3 ? 0 : -1;
    if (column < 0) continue;
    const described = t.header.map((h, i) => (i !== column && TRANSFORM_HEADER.test(h) ? i : -1)).filter((i) => i >= 0);
    const cells = (r: Table['rows'][number]) => (described.length ? described : r.cells.map((_, i) => i).filter((i) => i !== column)).map((i) => r.cells[i] ?? '').join(' | ');
    // Under a Stage / Layer / Zone header every row is a stage; otherwise rows named like one.
    const stages = t.rows
      .filter((r) => (named >= 0 && describes && (r.cells[column] ?? '').trim() !== '') || STAGE_NAME.test(r.cells[column] ?? '') || RAW.test(r.cells[column] ?? '') || CURATED.test(r.cells[column] ?? ''))
      .map((r) => ({ name: clean(r.cells[column]!), line: r.line, transforms: described.length ? /\p{L}{3}/u.test(cells(r)) : TRANSFORMS.test(cells(r)), text: r.cells.join(' | ') }));
    if (stages.length >= 2 && doing(stages) > doing(best)) best = stages;
  }
  // Every data-flow section is a candidate ("Layers at a glance" may come before the stages).
  for (const section of withoutTitle(doc.sections).filter((s) => FLOW.test(s.key) || OWN_WORDS_FLOW.test(s.key))) {
    for (const stages of stagesIn(doc, section)) if (doing(stages) > doing(best)) best = stages;
  }
  return best;
}

/** The ways a data-flow section may list its stages: sub-headings, bold-led list items, bold-led paragraphs. */
function stagesIn(doc: Document, section: Section): Stage[][] {
  const index = doc.sections.indexOf(section);
  const fromSections = doc.sections.filter((s) => s.parent === index).map((s) => stage(s.title, s.line, linesText(doc, s.line + 1, s.endLine)));
  const inside = (line: number) => line > section.line && line <= section.endLine;
  const items = doc.items.filter((i) => inside(i.line) && i.bold);
  const top = Math.min(...items.map((i) => i.level));
  const fromItems = items.filter((i) => i.level === top).map((i) => stage(i.bold!, i.line, i.text));
  const fromParagraphs: Stage[] = [];
  for (let line = section.line + 1; line <= section.endLine; line++) {
    const m = /^\s{0,3}\*\*([^*\n]{2,80})\*\*/.exec(doc.lines[line - 1]!);
    if (!m || doc.inCode[line]) continue;
    let end = line;
    while (end < section.endLine && doc.lines[end]!.trim() !== '') end++;
    fromParagraphs.push(stage(m[1]!, line, linesText(doc, line, end)));
    line = end;
  }
  return [fromSections, fromItems, fromParagraphs].filter((c) => c.length >= 2);
}

function stage(name: string, line: number, text: string): Stage {
  const rest = text.replace(name, ' ').replace(/\*\*[^*]*\*\*/, ' ');
  return { name: clean(name.replace(/\\/g, '')), line, transforms: TRANSFORMS.test(rest), text: rest.slice(0, 300) };
}

function lineageKept(doc: Document): Location | null {
  const said = findFirst(doc, /lineage|provenance|traceab/i);
  if (said) {
    // The first line that names lineage with how it is kept.
    for (const re of [LINEAGE_WORD]) {
      const hit = findWith(doc, re, LINEAGE_HOW);
      if (hit) return hit;
    }
  }
  return null;
}

function findWith(doc: Document, re: RegExp, how: RegExp): Location | null {
  for (let i = 0; i < doc.lines.length; i++) {
    const text = doc.lines[i]!;
    if (doc.quoted[i + 1] || !re.test(text)) continue;
    const m = how.exec(text);
    if (m) return at(i + 1, `lineage kept: ${m[0]}`);
  }
  return null;
}

function clean(text: string): string {
  return text.replace(/[*_`]/g, '').split(/\s[—–-]\s|:\s/)[0]!.trim().slice(0, 50);
}
