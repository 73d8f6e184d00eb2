// requirements — does the document answer the scenario's stated requirements, not a generic
// one? The prompt's required inputs are "processing requirements (batch, streaming, hybrid,
// latency requirements)" and "data quality and freshness requirements"; its constraints ask for
// "exactly-once or at-least-once semantics based on use case".
//
// A requirement is met by a commitment, not a mention (commitments.ts says which lines are
// commitments: prose, not diagrams or code, not restated requirements, source SLAs, examples of
// other systems or alert thresholds). Needs a scenario. Checks, each worth the same:
// - each latency target, for the path it is for (its `for` words: "fraud scoring per
//   authorization"): a latency commitment on a line about that path (or under a heading about
//   it) at least as tight as the target (±10%) meets it; a weaker one there fails it with that
//   line as evidence, even if a tight number appears elsewhere. With no line about the path, a
//   latency commitment anywhere at least as tight meets it. A freshness fact with a limit the
//   latency list lacks ("erasure requests completed within 30 days") is checked the same way. A target the document openly relaxes
//   ("relax latency to ≤ 10 s … instead of sub-second", "cannot be met") counts as met: naming
//   the conflict is the answer the prompt wants; committing weaker in silence is not. Daily targets also accept "daily" /
//   "nightly";
// - each deadline ("6 AM", aliases "06:00"...) and each compliance regime (HIPAA, PCI DSS...),
//   the regime named for the design itself, not in an example of another system ("we used the
//   same model for an HR-tech client, whose auditors accepted it for their SOC 2 report");
// - the delivery semantics the use case implies. Exactly-once: the sink the scenario names for
//   it (its notes, quality facts and must-address topics: "ledger", "invoices") must not be
//   committed to at-least-once without idempotent writes, nor to repairing duplicates later; a
//   statement of exactly-/effectively-once (or at-least-once made idempotent) for that sink, or
//   anywhere when no line is about the sink, meets it; idempotent writes that never duplicate
//   ("rerunning any hour is idempotent: the same tables, never duplicate rows") state
//   effectively-once in words. At-least-once accepts either guarantee; "either" needs one stated;
// - each term the scenario says a good answer must address (aliases count).
// Passes when every compliance regime and the delivery semantics are addressed, no latency
// target is committed to weaker than asked, and at least 80% of all checks hold.
// Score = checks met / checks.

import type { NamedTerm, Scenario } from '../src/dataset/schema.ts';
import { aboutPath, exactlyOnceSinks, isExample, latencyCommitments, pathStems, relaxedOpenly, semanticsStatements, sentenceAt } from './commitments.ts';
import { at, defineGrader, findTerm, grade, termPattern, type Location } from './core.ts';
import { findFirst, searchable, type Document } from './document.ts';

const DAILY = /\b(?:daily|nightly|once a day|every day|24\s*h(?:ours?)?)\b/i;
const TOLERANCE = 0.1;

interface Check {
  name: string;
  /** Must hold for the document to pass. */
  mandatory: boolean;
  hit: Location | null;
  /** A commitment weaker than asked, with its line: fails the document whatever the score. */
  weaker?: Location;
}

export default defineGrader({
  id: 'requirements',
  description: "The scenario's latency, deadlines, compliance, delivery semantics and must-address topics, as commitments",
  weight: 2,
  needsScenario: true,
  grade(doc, { scenario }) {
    const { facts, expectations } = scenario!;
    const checks: Check[] = [
      ...facts.latency.map((l) => latencyCheck(doc, l, false)),
      ...freshnessTargets(scenario!).map((l) => latencyCheck(doc, l, true)),
      ...(facts.deadlines ?? []).map((d) => term(doc, d, `deadline ${d.name}`, false)),
      ...(facts.compliance ?? []).map((c) => complianceCheck(doc, c)),
      semanticsCheck(doc, scenario!),
      ...expectations.mustAddress.map((t) => term(doc, t, t.name, false)),
    ];
    const met = checks.filter((c) => c.hit);
    const missing = checks.filter((c) => !c.hit);
    const weaker = checks.filter((c) => c.weaker);
    const score = checks.length ? met.length / checks.length : 1;
    const pass = checks.every((c) => c.hit || !c.mandatory) && !weaker.length && score >= 0.8;
    const reason = [
      missing.length ? `${met.length}/${checks.length} requirements met; missing: ${missing.filter((c) => !c.weaker).map((c) => c.name).join(', ') || 'none'}` : `all ${checks.length} requirements met`,
      weaker.length ? `committed weaker than asked: ${weaker.map((c) => `${c.name} (line ${c.weaker!.line})`).join(', ')}` : '',
    ].filter(Boolean).join('; ');
    return grade(pass, score, reason, [...weaker.map((c) => c.weaker!), ...met.map((c) => c.hit!)], {
      missing: missing.map((c) => c.name),
      weaker: weaker.map((c) => c.name),
    });
  },
});

