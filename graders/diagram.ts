// diagram — the prompt's first deliverable is an "architecture diagram with data flow and
// component interactions". In a markdown answer that is a fenced block: box-drawing or ASCII
// art, or mermaid / plantuml / graphviz source. A picture link cannot be checked (and the model
// cannot draw one); a sentence "A → B → C" is a flow, not a diagram.
//
// A diagram block is a code block with no language or a diagram language (text, ascii,
// mermaid, plantuml, dot, graphviz, d2, svgbob, ditaa). It shows flow when it has at least two
// arrows (-->, ->, ==>, ->>, ──►, →, ▶, ▼, ↓ …, or mermaid/graphviz edges) and at least three
// components: drawn boxes (┌ corners, or +---+ borders, two per box), or the names an arrow
// touches ("Kafka ──→ Flink", mermaid/graphviz node ids, "[Kafka] --> [Flink]"), or bracketed
// labels, or sequence-diagram participants — whichever counts more. Two boxes with long
// labels are two components, not twenty words. Score: 1 pass; 0.5 a diagram block with too
// few arrows or components; 0.2 an arrow chain in prose only; 0 nothing.

import { at, defineGrader, grade } from './core.ts';
import { findAll, type CodeBlock } from './document.ts';

const DIAGRAM_LANGS = /^(?:text|txt|plain|plaintext|ascii|asciiart|diagram|mermaid|plantuml|puml|uml|dot|graphviz|gv|d2|svgbob|ditaa|bob|flow|flowchart|none)$/;
const ARROW = /--?>>|-\.+->|-{1,}>|={1,2}>|[─━]+[►▶>→]|[→⟶►▶▼▲↓↑⇒⟹]|<-{1,3}|--[ox](?![\w])|~~>|\|>|(?<=\s)v(?=\s*$)/gm;
/** Arrows that run along a line, between two names. */
const ACROSS = /--?>>|-\.+->|-{1,}>|={1,2}>|[─━]+[►▶>→]|[→⟶►▶⇒⟹]|<-{1,3}|~~>/g;
/** An arrow chain in prose: "Kafka → Flink → S3". */
const CHAIN = /\S+\s*(?:→|->|-->|⟶)\s*\S+\s*(?:→|->|-->|⟶)\s*\S+/;
/** No chain without one of its arrows ("-->" holds "->"); CHAIN backtracks over every word of a line without. */
const HAS_ARROW = /→|->|⟶/;
const NAME = String.raw`[\p{L}\p{N}_][\p{L}\p{N}_./:-]*`;
const LABEL = String.raw`[\[({][^\])}\n]*[\])}]+`;
const LEFT_END = new RegExp(String.raw`(?:(${NAME})\s*(?:${LABEL})?|(${LABEL}))\s*$`, 'u');
const RIGHT_START = new RegExp(String.raw`^\s*(?:\|[^|\n]*\|\s*)?(?:(${NAME})|(${LABEL}))`, 'u');
const KEYWORDS = new Set([
  'graph', 'flowchart', 'subgraph', 'end', 'lr', 'rl', 'td', 'tb', 'bt', 'digraph', 'node', 'edge', 'rankdir', 'label',
  'shape', 'style', 'classdef', 'class', 'click', 'startuml', 'enduml', 'participant', 'actor', 'database', 'queue',
  'component', 'rectangle', 'package', 'sequencediagram', 'direction', 'fill', 'stroke', 'box', 'record', 'cylinder',
]);

export default defineGrader({
  id: 'diagram',
  description: 'A fenced architecture diagram showing flow between at least three components',
  weight: 1,
  grade(doc) {
    const blocks = doc.code.filter((b) => b.lang === null || DIAGRAM_LANGS.test(b.lang)).map(measure);
    const best = blocks.sort((a, b) => score(b) - score(a))[0];
    if (best && looksDrawn(best.block) && best.arrows >= 2 && best.components >= 3) {
      const reason = `diagram (${best.block.lang ?? 'text'}) with ${best.arrows} arrows between ${best.components} components`;
      return grade(true, 1, reason, [at(best.block.line, 'diagram')], { arrows: best.arrows, components: best.components, names: best.names.slice(0, 20) });
    }
    if (best && (best.arrows > 0 || best.components > 0) && looksDrawn(best.block)) {
      const reason = `the diagram shows ${best.arrows} arrows between ${best.components} components; wanted flow between at least 3`;
      return grade(false, 0.5, reason, [at(best.block.line, 'diagram block')], { arrows: best.arrows, components: best.components, names: best.names });
    }
    const chains = findAll(doc, CHAIN, { prose: true, lines: HAS_ARROW });
    if (chains.length) {
      return grade(false, 0.2, 'no diagram block; only an arrow chain in prose', chains.slice(0, 3).map((m) => at(m.line, m.text)));
    }
    return grade(false, 0, 'no architecture diagram', []);
  },
});

interface Measured {
  block: CodeBlock;
  arrows: number;
  components: number;
  names: string[];
}

function measure(block: CodeBlock): Measured {
  const text = block.value;
  const arrows = text.match(ARROW)?.length ?? 0;
  const boxes = (text.match(/[┌╔╭]/g)?.length ?? 0) + Math.ceil((text.match(/\+-{2,}\+/g)?.length ?? 0) / 2);
  const names = new Set<string>();
  for (const line of text.split('\n')) {
    const hits = [...line.matchAll(ACROSS)];
    hits.forEach((arrow, i) => {
      const left = line.slice(i === 0 ? 0 : hits[i - 1]!.index! + hits[i - 1]![0].length, arrow.index);
      const right = line.slice(arrow.index! + arrow[0].length, hits[i + 1]?.index ?? line.length);
      for (const m of [LEFT_END.exec(left), RIGHT_START.exec(right)]) if (m) names.add(nodeName(m[1] ?? m[2]!));
    });
    const participant = /^\s*(?:participant|actor)\s+(\S+)/.exec(line);
    if (participant) names.add(nodeName(participant[1]!));
    for (const m of line.matchAll(/\[\s*([^\]\n]{2,40}?)\s*\]/g)) if (/\p{L}/u.test(m[1]!)) names.add(nodeName(m[1]!));
  }
  for (const k of KEYWORDS) names.delete(k);
  const components = Math.max(boxes, names.size);
  return { block, arrows, components, names: [...names] };
}

/** "K[Kafka]" and "[Kafka]" name the node Kafka's id or label; case and spacing do not matter. */
function nodeName(raw: string): string {
  const id = /^[\p{L}\p{N}_][\p{L}\p{N}_./:-]*/u.exec(raw.trim())?.[0] ?? raw.replace(/[\[\](){}]/g, '');
  return id.toLowerCase().trim();
}

function score(m: Measured): number {
  return Math.min(m.arrows, 2) + Math.min(m.components, 3) + (looksDrawn(m.block) ? 1 : 0);
}

/** Box-drawing, ASCII boxes or a diagram language: a drawing, not a code listing without a tag. */
function looksDrawn(block: CodeBlock): boolean {
  if (block.lang && DIAGRAM_LANGS.test(block.lang)) return true;
  return /[─│┌┐└┘├┤┬┴┼═║╔╗╚╝►▶▼▲→↓]|\+-{2,}|-{2,}>|\|\s*\w/.test(block.value);
}
