// Recognising a deliverable by what a section holds, when its heading uses the document's own
// words ("Keeping the data honest" over a checks table with an on-failure column). Used by
// `sections` for headings no deliverable's synonyms match. Each recogniser reads tables and code
// blocks, the shapes a deliverable takes, not loose words: a stray "alert" in a paragraph does
// not make a monitoring section.

import { readCostTable } from './cost-table.ts';
import type { Document, Section, Table } from './document.ts';

interface ContentRule {
  name: string;
  /** What the section holds, for the evidence ("a checks table with an on-failure column"). */
  what: string;
  holds(doc: Document, tables: Table[], section: Section): boolean;
}

/** A stage's name as a list item's bold lead: "**Staging (`stg_`)**: one model per source table…". */
const STAGE = /\b(?:raw|bronze|landing|landed|staging|silver|intermediate|conformed|clean(?:ed)?|curated|gold|marts?|serving|published)\b/i;

const header = (t: Table, re: RegExp) => t.header.some((h) => re.test(h));
const both = (a: RegExp, b: RegExp) => (t: Table) => header(t, a) && header(t, b);
const DIAGRAM_LANG = /^(?:mermaid|plantuml|puml|dot|graphviz)$/;
const ARROWS = /-->|->|→|▶|►|──>|=>/g;

export const CONTENT_RULES: readonly ContentRule[] = [
  {
    name: 'architecture overview',
    what: 'a diagram',
    holds: (doc, _tables, s) => doc.code.some((c) => c.line > s.line && c.line <= s.endLine && (DIAGRAM_LANG.test(c.lang ?? '') || (c.value.match(ARROWS)?.length ?? 0) >= 3)),
  },
  {
    name: 'technology stack',
    what: 'a table of technologies with their rationale or alternatives',
    holds: (_doc, tables) => tables.some(both(/technolog|tool|choice|chosen|product|service|engine/i, /rationale|why|alternativ|trade|reason|consider/i)),
  },
  {
    name: 'data-flow stages',
    what: 'a table of stages with what each does to the data',
    holds: (doc, tables, s) =>
      tables.some(both(/^(?:stage|layer|zone|step|hop)s?\b/i, /transform|processing|what happens|does|output|operation/i)) ||
      doc.items.filter((i) => i.line > s.line && i.line <= s.endLine && i.bold && STAGE.test(i.bold)).length >= 3,
  },
  {
    name: 'quality gates',
    what: 'a checks table with an on-failure column',
    holds: (_doc, tables) => tables.some(both(/check|rule|validation|expectation|test|assertion/i, /fail|action|on error|severity|consequence|then|response/i)),
  },
  {
    name: 'scalability',
    what: 'a capacity table',
    holds: (_doc, tables) => tables.some((t) => header(t, /capacity|throughput|headroom|\bpeak\b|\d+\s*[x×]|partitions|scal(?:e|ing)/i)),
  },
  {
    name: 'monitoring and alerting',
    what: 'a table of alerts with thresholds',
    holds: (_doc, tables) => tables.some(both(/metric|signal|alert|indicator|\bslis?\b/i, /threshold|warn|critical|page|fires?|condition|trigger/i)),
  },
  {
    name: 'cost estimation',
    what: 'a cost table',
    holds: (doc, tables) => tables.some((t) => (readCostTable(doc, t)?.items.length ?? 0) >= 2),
  },
];

/** The tables that sit directly in a section (its own text, before its first sub-heading). */
export function ownTables(doc: Document, section: Section): Table[] {
  const index = doc.sections.indexOf(section);
  const next = doc.sections[index + 1];
  const end = next && next.line <= section.endLine ? next.line - 1 : section.endLine;
  return doc.tables.filter((t) => t.line > section.line && t.line <= end);
}