function term(doc: Document, t: { name: string; aliases?: string[] }, name: string, mandatory: boolean): Check {
  const hit = findTerm(doc, t);
  return { name, mandatory, hit: hit && at(hit.line, `${name}: "${hit.text}"`) };
}

/** A compliance regime the design itself is under: named anywhere but in an example of another system ("an HR-tech client's SOC 2 audit"). */
function complianceCheck(doc: Document, c: NamedTerm): Check {
  const name = `compliance ${c.name}`;
  const re = termPattern(c);
  for (const { line, text } of searchable(doc)) {
    const m = re.exec(text);
    if (m && !isExample(sentenceAt(text, m.index))) return { name, mandatory: true, hit: at(line, `${name}: "${m[0]}"`) };
  }
  return { name, mandatory: true, hit: null };
}

type Latency = Scenario['facts']['latency'][number];
const WITHIN = /\b(?:within|under|at most|less than|no more than)\s+(\d+(?:\.\d+)?)\s*(seconds?|minutes?|hours?|days?)\b/i;
const UNIT: Record<string, number> = { s: 1, m: 60, h: 3600, d: 86400 };

/**
 * Freshness facts that state a time limit the latency list does not ("erasure requests completed
 * within 30 days"): checked like a latency target, for the path their other words name.
 */
function freshnessTargets(scenario: Scenario): Latency[] {
  const known = scenario.facts.latency.map((l) => l.seconds);
  return scenario.facts.freshness.flatMap((text) => {
    const m = WITHIN.exec(text);
    if (!m) return [];
    const seconds = Number(m[1]) * UNIT[m[2]![0]!.toLowerCase()]!;
    if (known.some((k) => Math.abs(k - seconds) <= k * TOLERANCE)) return [];
    return [{ for: text.replace(m[0], ' ').replace(/\s+/g, ' ').trim(), seconds, text: m[0] }];
  });
}

/** `strict`: a weaker commitment fails even for a target of a day or more (one the user stated as a limit, not a clock deadline). */
function latencyCheck(doc: Document, l: Latency, strict: boolean): Check {
  const name = `latency ${l.text} (${l.for})`;
  const target = l.seconds;
  const commitments = latencyCommitments(doc).filter((c) => c.seconds >= target / 1000);
  const stems = pathStems(l.for);
  const onPath = commitments.filter((c) => aboutPath(doc, c, stems));
  const meets = (c: { seconds: number }) => c.seconds <= target * (1 + TOLERANCE);
  // A weaker number for the path is a commitment only when it is of the same order: "alerts within
  // 2 minutes" against 30 s is, a daily reconciliation on a fraud line is another job.
  const weaker = target < 86400 || strict ? onPath.find((c) => !meets(c) && c.seconds <= target * 60) : undefined;
  const relaxed = weaker && relaxedOpenly(doc, stems);
  if (relaxed) return { name, mandatory: false, hit: at(relaxed.line, `${l.for}: relaxed openly from ${l.text} ("${relaxed.text.trim().slice(0, 80)}")`) };
  if (weaker) return { name, mandatory: false, hit: null, weaker: at(weaker.line, `${l.for}: committed to ${weaker.said}, weaker than ${l.text}`) };
  const found = onPath.find(meets) ?? (onPath.length ? undefined : commitments.find(meets));
  if (found) return { name, mandatory: false, hit: at(found.line, `latency for ${l.for}: ${found.said}${onPath.length ? '' : ' (no line about this path)'}`) };
  if (target >= 86400) {
    const daily = findFirst(doc, DAILY, { prose: true });
    if (daily) return { name, mandatory: false, hit: at(daily.line, `daily: ${daily.text}`) };
  }
  return { name, mandatory: false, hit: null };
}

function semanticsCheck(doc: Document, scenario: Scenario): Check {
  const wanted = scenario.expectations.deliverySemantics;
  const name = `${wanted} delivery semantics`;
  const statements = semanticsStatements(doc);
  const note = (s: { line: number; text: string }, what: string) => at(s.line, `${what}: "${s.text.trim().slice(0, 100)}"`);
  if (wanted !== 'exactly-once') {
    const any = statements[0];
    return { name, mandatory: true, hit: any ? note(any, 'delivery semantics') : null };
  }
  const { facts, expectations, notes } = scenario;
  const sinks = exactlyOnceSinks([notes ?? '', ...facts.quality, ...expectations.mustAddress.map((t) => t.name)]);
  const forSink = statements.filter((s) => aboutPath(doc, s, sinks));
  const weak = forSink.find((s) => s.strength === 'at-least');
  if (weak) return { name, mandatory: true, hit: null, weaker: note(weak, 'at-least-once where exactly-once is needed') };
  const strong = forSink.find((s) => s.strength === 'exactly') ?? statements.find((s) => s.strength === 'exactly');
  return { name, mandatory: true, hit: strong ? note(strong, 'exactly-once') : null };
}
