// layers — the prompt's first quality criterion: "clear separation of ingestion, transformation,
// and serving layers". Separation a reader can see has two parts: the three layers are named as
// parts of the design, and every chosen component is placed in one of them (or in a named
// cross-cutting concern such as orchestration or monitoring).
//
// A layer is named where the design's structure is: a heading, a diagram or other code block, a
// table cell, the bold lead of a list item or paragraph, or a phrase "<name> layer / tier / zone
// / plane" in prose. Synonyms:
//   ingestion       ingestion, ingest, collection, capture, landing, extract, acquisition, sources → raw
//   transformation  transformation, processing, compute, modelling, refinement, enrichment, silver
//   serving         serving, consumption, presentation, delivery, access, BI, analytics, gold, marts
// The chosen components are those of the stack (stack.ts). One is placed when its table row,
// list item, paragraph or subsection names a layer or a role (the synonyms above, or
// orchestration, storage, quality, monitoring, governance, messaging, warehouse...).
//
// Passes: all three layers named and at least 80% of the components placed. Score = the mean of
// layers named / 3 and the share placed. Weight 1, not hard: the criterion is about how the
// design is organised, which a document can get right in words the synonyms miss.

import { at, defineGrader, grade, type Location } from './core.ts';
import { perDocument, searchable, type Document } from './document.ts';
import { readStack } from './stack.ts';

const LAYERS: ReadonlyArray<{ name: string; re: RegExp }> = [
  { name: 'ingestion', re: /\bingest(?:ion|ing)?\b|\bcollection\b|\bcapture\b|\blanding\b|\bextract(?:ion)?\b|\bacquisition\b|\bintake\b/i },
  { name: 'transformation', re: /\btransform(?:ation|ations|ing)?\b|\bprocessing\b|\bcompute\b|\bmodell?ing\b|\brefine(?:ment|d)?\b|\benrichment\b|\bsilver\b|\belt\b|\betl\b/i },
  { name: 'serving', re: /\bserv(?:ing|e)\b|\bconsumption\b|\bpresentation\b|\bdelivery\b|\baccess\b|\bbi\b|\banalytics\b|\bgold\b|\bmarts?\b|\breporting\b|\bactivation\b/i },
];
const LAYER_WORD = /\b(?:layers?|tiers?|zones?|planes?|stages?)\b/i;
/** A role a component may be placed in: a layer, or a named cross-cutting concern. */
const ROLE =
  /ingest|collect|captur|landing|extract|cdc|replicat|connector|stream|queue|messag|broker|event bus|transport|transform|process|compute|batch|model|enrich|clean|etl|elt|serv|warehouse|lake|storage|store|bi\b|dashboard|report|analytic|consum|present|query|olap|feature|api|orchestrat|schedul|workflow|quality|validat|test|observab|monitor|alert|logging|govern|catalog|lineage|security|access|secret|infra|ci\/cd|deploy|format|table|metadata|visuali|notebook|ml\b|activation|search|cache|database/i;

export default defineGrader({
  id: 'layers',
  description: 'Ingestion, transformation and serving layers named, every chosen component placed in one',
  weight: 1,
  grade(doc) {
    const named = namedLayers(doc);
    const { choices } = readStack(doc);
    const unplaced = choices.filter((c) => !ROLE.test(c.context.replace(c.name, ' ')) && !ROLE.test(c.name));
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

/** Where each layer is first named as a part of the design. */
const namedLayers = perDocument((doc: Document): Map<string, Location> => {
  const structural = structuralLines(doc);
  const found = new Map<string, Location>();
  for (const { line, text } of searchable(doc)) {
    const isStructure = structural.has(line) || doc.inCode[line];
    for (const l of LAYERS) {
      if (found.has(l.name)) continue;
      const m = l.re.exec(text);
      if (!m) continue;
      // In prose, the name must come with "layer", "tier", "zone", "plane" or "stage" next to it.
      const near = text.slice(Math.max(0, m.index - 30), m.index + m[0].length + 30);
      if (isStructure || LAYER_WORD.test(near)) found.set(l.name, at(line, `${l.name} layer: "${text.trim().slice(0, 80)}"`));
    }
    if (found.size === LAYERS.length) break;
  }
  return found;
});

/** Headings, table rows, and bold leads of list items and paragraphs: the document's structure. */
function structuralLines(doc: Document): Set<number> {
  const lines = new Set<number>();
  for (const s of doc.sections) lines.add(s.line);
  for (const t of doc.tables) for (let l = t.line; l <= t.endLine; l++) lines.add(l);
  for (const i of doc.items) if (i.bold) lines.add(i.line);
  doc.lines.forEach((text, i) => {
    if (/^\s{0,3}\*\*[^*]+\*\*/.test(text)) lines.add(i + 1);
  });
  return lines;
}
