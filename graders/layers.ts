// layers — the prompt's first quality criterion: "clear separation of ingestion, transformation,
// and serving layers". Separation a reader can see has two parts: the three layers are named as
// parts of the design, and every chosen component is placed in one of them (or in a named
// cross-cutting concern such as orchestration or monitoring).
//
// A layer is named as a label of the design, not a word in passing: a heading; a table cell that
// starts with the name (first column), or holds it (a Layer / Tier / Zone column: "Batch
// ingestion"); a prose sentence that opens with a name ("Ingestion, processing and serving are
// separate."), every name in it; a bold lead that starts with it
// ("**Ingestion:** …"); in a diagram, the name in capitals ("INGESTION"), as a subgraph or a box
// of its own, or next to "layer", "tier", "zone" or "plane"; in prose, the name next to one of
// those words, or on a line that opens by speaking of layers ("**Layer responsibilities.**
// Ingestion … moves data without changing it. Transformation …"). Names:
//   ingestion       ingestion, ingest, collection, capture, landing, acquisition, intake
//   transformation  transformation, processing, compute, modelling, refinement, enrichment
//   serving         serving, consumption, presentation, delivery, access; "analytics/BI layer"
// Medallion zones (bronze, silver, gold) and dbt's staging/marts are stages, not these layers;
// a "hot path / cold path" split is not them either.
// The chosen components are those of the stack (stack.ts). One is placed when its table row,
// list item, paragraph or subsection names a layer or a role (the names above, or
// orchestration, storage, quality, monitoring, governance, messaging, warehouse...), or when it
// is named on a line that labels a layer or under a layer's heading.
//
// Passes: all three layers named and at least 80% of the components placed. Score = the mean of
// layers named / 3 and the share placed. Weight 1, not hard: the criterion is about how the
// design is organised, which a document can get right in words the synonyms miss.

import { at, defineGrader, grade, type Location } from './core.ts';
import { perDocument, searchable, type Document } from './document.ts';
import { readStack } from './stack.ts';

const LAYERS: ReadonlyArray<{ name: string; label: RegExp }> = [
  { name: 'ingestion', label: /\b(?:ingest(?:ion)?|collection|capture|landing|acquisition|intake)\b/i },
  { name: 'transformation', label: /\b(?:transform(?:ation|ations|s)?|processing|compute|modell?ing|refinement|enrichment)\b/i },
  { name: 'serving', label: /\b(?:serving|serve|consumption|presentation|delivery|access)\b/i },
];
/** "Analytics layer", "BI tier": names that are a layer only with the word. */
const SERVING_WITH_WORD = /\b(?:analytics|bi|reporting|query)\s+(?:layer|tier|plane)\b/i;
const LAYER_WORD = /\b(?:layers?|tiers?|zones?|planes?)\b/i;
const LAYER_COLUMN = /^(?:layer|tier|zone|plane|category|stage|area)s?\b/i;
/** A role a component may be placed in: a layer, or a named cross-cutting concern. */
const ROLE =
  /ingest|collect|captur|landing|extract|cdc|replicat|connector|stream|queue|messag|broker|event bus|transport|transform|process|compute|batch|model|enrich|clean|etl|elt|serv|warehouse|lake|storage|store|bi\b|dashboard|report|analytic|consum|present|query|olap|feature|api|orchestrat|schedul|workflow|quality|validat|test|observab|monitor|alert|logging|govern|catalog|lineage|security|access|secret|infra|ci\/cd|deploy|format|table|metadata|visuali|notebook|ml\b|activation|search|cache|database/i;

export default defineGrader({
  id: 'layers',
  description: 'Ingestion, transformation and serving layers named, every chosen component placed in one',
  weight: 1,
  grade(doc) {
    const { named, lines } = readLayers(doc);
    const { choices } = readStack(doc);
    // Placed by its own row, item or paragraph naming a role, or by being named on a line that
    // labels a layer ("| Ingestion | regional Kafka clusters, MirrorMaker 2 |") or under a layer's heading.
    const layerText = [...lines].map((l) => doc.lines[l - 1]!);
    const unplaced = choices.filter((c) => !ROLE.test(c.context.replace(c.name, ' ')) && !ROLE.test(c.name) && !layerText.some((t) => names(t, c.name)));
    const placedShare = choices.length ? (choices.length - unplaced.length) / choices.length : 0;
    const missing = LAYERS.filter((l) => !named.has(l.name)).map((l) => l.name);
    const score = (named.size / 3 + placedShare) / 2;
    const pass = missing.length === 0 && choices.length > 0 && placedShare >= 0.8;
    const wants = [
      missing.length ? `layers not named: ${missing.join(', ')}` : '',
      !choices.length ? 'no chosen components to place (no stack)' : placedShare < 0.8 ? `${choices.length - unplaced.length}/${choices.length} components placed in a layer` : '',
    ].filter(Boolean);
    const reason = wants.length ? wants.join('; ') : `ingestion, transformation and serving layers named; ${choices.length} components each placed`;
    const evidence: Location[] = [...named.values(), ...unplaced.slice(0, 10).map((c) => at(c.line, `${c.name}: no layer or role`))];
    return grade(pass, score, reason, evidence, { layers: [...named.keys()], placed: choices.length - unplaced.length, components: choices.length });
  },
});

