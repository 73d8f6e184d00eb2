// source-coverage — the prompt's first step is SOURCE ASSESSMENT: "document data sources,
// volumes, formats, and SLAs with ingestion patterns". A design that forgets one of the user's
// sources is incomplete however polished the rest is.
//
// Needs a scenario. Each of its sources is covered when the document names it or one of its
// aliases (case-insensitive, where a word starts; diagrams and configuration count).
// Score = covered / sources; passes when every source is covered.

import { at, defineGrader, findTerm, grade } from './core.ts';

export default defineGrader({
  id: 'source-coverage',
  description: "Every data source of the scenario is addressed",
  weight: 2,
  needsScenario: true,
  grade(doc, { scenario }) {
    const sources = scenario!.facts.sources;
    const hits = sources.map((s) => ({ source: s, hit: findTerm(doc, s) }));
    const missing = hits.filter((h) => !h.hit).map((h) => h.source.name);
    const found = hits.filter((h) => h.hit);
    const reason = missing.length
      ? `${found.length}/${sources.length} sources addressed; missing: ${missing.join(', ')}`
      : `all ${sources.length} sources addressed`;
    return grade(!missing.length, found.length / sources.length, reason, found.map((h) => at(h.hit!.line, `${h.source.name}: "${h.hit!.text}"`)), { missing });
  },
});
