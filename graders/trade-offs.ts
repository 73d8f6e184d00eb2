// trade-offs — the prompt asks for "technology selection ... with trade-off analysis" and
// "appropriate technology choices with documented trade-offs". A bare list of tools tells a
// reviewer nothing about why; every choice should name what it was chosen over, or what it costs.
//
// The chosen technologies come from the technology-stack section (found by the same synonyms as
// `sections`): the rows of its tables (the Technology/Tool/Choice column), else its list items,
// else its paragraphs that open with a bold choice ("**Ingestion: Airbyte Cloud.** We weighed
// Fivetran …" — prose choices are choices, the paragraph is their context), else its sub-headings. A choice is covered when its row has a filled Alternatives / Trade-offs
// / "Considered" / "Why not" column, or when its row, list item, subsection, or any line of the
// stack section that names it (a paragraph with a bold lead names what its lead names) says "instead of", "rather than", "chosen over X", "over X
// because", "vs", "versus", "trade-off", "alternative", "considered", "downside"…
// (stack.ts says how choices are read.)
//
// Score = covered / chosen; passes at ≥ 0.6. Evidence lists the uncovered choices.

import { at, defineGrader, grade } from './core.ts';
import { readStack, type Choice } from './stack.ts';

const CUE =
  /instead of|rather than|\bvs\.?(?=\s|$)|\bversus\b|trade-?offs?|alternatives?|(?:we|also|was|were) (?:considered|evaluated|looked at)|considered (?:but|and)|\bevaluated\b|\bweigh(?:ed|ing)\b|ruled out|passed on\b|weakness(?:es)?|limitations?|the catch\b|was the obvious|would (?:give|be (?:equally|cheaper|simpler|easier|nicer)|cost|need|mean|require|remove|save)\b|(?:don't|doesn't|do not|does not|can't|cannot)\b[^.]{0,50}\b(?:well|enough|fit)\b|\bgave up\b|compared (?:to|with)|rejected|downsides?|drawbacks?|\bcons\b|why not|\bwhy\b[^.?\n]{0,60}\bover\b|(?:what )?we give up|would give us|at the (?:cost|expense|price) of|in favou?r of|preferred (?:to|over)|(?:cho(?:se|sen)|select(?:ed)?|picked|prefer(?:red)?)\b[^.]{0,40}\bover\b|\bover\s+\S+(?:\s+\S+)?\s+(?:because|since|for|due)/i;
/** "No alternative was considered" states none. */
const NEGATED = /\bno (?:real )?(?:alternatives?|trade-?offs?|other options?)(?: (?:was|were) (?:considered|evaluated))?/gi;
const EMPTY_CELL = /^(?:|-+|—|–|n\/a|none|tbd|\?)$/i;
const VENDOR_WORDS = new Set(['apache', 'amazon', 'aws', 'google', 'gcp', 'azure', 'cloud', 'managed', 'service', 'open', 'source', 'the', 'and', 'with', 'for']);

export default defineGrader({
  id: 'trade-offs',
  description: 'Every chosen technology comes with an alternative or a trade-off',
  weight: 2,
  grade(doc) {
    const { section, choices } = readStack(doc);
    if (!choices.length) {
      const reason = section ? `no technologies found in "${section.title}"` : 'no technology stack section';
      return grade(false, 0, reason, section ? [at(section.line, 'stack section')] : []);
    }
    // A choice is also covered by any other line of the stack section that names it with a cue
    // (the lines with a cue are found once, when a choice first needs them, not once per choice).
    let cued: string[] | undefined;
    const cuedLines = () => (cued ??= section ? doc.lines.slice(section.line - 1, section.endLine).filter(cue) : []);
    const uncovered = choices.filter((c) => !covered(c) && !cuedLines().some((l) => namesIt(subjectOf(l), c.name)));
    const score = (choices.length - uncovered.length) / choices.length;
    const reason = uncovered.length
      ? `${choices.length - uncovered.length}/${choices.length} technology choices state an alternative or trade-off; uncovered: ${uncovered.map((c) => c.name).join(', ')}`
      : `all ${choices.length} technology choices state an alternative or trade-off`;
    const evidence = uncovered.map((c) => at(c.line, `no alternative or trade-off for ${c.name}`));
    return grade(score >= 0.6, score, reason, evidence, { chosen: choices.length, uncovered: uncovered.map((c) => c.name) });
  },
});

function covered(c: Choice): boolean {
  const alternative = c.alternative?.replace(NEGATED, '').trim() ?? '';
  return (c.alternative !== null && !EMPTY_CELL.test(alternative)) || cue(c.context);
}

function cue(text: string): boolean {
  return CUE.test(text.replace(NEGATED, ''));
}

/**
 * What a line is about: its bold lead when it has one ("**dbt for the gold layer.** … We looked at
 * stored procedures …" argues for dbt, not for every product the paragraph goes on to name).
 */
function subjectOf(line: string): string {
  return /^\s*(?:[-*+]\s+|\d+[.)]\s+)?\*\*([^*]+)\*\*/.exec(line)?.[1] ?? line;
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