/**
 * Where each layer is named as a part of the design, and every line that labels a layer. A layer
 * is a label, not a word in passing: a heading that names it; a table cell that is it (the first
 * column or a Layer / Tier / Zone column, a short cell starting with the name); a bold lead that
 * starts with it ("**Ingestion:** …"); in a diagram, the name in capitals or with "layer", "tier",
 * "zone" or "plane" next to it; in prose, the name with one of those words next to it.
 */
const readLayers = perDocument((doc: Document): { named: Map<string, Location>; lines: Set<number> } => {
  const named = new Map<string, Location>();
  const lines = new Set<number>();
  const note = (name: string, line: number, text: string) => {
    lines.add(line);
    if (!named.has(name)) named.set(name, at(line, `${name} layer: "${text.trim().slice(0, 80)}"`));
  };
  for (const s of doc.sections) {
    for (const l of LAYERS) {
      if (!labels(l, s.key)) continue;
      note(l.name, s.line, s.title);
      for (let line = s.line + 1; line <= s.endLine; line++) lines.add(line);
    }
  }
  for (const t of doc.tables) {
    const layerColumns = t.header.map((h, i) => (LAYER_COLUMN.test(h.trim()) ? i : -1)).filter((i) => i >= 0);
    for (const r of t.rows) {
      for (const c of new Set([0, ...layerColumns])) {
        const cell = (r.cells[c] ?? '').replace(/[*_`]/g, '').trim();
        if (cell.length > 40) continue;
        // Under a Layer header the cell names a layer wherever the name sits ("Batch ingestion").
        const inLayerColumn = layerColumns.includes(c);
        for (const l of LAYERS) if ((inLayerColumn ? l.label.test(cell) : startsWith(l, cell)) || (SERVING_WITH_WORD.test(cell) && l.name === 'serving')) note(l.name, r.line, r.cells.join(' | '));
      }
    }
  }
  for (const { line, text } of searchable(doc)) {
    const bold = /^\s{0,3}(?:[-*+]\s+|\d+[.)]\s+)?\*\*([^*]{2,40})\*\*/.exec(text)?.[1];
    for (const l of LAYERS) {
      if (bold && startsWith(l, bold)) note(l.name, line, text);
      else if (doc.inCode[line] ? upper(l, text) || withLayerWord(l, text) : withLayerWord(l, text) || opensWith(text, l)) note(l.name, line, text);
    }
    if (SERVING_WITH_WORD.test(text)) note('serving', line, text);
  }
  return { named, lines };
});

function labels(l: (typeof LAYERS)[number], key: string): boolean {
  return l.label.test(key) && !/\b(?:requirements?|assessment)\b/.test(key);
}

function startsWith(l: (typeof LAYERS)[number], text: string): boolean {
  const m = l.label.exec(text);
  return m !== null && m.index <= 2;
}

/**
 * A prose line whose first sentence opens with a layer's name as its subject ("Ingestion is Kafka
 * only: …", "Ingestion, processing and serving are separate."): every name in that sentence.
 */
function opensWith(text: string, l: (typeof LAYERS)[number]): boolean {
  const sentence = text.replace(/^\s*(?:[-*+]\s+)?/, '').split(/(?<=[.!?])\s/)[0]!;
  return LAYERS.some((first) => startsWith(first, sentence)) && l.label.test(sentence);
}

/** In a diagram: "INGESTION LAYER", "subgraph Ingestion", a box or line labelled with the name alone. */
function upper(l: (typeof LAYERS)[number], text: string): boolean {
  const m = l.label.exec(text);
  if (!m) return false;
  if (m[0] === m[0].toUpperCase() && m[0].length >= 5) return true;
  return /^\s*subgraph\b/i.test(text) || startsWith(l, text.replace(/[^\p{L}\p{N} ]+/gu, ' ').trim());
}

/** The name next to "layer", "tier", "zone" or "plane", or on a line that opens by speaking of layers ("Three layers, kept separate: ingestion …"). */
function withLayerWord(l: (typeof LAYERS)[number], text: string): boolean {
  const m = l.label.exec(text);
  if (!m) return false;
  return LAYER_WORD.test(text.slice(Math.max(0, m.index - 25), m.index + m[0].length + 25)) || LAYER_WORD.test(text.slice(0, 80));
}

/** Does a line name this component (by its distinctive words: "Kafka" of "Apache Kafka")? */
function names(text: string, component: string): boolean {
  const lower = text.toLowerCase();
  return component
    .toLowerCase()
    .split(/[^\p{L}\p{N}+#.]+/u)
    .filter((w) => w.length >= 3 && !GENERIC.has(w))
    .some((w) => lower.includes(w));
}
const GENERIC = new Set(['apache', 'amazon', 'aws', 'google', 'gcp', 'azure', 'cloud', 'managed', 'service', 'open', 'source', 'the', 'and', 'with', 'for', 'on', 'data', 'existing']);
