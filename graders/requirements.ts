// requirements — does the document answer the scenario's stated requirements, not a generic
// one? The prompt's required inputs are "processing requirements (batch, streaming, hybrid,
// latency requirements)" and "data quality and freshness requirements"; its constraints ask for
// "exactly-once or at-least-once semantics based on use case".
//
// Needs a scenario. Checks, each worth the same:
// - each latency target: the document states a duration equal to it (±10%: "1 minute",
//   "60 s", "sub-minute") or a tighter one on a line about latency, freshness, lag or SLAs;
//   daily targets also accept "daily" / "nightly";
// - each deadline ("6 AM", aliases "06:00"...) and each compliance regime (HIPAA, PCI DSS...);
// - the delivery semantics the use case implies: exactly-once needs exactly-/effectively-once;
//   at-least-once accepts either; "either" needs one of them stated;
// - each term the scenario says a good answer must address (aliases count).
// Passes when every compliance regime and the delivery semantics are addressed and at least
// 80% of all checks hold. Score = checks met / checks.

import { at, defineGrader, findTerm, grade, type Location } from './core.ts';
import { findAll, findFirst, type Document } from './document.ts';

// `(?<!\d)`: a duration starts where a number starts — the same matches, in linear time on a long
// run of digits (each digit of 64 KB of them was a start that ran to the end and back: 27 s).
const DURATION = /(?<!\d)(\d+(?:[.,]\d+)?)\s*(ms|milliseconds?|s|secs?|seconds?|mins?|minutes?|h|hrs?|hours?|days?)\b|\b(sub-second|sub-minute|sub-hour|one minute|one second|one hour)\b/gi;
const NAMED: Record<string, number> = { 'sub-second': 1, 'sub-minute': 60, 'sub-hour': 3600, 'one second': 1, 'one minute': 60, 'one hour': 3600 };
const LATENCY_WORDS = /latenc|end-to-end|e2e|fresh|lag\b|\bsla|\bslo|within|under|less than|<|≤|p9\d|deadline|target|real-time|realtime|delay/i;
const DAILY = /\b(?:daily|nightly|once a day|every day|24\s*h(?:ours?)?)\b/i;
const SEMANTICS = {
  exactly: /exactly[- _]once|effectively[- _]once/i,
  atLeast: /at[- _]least[- _]once/i,
};

interface Check {
  name: string;
  mandatory: boolean;
  hit: Location | null;
}

export default defineGrader({
  id: 'requirements',
  description: "The scenario's latency, deadlines, compliance, delivery semantics and must-address topics",
  weight: 2,
  needsScenario: true,
  grade(doc, { scenario }) {
    const { facts, expectations } = scenario!;
    const durations = readDurations(doc);
    const checks: Check[] = [
      ...facts.latency.map((l) => ({ name: `latency ${l.text} (${l.for})`, mandatory: false, hit: latencyHit(doc, durations, l.seconds) })),
      ...(facts.deadlines ?? []).map((d) => term(doc, d, `deadline ${d.name}`, false)),
      ...(facts.compliance ?? []).map((c) => term(doc, c, `compliance ${c.name}`, true)),
      { name: `${expectations.deliverySemantics} delivery semantics`, mandatory: true, hit: semanticsHit(doc, expectations.deliverySemantics) },
      ...expectations.mustAddress.map((t) => term(doc, t, t.name, false)),
    ];
    const met = checks.filter((c) => c.hit);
    const missing = checks.filter((c) => !c.hit);
    const score = checks.length ? met.length / checks.length : 1;
    const pass = checks.every((c) => c.hit || !c.mandatory) && score >= 0.8;
    const reason = missing.length
      ? `${met.length}/${checks.length} requirements addressed; missing: ${missing.map((c) => c.name).join(', ')}`
      : `all ${checks.length} requirements addressed`;
    return grade(pass, score, reason, met.map((c) => c.hit!), { missing: missing.map((c) => c.name) });
  },
});

function term(doc: Document, t: { name: string; aliases?: string[] }, name: string, mandatory: boolean): Check {
  const hit = findTerm(doc, t);
  return { name, mandatory, hit: hit && at(hit.line, `${name}: "${hit.text}"`) };
}

interface Duration {
  seconds: number;
  line: number;
  text: string;
  latencyLine: boolean;
}

function readDurations(doc: Document): Duration[] {
  // A match's line is a searchable line, whose text is the document's line as written.
  return findAll(doc, DURATION)
    .map((m) => {
      const unit = /^(\d+(?:[.,]\d+)?)\s*([a-z]+)/i.exec(m.text);
      const seconds = unit ? Number(unit[1]!.replace(',', '.')) * unitSeconds(unit[2]!) : NAMED[m.text.toLowerCase()]!;
      return { seconds, line: m.line, text: m.text, latencyLine: LATENCY_WORDS.test(doc.lines[m.line - 1]!) };
    })
    .filter((d) => Number.isFinite(d.seconds));
}

function unitSeconds(unit: string): number {
  const u = unit.toLowerCase();
  if (u === 'ms' || u.startsWith('milli')) return 0.001;
  return ({ s: 1, m: 60, h: 3600, d: 86400 } as Record<string, number>)[u[0]!] ?? NaN;
}

function latencyHit(doc: Document, durations: Duration[], target: number): Location | null {
  const equal = durations.find((d) => Math.abs(d.seconds - target) <= target * 0.1);
  const tighter = durations.find((d) => d.latencyLine && d.seconds < target && d.seconds >= target / 1000);
  const found = equal ?? tighter;
  if (found) return at(found.line, `latency target: ${found.text}`);
  if (target >= 86400) {
    const daily = findFirst(doc, DAILY);
    if (daily) return at(daily.line, `daily: ${daily.text}`);
  }
  return null;
}

function semanticsHit(doc: Document, wanted: 'exactly-once' | 'at-least-once' | 'either'): Location | null {
  const exactly = findFirst(doc, SEMANTICS.exactly);
  const atLeast = findFirst(doc, SEMANTICS.atLeast);
  const hit = wanted === 'exactly-once' ? exactly : (atLeast ?? exactly);
  return hit ? at(hit.line, `delivery semantics: ${hit.text}`) : null;
}
