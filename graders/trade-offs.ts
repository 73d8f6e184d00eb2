// trade-offs — the prompt asks for "technology selection ... with trade-off analysis" and
// "appropriate technology choices with documented trade-offs". A bare list of tools tells a
// reviewer nothing about why; every choice should name what it was chosen over, or what it costs.
//
// The chosen technologies come from the technology-stack section (found by the same synonyms as
// `sections`): the rows of its tables (the Technology/Tool/Choice column), else its list items,
// else its sub-headings. A choice is covered when its row has a filled Alternatives / Trade-offs
// / "Considered" / "Why not" column, or when its row, list item, subsection, or any line of the
// stack section that names it says "instead of", "rather than", "chosen over X", "over X
// because", "vs", "versus", "trade-off", "alternative", "considered", "downside"…
// Without a stack section, a table anywhere with a technology column is used.
//
// Score = covered / chosen; passes at ≥ 0.6. Evidence lists the uncovered choices.

import { at, defineGrader, grade } from './core.ts';
import { linesText, type Document, type Section, type Table } from './document.ts';
import { DELIVERABLES } from './sections.ts';

const STACK = DELIVERABLES.find((d) => d.name === 'technology stack')!.re;
const CUE =
  /instead of|rather than|\bvs\.?(?=\s|$)|\bversus\b|trade-?offs?|alternatives?|\bconsidered\b|compared (?:to|with)|rejected|downsides?|drawbacks?|\bcons\b|why not|at the (?:cost|expense) of|in favou?r of|preferred (?:to|over)|(?:cho(?:se|sen)|select(?:ed)?|picked|prefer(?:red)?)\b[^.]{0,40}\bover\b|\bover\s+\S+(?:\s+\S+)?\s+(?:because|since|for|due)/i;
const TECH_HEADER = /technolog|tool|choice|chosen|select|solution|recommend|service|product|engine|framework|option|platform|component|stack/i;
const NOT_TECH_HEADER = /alternativ|consider|trade|layer|category|concern|purpose|rationale|why|role|function|area|tier|capabilit|reason|justification/i;
const ALT_HEADER = /alternativ|trade-?off|considered|\bvs\.?|versus|instead|why not|\bcons\b|drawback|rejected|downside|compared|other option|runner-up/i;
const EMPTY_CELL = /^(?:|-+|—|–|n\/a|none|tbd|\?)$/i;
const VENDOR_WORDS = new Set(['apache', 'amazon', 'aws', 'google', 'gcp', 'azure', 'cloud', 'managed', 'service', 'open', 'source', 'the', 'and', 'with', 'for']);

interface Choice {
  name: string;
  line: number;
  covered: boolean;
}

export default defineGrader({
  id: 'trade-offs',
  description: 'Every chosen technology comes with an alternative or a trade-off',
  weight: 2,
  grade(doc) {
    const section = doc.sections.find((s) => STACK.test(s.key)) ?? null;
    const choices = section ? choicesIn(doc, section) : fromAnyTable(doc);
    if (!choices.length) {
      const reason = section ? `no technologies found in "${section.title}"` : 'no technology stack section';
      return grade(false, 0, reason, section ? [at(section.line, 'stack section')] : []);
    }
    const uncovered = choices.filter((c) => !c.covered);
    const score = (choices.length - uncovered.length) / choices.length;
    const reason = uncovered.length
      ? `${choices.length - uncovered.length}/${choices.length} technology choices state an alternative or trade-off; uncovered: ${uncovered.map((c) => c.name).join(', ')}`
      : `all ${choices.length} technology choices state an alternative or trade-off`;
    const evidence = uncovered.map((c) => at(c.line, `no alternative or trade-off for ${c.name}`));
    return grade(score >= 0.6, score, reason, evidence, { chosen: choices.length, uncovered: uncovered.map((c) => c.name) });
  },
});

function choicesIn(doc: Document, section: Section): Choice[] {
  const inside = (line: number) => line >= section.line && line <= section.endLine;
  const tables = doc.tables.filter((t) => inside(t.line));
  let choices = tables.flatMap(fromTable);
  if (!choices.length) {
    const items = doc.items.filter((i) => inside(i.line));
    const top = Math.min(...items.map((i) => i.level));
    choices = items
      .filter((i) => i.level === top)
      .map((i) => ({ name: choiceName(i.bold ?? i.lead), line: i.line, covered: CUE.test(i.text) }));
  }
  if (!choices.length) {
    const index = doc.sections.indexOf(section);
    choices = doc.sections
      .filter((s) => s.parent === index)
      .map((s) => ({ name: s.title, line: s.line, covered: CUE.test(linesText(doc, s.line, s.endLine)) }));
  }
  // A choice is also covered by any other line of the stack section that names it with a cue.
  const lines = doc.lines.slice(section.line - 1, section.endLine);
  return choices.map((c) => (c.covered ? c : { ...c, covered: lines.some((l) => CUE.test(l) && namesIt(l, c.name)) }));
}

function fromAnyTable(doc: Document): Choice[] {
  const table = doc.tables.find((t) => techColumn(t) >= 0 && t.header.some((h) => ALT_HEADER.test(h)));
  return table ? fromTable(table) : [];
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
      covered: (alt >= 0 && !EMPTY_CELL.test((r.cells[alt] ?? '').trim())) || r.cells.some((c, i) => i !== tech && CUE.test(c)),
    }));
}

/** The column naming the chosen technology: headed Technology/Tool/Choice…, else the first. */
function techColumn(table: Table): number {
  const named = table.header.findIndex((h) => TECH_HEADER.test(h) && !NOT_TECH_HEADER.test(h));
  if (named >= 0) return named;
  if (table.header.length >= 2 && NOT_TECH_HEADER.test(table.header[0]!) && !NOT_TECH_HEADER.test(table.header[1]!)) return 1;
  return -1;
}

function choiceName(text: string): string {
  return text.replace(/[*_`]/g, '').split(/\s[—–-]\s|:\s/)[0]!.trim().slice(0, 60);
}

/** Does a line name this technology? Matches on its distinctive words ("Kafka" of "Apache Kafka (MSK)"). */
function namesIt(line: string, name: string): boolean {
  const lower = line.toLowerCase();
  return name
    .toLowerCase()
    .split(/[^\p{L}\p{N}+#.]+/u)
    .filter((w) => w.length >= 3 && !VENDOR_WORDS.has(w))
    .some((w) => lower.includes(w));
}
