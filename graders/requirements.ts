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
//   latency commitment anywhere at least as tight meets it. A target the document openly relaxes
//   ("relax latency to ≤ 10 s … instead of sub-second", "cannot be met") counts as met: naming
//   the conflict is the answer the prompt wants; committing weaker in silence is not. Daily targets also accept "daily" /
//   "nightly";
// - each deadline ("6 AM", aliases "06:00"...) and each compliance regime (HIPAA, PCI DSS...);
// - the delivery semantics the use case implies. Exactly-once: the sink the scenario names for
//   it (its notes, quality facts and must-address topics: "ledger", "invoices") must not be
//   committed to at-least-once without idempotent writes, nor to repairing duplicates later; a
//   statement of exactly-/effectively-once (or at-least-once made idempotent) for that sink, or
//   anywhere when no line is about the sink, meets it. At-least-once accepts either guarantee;
//   "either" needs one of them stated;
// - each term the scenario says a good answer must address (aliases count).
// Passes when every compliance regime and the delivery semantics are addressed, no latency
// target is committed to weaker than asked, and at least 80% of all checks hold.
// Score = checks met / checks.

import type { Scenario } from '../src/dataset/schema.ts';
import { aboutPath, exactlyOnceSinks, latencyCommitments, pathStems, relaxedOpenly, semanticsStatements } from './commitments.ts';
import { at, defineGrader, findTerm, grade, type Location } from './core.ts';
import { findFirst, type Document } from './document.ts';

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
      ...facts.latency.map((l) => latencyCheck(doc, l)),
      ...(facts.deadlines ?? []).map((d) => term(doc, d, `deadline ${d.name}`, false)),
      ...(facts.compliance ?? []).map((c) => term(doc, c, `compliance ${c.name}`, true)),
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

function latencyCheck(doc: Document, l: Scenario['facts']['latency'][number]): Check {
  const name = `latency ${l.text} (${l.for})`;
  const target = l.seconds;
  const commitments = latencyCommitments(doc).filter((c) => c.seconds >= target / 1000);
  const stems = pathStems(l.for);
  const onPath = commitments.filter((c) => aboutPath(doc, c, stems));
  const meets = (c: { seconds: number }) => c.seconds <= target * (1 + TOLERANCE);
  // A weaker number for the path is a commitment only when it is of the same order: "alerts within
  // 2 minutes" against 30 s is, a daily reconciliation on a fraud line is another job.
  const weaker = target < 86400 ? onPath.find((c) => !meets(c) && c.seconds <= target * 60) : undefined;
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
