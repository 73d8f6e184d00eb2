// sections — are the seven deliverables of the prompt's <output_specification> (plus the cost
// estimation its <constraints> ask for) present as sections? A reader navigates a design
// document by its headings; content buried under an unrelated heading is hard to find.
//
// Headings of every kind count: ATX (`## 5. Capacity Planning`), setext, and bold-only lines
// (`**Cost Estimation**`, as in the seed's example output). A document's single top-level title
// ("# Pipeline Architecture for Acme") is not a deliverable, so it is not matched. One heading
// may cover two deliverables ("Monitoring & Cost").
//
// Synonyms, per deliverable:
//   architecture  architecture, overview, diagram, high-level/system/solution design, topology
//   technology    technology, tech stack, stack, tooling, tools, platform/component/tool
//                 selection, choices or decisions
//   data-flow     data flow, pipeline/processing stages, transformations, layers, medallion,
//                 ingestion → serving, lineage of stages, "From raw to marts"
//   quality       quality, validation, quality gates, checks, expectations, data contracts
//   scalability   scalability, scaling, capacity, sizing, performance, throughput, growth
//   monitoring    monitoring, alerting, alerts, observability, SLOs, operations, runbooks
//                 (not "SLAs": "Sources and SLAs" is the prompt's source assessment)
//   cost          cost, pricing, budget, TCO, spend, FinOps
//
// A heading in the document's own words ("Keeping the data honest") is recognised by what the
// section holds directly (section-content.ts): a diagram; a technology table with rationale or
// alternatives; a stages table with what each does; a checks table with an on-failure column; a
// capacity table; an alerts table with thresholds; a cost table. Only headings no synonym
// matches are read this way, and the evidence says which way each deliverable was found.
//
// Score = found / 7. Passes only when all seven are present.

import { at, defineGrader, grade } from './core.ts';
import type { Section } from './document.ts';
import { CONTENT_RULES, ownTables } from './section-content.ts';

export const DELIVERABLES: ReadonlyArray<{ name: string; re: RegExp }> = [
  { name: 'architecture overview', re: /architect|overview|diagram|high[- ]level|system design|solution design|topology|big picture/ },
  { name: 'technology stack', re: /technolog|tech stack|\bstack\b|tooling|\btools?\b|(?:platform|component|tool|framework|engine|vendor|service|product)s?\s+(?:selection|choices?|decisions?)/ },
  { name: 'data-flow stages', re: /data[- ]?flow|\bflow\b|stages?\b|transformation|processing (?:layers?|design|logic)|\blayers\b|medallion|pipeline design|ingestion|lineage|\b(?:raw|landed|landing|bronze|sources?)\b.*(?:\bto\b|→|->).*\b(?:curated|marts?|gold|serving|models?|insights?)\b/ },
  { name: 'quality gates', re: /quality|validation|validat|quality gates?|\bchecks\b|expectations|data contracts?/ },
  { name: 'scalability', re: /scal(?:ab|ing|e)|capacity|sizing|performance|throughput|growth|backpressure/ },
  // Not "SLA" alone: "Sources and SLAs" is the prompt's source assessment, not monitoring.
  { name: 'monitoring and alerting', re: /monitor|alert|observab|\bslos?\b|operation|runbook/ },
  { name: 'cost estimation', re: /\bcosts?\b|pricing|budget|\btco\b|\bspend\b|finops|economics/ },
];

export default defineGrader({
  id: 'sections',
  description: 'The seven deliverables (architecture, stack, data flow, quality gates, scalability, monitoring, cost) as sections',
  weight: 3,
  grade(doc) {
    const candidates = withoutTitle(doc.sections);
    // Headings in the document's own words: those no deliverable's synonyms match.
    const ownWords = candidates.filter((s) => !DELIVERABLES.some((d) => d.re.test(s.key)));
    const hits = DELIVERABLES.map((d) => {
      const byHeading = candidates.find((s) => d.re.test(s.key));
      if (byHeading) return { name: d.name, section: byHeading, how: 'heading' };
      const rule = CONTENT_RULES.find((r) => r.name === d.name)!;
      const byContent = ownWords.find((s) => rule.holds(doc, ownTables(doc, s), s));
      return { name: d.name, section: byContent, how: byContent ? `content: ${rule.what}` : '' };
    });
    const found = hits.filter((h) => h.section);
    const missing = hits.filter((h) => !h.section).map((h) => h.name);
    const evidence = found.map((h) => at(h.section!.line, `${h.name}: "${h.section!.title}" (by ${h.how})`));
    const reason = missing.length
      ? `${found.length}/7 deliverable sections; missing: ${missing.join(', ')}`
      : 'all 7 deliverable sections present';
    return grade(missing.length === 0, found.length / 7, reason, evidence, { found: found.map((h) => h.name), missing });
  },
});

/** Drop the document title: the only depth-1 heading, when it opens a document with more headings. */
export function withoutTitle(sections: Section[]): Section[] {
  const first = sections[0];
  const topLevel = sections.filter((s) => s.depth === 1);
  if (first && first.depth === 1 && topLevel.length === 1 && sections.length > 1) return sections.slice(1);
  return sections;
}
