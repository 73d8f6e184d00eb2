// The technologies a document chooses, read from its technology-stack section: the rows of its
// tables (the Technology / Tool / Choice column), else its top-level list items, else its
// paragraphs that open with a bold choice ("**Ingestion: Airbyte Cloud.** We weighed …"), else
// its sub-headings. Without a stack section, a table anywhere with a technology column and an
// alternatives column. Shared by `trade-offs` (is each choice argued?) and `complexity-fit`
// (is any choice over-engineering for the scenario?).

import { linesText, perDocument, sectionAt, type Document, type Section, type Table } from './document.ts';
import { DELIVERABLES, withoutTitle } from './sections.ts';

const STACK = DELIVERABLES.find((d) => d.name === 'technology stack')!.re;
const TECH_HEADER = /technolog|tool|choice|chosen|select|solution|recommend|service|product|engine|framework|option|platform|component|stack/i;
const NOT_TECH_HEADER = /alternativ|consider|trade|layer|category|concern|purpose|rationale|why|role|function|area|tier|capabilit|reason|justification/i;
export const ALT_HEADER = /alternativ|trade-?off|considered|\bvs\.?|versus|instead|why not|\bcons\b|drawback|rejected|downside|compared|other option|runner-up|gave up|give up|giving up|what we lose|weakness/i;
/** A subsection that prices or lists what was not chosen: its table holds options, not choices. */
const NOT_CHOSEN = /reject|alternativ|options?\b|considered|not chosen|ruled out|what we (?:didn't|did not)/i;

export interface Choice {
  /** The technology as named ("Apache Kafka (MSK)"). */
  name: string;
  line: number;
  /** The cell of an Alternatives / Trade-offs column, when the choice is a table row that has one. */
  alternative: string | null;
  /** Everything written about the choice: its row, list item (with sub-items) or subsection. */
  context: string;
}

export interface Stack {
  section: Section | null;
  choices: Choice[];
}

/**
 * The document's stack. trade-offs and complexity-fit both ask, and a document may be graded again
 * against other scenarios: it is read once per document, and shared — read it, do not change it.
 */
export const readStack: (doc: Document) => Stack = perDocument(findStack);

function findStack(doc: Document): Stack {
  // The title ("# Lean Analytics Stack for Acme") is the whole document, not its stack section.
  // A title of another depth is not dropped, so the smallest matching section with choices wins:
  // "### 2. Technology Stack" over "## Transit Data Stack" that spans the whole document.
  const candidates = withoutTitle(doc.sections).filter((s) => STACK.test(s.key));
  const bySpan = [...candidates].sort((a, b) => a.endLine - a.line - (b.endLine - b.line));
  for (const section of bySpan) {
    const choices = choicesIn(doc, section);
    if (choices.length) return { section, choices };
  }
  if (candidates.length) return { section: candidates[0]!, choices: [] };
  const table = doc.tables.find((t) => techColumn(t) >= 0 && t.header.some((h) => ALT_HEADER.test(h)));
  return { section: null, choices: table ? fromTable(table) : [] };
}

function choicesIn(doc: Document, section: Section): Choice[] {
  const inside = (line: number) => line >= section.line && line <= section.endLine;
  let choices = doc.tables.filter((t) => inside(t.line) && !notChosen(doc, section, t)).flatMap(fromTable);
  if (!choices.length) {
    const items = doc.items.filter((i) => inside(i.line));
    const top = Math.min(...items.map((i) => i.level)); // Infinity when there are none: no choices
    choices = items
      .filter((i) => i.level === top)
      .map((i) => ({ name: choiceName(i.bold ?? i.lead), line: i.line, alternative: null, context: i.text }));
  }
  if (!choices.length) choices = proseChoices(doc, section);
  if (!choices.length) {
    const index = doc.sections.indexOf(section);
    choices = doc.sections
      .filter((s) => s.parent === index)
      .map((s) => ({ name: s.title, line: s.line, alternative: null, context: linesText(doc, s.line, s.endLine) }));
  }
  return choices;
}

// "**Ingestion: Airbyte Cloud.** We weighed Fivetran…": a paragraph that opens with a bold choice.
const BOLD_LEAD = /^\s{0,3}\*\*([^*\n]{2,80}?)\*\*[:.]?(\s+\S|\s*$)/;

/** Paragraphs of the section that open with a bold choice; the paragraph is its context. */
function proseChoices(doc: Document, section: Section): Choice[] {
  const choices: Choice[] = [];
  for (let line = section.line + 1; line <= section.endLine; line++) {
    const m = BOLD_LEAD.exec(doc.lines[line - 1]!);
    if (!m || doc.inCode[line] || (line > 1 && doc.lines[line - 2]!.trim() !== '' && line - 1 !== section.line)) continue;
    let end = line;
    while (end < section.endLine && doc.lines[end]!.trim() !== '') end++;
    if (end === line && !m[2]!.trim()) continue; // a bold line alone is a heading, not a choice
    // "Ingestion: Airbyte Cloud." names the layer, then the choice.
    const bold = m[1]!.replace(/[.:]\s*$/, '');
    const name = bold.includes(':') ? bold.slice(bold.indexOf(':') + 1) : bold;
    choices.push({ name: choiceName(name), line, alternative: null, context: linesText(doc, line, end) });
    line = end;
  }
  return choices;
}

function notChosen(doc: Document, stack: Section, table: Table): boolean {
  const own = sectionAt(doc, table.line);
  return own !== null && own !== stack && NOT_CHOSEN.test(own.key);
}

function fromTable(table: Table): Choice[] {
  const tech = techColumn(table);
  if (tech < 0) return [];
  const alt = table.header.findIndex((h) => ALT_HEADER.test(h));
  return table.rows
    .filter((r) => (r.cells[tech] ?? '').trim() !== '')
    .map((r) => ({
      name: choiceName(r.cells[tech]!),
      line: r.line,
      alternative: alt >= 0 ? (r.cells[alt] ?? '').trim() : null,
      context: r.cells.filter((_, i) => i !== alt).join(' | '),
    }));
}

/** The column naming the chosen technology: headed Technology/Tool/Choice…, else the second after a Layer column. */
function techColumn(table: Table): number {
  const named = table.header.findIndex((h) => TECH_HEADER.test(h) && !NOT_TECH_HEADER.test(h));
  if (named >= 0) return named;
  if (table.header.length >= 2 && NOT_TECH_HEADER.test(table.header[0]!) && !NOT_TECH_HEADER.test(table.header[1]!)) return 1;
  return -1;
}

function choiceName(text: string): string {
  return text.replace(/[*_`]/g, '').split(/\s[—–-]\s|:\s/)[0]!.trim().slice(0, 60);
}
