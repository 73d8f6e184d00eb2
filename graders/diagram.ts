// diagram — the prompt's first deliverable is an "architecture diagram with data flow and
// component interactions". In a markdown answer that is a fenced block: box-drawing or ASCII
// art, or mermaid / plantuml / graphviz source. A picture link cannot be checked (and the model
// cannot draw one); a sentence "A → B → C" is a flow, not a diagram.
//
// A diagram block is a code block with no language or a diagram language (text, ascii,
// mermaid, plantuml, dot, graphviz, d2, svgbob, ditaa). It shows flow when it has at least two
// arrows (-->, ->, ==>, ──►, →, ▶, ▼, ↓, |> …, or mermaid/graphviz edges) and at least three
// named components (distinct words of two or more letters outside the diagram language's own
// keywords). Score: 1 pass; 0.5 a diagram block with too few arrows or components; 0.2 an
// arrow chain in prose only; 0 nothing.

import { at, defineGrader, grade } from './core.ts';
import { findAll, type CodeBlock } from './document.ts';

const DIAGRAM_LANGS = /^(?:text|txt|plain|plaintext|ascii|asciiart|diagram|mermaid|plantuml|puml|uml|dot|graphviz|gv|d2|svgbob|ditaa|bob|flow|flowchart|none)$/;
const ARROW = /-{1,3}>|={1,2}>|─+[►▶>→]|[→⟶►▶▼▲↓↑⇒⟹]|<-{1,3}|-\.->|--[ox]|~~>|\|>|(?<=\s)v(?=\s*$)/gm;
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
    if (best && looksDrawn(best.block) && best.arrows >= 2 && best.components.length >= 3) {
      const reason = `diagram (${best.block.lang ?? 'text'}) with ${best.arrows} arrows between ${best.components.length} components`;
      return grade(true, 1, reason, [at(best.block.line, 'diagram')], { arrows: best.arrows, components: best.components.slice(0, 20) });
    }
    if (best && (best.arrows > 0 || best.components.length > 0) && looksDrawn(best.block)) {
      const reason = `the diagram shows ${best.arrows} arrows between ${best.components.length} components; wanted flow between at least 3`;
      return grade(false, 0.5, reason, [at(best.block.line, 'diagram block')], { arrows: best.arrows, components: best.components });
    }
    const chains = findAll(doc, /\S+\s*(?:→|->|-->|⟶)\s*\S+\s*(?:→|->|-->|⟶)\s*\S+/, { prose: true });
    if (chains.length) {
      return grade(false, 0.2, 'no diagram block; only an arrow chain in prose', chains.slice(0, 3).map((m) => at(m.line, m.text)));
    }
    return grade(false, 0, 'no architecture diagram', []);
  },
});

interface Measured {
  block: CodeBlock;
  arrows: number;
  components: string[];
}

function measure(block: CodeBlock): Measured {
  const arrows = block.value.match(ARROW)?.length ?? 0;
  const words = block.value.match(/\p{L}[\p{L}\p{N}_.-]*\p{L}|\p{L}{2,}/gu) ?? [];
  const components = [...new Set(words.map((w) => w.toLowerCase()).filter((w) => w.length >= 2 && !KEYWORDS.has(w)))];
  return { block, arrows, components };
}

function score(m: Measured): number {
  return Math.min(m.arrows, 2) + Math.min(m.components.length, 3) + (looksDrawn(m.block) ? 1 : 0);
}

/** Box-drawing, ASCII boxes or a diagram language: a drawing, not a code listing without a tag. */
function looksDrawn(block: CodeBlock): boolean {
  if (block.lang && DIAGRAM_LANGS.test(block.lang)) return true;
  return /[─│┌┐└┘├┤┬┴┼═║╔╗╚╝►▶▼▲→↓]|\+-{2,}|-{2,}>|\|\s*\w/.test(block.value);
}
