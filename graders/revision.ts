// revision — a follow-up turn of a multi-turn scenario ("the budget is now $2,000 a month", "the
// team has never run Kafka"): the prompt is a conversation, and a revised design must honour the
// change without losing what was not asked to change.
//
// Runs only on a later turn (the scenario carries `revision`, src/dataset/turns.ts), with the
// answer of the turn before. Four checks, each a quarter of the score:
// - honours: every term the turn says must appear does (the new figure, the new deadline), and
//   no technology it says to drop is still recommended (a stack choice or a diagram component,
//   as complexity-fit reads them; naming it as the thing removed is fine);
// - keeps the deliverables: every one of the seven deliverable sections the previous answer had
//   is still there (by heading or content, as the sections grader finds them);
// - keeps the sources: every scenario source the previous answer named is still named;
// - says what changed: a heading or sentence that tells the user what is different ("What
//   changed", "Changes from the previous design", "instead of", "replaces", "we removed").
// Passes when all four hold. The facts in force (a new budget, a relaxed latency) are checked by
// the scenario graders themselves, which grade this turn against them.

import { at, defineGrader, findTerm, grade, type Location } from './core.ts';
import { recommendedIn } from './complexity-fit.ts';
import { parseDocument, findFirst, type Document } from './document.ts';
import sections from './sections.ts';
import type { TurnScenario } from '../src/dataset/turns.ts';

const SAYS_CHANGED = /what(?:'s| has)? changed|\bchanges?\b (?:from|since|to|compared|versus|vs\.?|in this|made)|\brevis(?:ed|ion)\b|\bupdated? (?:design|plan|architecture|stack|proposal)|\binstead of\b|\breplac(?:e|es|ed|ing)\b|\bwe (?:removed|dropped|swapped|cut|traded)\b|\bno longer\b|\bnow (?:uses?|runs?|relies)\b/i;

export default defineGrader({
  id: 'revision',
  description: 'A follow-up turn honours the change, keeps the deliverables and sources, and says what changed',
  weight: 2,
  needsScenario: true,
  needsRevision: true,
  grade(doc, { scenario }) {
    const s = scenario as TurnScenario;
    const r = s.revision;
    // Called directly (not through gradeDocument, which skips it) on a first turn: nothing to revise.
    if (!r) return grade(true, 1, 'not a follow-up turn: nothing to revise', []);
    const findings: string[] = [];
    const evidence: Location[] = [];

    const unmentioned = r.mustMention.filter((t) => !findTerm(doc, t));
    const kept = recommendedIn(doc, r.mustDrop);
    if (unmentioned.length) findings.push(`does not take in ${unmentioned.map((t) => t.name).join(', ')}`);
    for (const k of kept) (findings.push(`still recommends ${k.name}`), evidence.push(k.at));
    const honours = !unmentioned.length && !kept.length;

    const before = r.previous === undefined ? null : parseDocument(r.previous);
    const lostSections = before ? lost(foundSections(before), foundSections(doc)) : [];
    if (lostSections.length) findings.push(`lost the ${lostSections.join(', ')} section${lostSections.length > 1 ? 's' : ''}`);
    const sourcesNamed = (d: Document) => s.facts.sources.filter((src) => findTerm(d, src)).map((src) => src.name);
    const lostSources = before ? lost(sourcesNamed(before), sourcesNamed(doc)) : [];
    if (lostSources.length) findings.push(`no longer names ${lostSources.join(', ')}`);

    const said = findFirst(doc, SAYS_CHANGED);
    if (said) evidence.unshift(at(said.line, 'says what changed'));
    else findings.push('never says what changed');

    const checks = [honours, !lostSections.length, !lostSources.length, Boolean(said)];
    const score = checks.filter(Boolean).length / checks.length;
    const reason = findings.length ? `turn ${r.turn} (${r.change}): ${findings.join('; ')}` : `turn ${r.turn} (${r.change}): honoured, nothing lost, says what changed`;
    return grade(!findings.length, score, reason, evidence, { turn: r.turn, change: r.change, lostSections, lostSources, stillRecommended: kept.map((k) => k.name), unmentioned: unmentioned.map((t) => t.name), previousKnown: before !== null });
  },
});

function foundSections(doc: Document): string[] {
  return ((sections.grade(doc, {}).evidence as { found?: string[] }).found) ?? [];
}

const lost = (before: string[], after: string[]) => before.filter((x) => !after.includes(x));
