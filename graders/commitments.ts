// What a design commits to, as opposed to what it mentions. Shared by `requirements`: a latency
// target or a delivery guarantee is met by a statement about the path or sink it is for, not by
// the same words anywhere (a heartbeat interval in a diagram label, "exactly-once" in a
// checkpointing sentence while the ledger itself is written at-least-once).
//
// A commitment is a prose line (never a code block or diagram) that is not:
// - a restated requirement ("Requirement: under 30 s", a Requirements / Context / Sources section);
// - a source's own SLA or arrival pattern (a source-assessment section, a row of a sources table);
// - an example of another system ("e.g.", "for example", "typically", "industry");
// - an alert threshold ("warning > 2 min", "page when lag > 5 min"): a threshold is when to act,
//   not what the design promises;
// - a duration that is not a latency: retention, TTL, timeouts, heartbeats, intervals, windows,
//   retraining, backfill, recovery objectives.

import { perDocument, searchable, sectionAt, type Document } from './document.ts';

// `(?<!\d)`: a duration starts where a number starts (linear on a long run of digits).
const DURATION = /(?<!\d)(\d+(?:[.,]\d+)?)\s*(ms|milliseconds?|s|secs?|seconds?|mins?|minutes?|h|hrs?|hours?|days?)\b|\b(sub-second|sub-minute|sub-hour|one minute|one second|one hour|half a minute)\b/gi;
const NAMED: Record<string, number> = { 'sub-second': 1, 'sub-minute': 60, 'sub-hour': 3600, 'one second': 1, 'one minute': 60, 'one hour': 3600, 'half a minute': 30 };
const LATENCY_WORDS = /latenc|end-to-end|e2e|fresh|\blag\b|\bsla|\bslo|within|under|less than|<|≤|p9\d|deadline|target|real-time|realtime|delay|behind|stale|in about|takes?\b|arrives? (?:in|at)|visible|lands? in/i;
const NOT_LATENCY = /retention|retain|\bkeep\b|\bkept\b|\bttl\b|time-?outs?|heartbeat|interval|\bevery\s+(?:\d|few|other|minute|hour|day|second|night|morning|week)|\bwindows?\b|tumbling|sliding|session gap|retrain|backfill|replay|\brto\b|\brpo\b|recover|checkpoint|cron|look-?back|expir|purge|grace|watermark|allowed lateness|poll|flush|commit interval|batch(?:es)? of|archiv|snapshot|rollback|warm-?up|cool-?down|scale[- ]?(?:in|out|up|down)|autoscal/i;
const THRESHOLD = /\bwarn(?:ing)?\s*[:>≥]|\bcritical\s*[:>≥]|\bthreshold\s*[:=>≥]|\bbreach(?:es|ed)?\b|\bexceeds?\s+~?\d|\bpages? (?:when|if|on)\b|\bpaging\b|\balarms? (?:when|if|at|on)\b|\balerts? (?:if|when|at|on)\s|(?:if|when) [^.]{0,40}(?:>|above|over|exceeds?)\s*~?\d|>\s*~?\d|≥\s*~?\d|\bsev\d/i;
const EXAMPLE = /\be\.g\.|for example|for instance|typically|industry|other (?:teams|companies|systems|vendors|clients|customers)|unlike\b|benchmark|compared (?:to|with)|\b(?:for|with|at) an? [\w-]+ (?:client|customer|company)\b|another (?:client|customer|company|team)|previous (?:client|project|engagement)|we used the same/i;
/** Tables of checks or alerts: their durations are thresholds ("within 2 hours | dbt job stops"), not latency commitments. */
const CHECK_TABLE = /\bcheck|\brule|\btest|validation|expectation|alert|threshold|\bwarn|critical|on failure|\baction|\bpage/i;
const RESTATED = /\brequirements?\b|\brequired\b|you asked|asks? for|the brief|the scenario|the user|business wants|stakeholders? (?:want|need|ask)/i;
const NOT_DESIGN_SECTION = /requirement|assumption|context|problem|background|inputs?\b|sources?\b|source assessment|current state|as-is|existing|scope|goals?\b|constraints?/i;
const SOURCE_TABLE = /\bsources?\b|arrival|provider|vendor|upstream|feed/i;

export interface Commitment {
  line: number;
  text: string;
}

export interface DurationCommitment extends Commitment {
  /** The tightest duration the line states, in seconds. */
  seconds: number;
  /** The duration as written. */
  said: string;
}

/** Is this sentence about another system (an example, another client's audit)? */
export function isExample(sentence: string): boolean {
  return EXAMPLE.test(sentence);
}

/** The sentence of a line that holds a position. */
export function sentenceAt(text: string, index: number): string {
  let start = 0;
  for (const m of text.matchAll(/(?<=[.!?])\s+(?=[A-Z*(`])/g)) {
    if (m.index! >= index) return text.slice(start, m.index);
    start = m.index! + m[0].length;
  }
  return text.slice(start);
}

/** Lines a design may commit on: prose, outside restated requirements, sources, checks and examples. */
const commitmentLines = perDocument((doc): readonly Commitment[] => {
  const sourceRows = new Set<number>();
  for (const t of doc.tables) if (SOURCE_TABLE.test(t.header[0] ?? '') || t.header.some((h) => CHECK_TABLE.test(h))) for (const r of t.rows) sourceRows.add(r.line);
  const out: Commitment[] = [];
  for (const { line, text } of searchable(doc, { prose: true })) {
    if (sourceRows.has(line)) continue;
    const section = sectionAt(doc, line);
    if (section && NOT_DESIGN_SECTION.test(section.key) && !/design|architect|pipeline|stage|flow/.test(section.key)) continue;
    // Each sentence is its own statement: "alerts reach operators within 30 s, which leaves margin
    // for the router's deduplication window" is a latency commitment whatever the next clause says.
    for (const sentence of text.includes('|') ? [text] : text.split(SENTENCE)) {
      if (!EXAMPLE.test(sentence) && !RESTATED.test(sentence)) out.push({ line, text: sentence });
    }
  }
  return out;
});
const SENTENCE = /(?<=[.!?])\s+(?=[A-Z*(`])/;

/** Latency commitments: lines that state a duration as a latency, each with its tightest duration. */
export const latencyCommitments = perDocument((doc): readonly DurationCommitment[] => {
  const out: DurationCommitment[] = [];
  for (const c of commitmentLines(doc)) {
    if (!/\d|sub-|one |half/i.test(c.text) || !LATENCY_WORDS.test(c.text) || THRESHOLD.test(c.text)) continue;
    let best: { seconds: number; said: string } | null = null;
    DURATION.lastIndex = 0;
    for (let m = DURATION.exec(c.text); m; m = DURATION.exec(c.text)) {
      // What a duration measures is said next to it: "a 2-hour window", "retained for 7 days".
      if (NOT_LATENCY.test(c.text.slice(Math.max(0, m.index - 40), m.index + m[0].length + 25))) continue;
      const seconds = m[1] ? Number(m[1].replace(',', '.')) * unitSeconds(m[2]!) : NAMED[m[3]!.toLowerCase()]!;
      if (Number.isFinite(seconds) && seconds > 0 && (!best || seconds < best.seconds)) best = { seconds, said: m[0] };
    }
    if (best) out.push({ ...c, ...best });
  }
  return out;
});

function unitSeconds(unit: string): number {
  const u = unit.toLowerCase();
  if (u === 'ms' || u.startsWith('milli')) return 0.001;
  return ({ s: 1, m: 60, h: 3600, d: 86400 } as Record<string, number>)[u[0]!] ?? NaN;
}

const EXACTLY = /exactly[- _]once|effectively[- _]once/i;
const AT_LEAST = /at[- _]least[- _]once/i;
/** At-least-once made safe at the sink: the sink's writes are idempotent, so it is as strong as exactly-once. */
const MADE_SAFE = /idempoten|dedup|upsert|\bmerge\b|unique (?:key|constraint)|primary key|on conflict|transactional|two-phase|2pc|outbox/i;
/** A sink that admits duplicates and repairs them later is at-least-once, whatever else it says. */
const ADMITS_DUPLICATES = /duplicates? (?:are|is|get|will be|may be|can be) (?:revers|correct|clean|fix|remov|reconcil)[\w]* (?:later|the next|next|overnight|in (?:a|the) (?:nightly|daily))|(?:next-day|nightly|daily|later) (?:reversal|correction|clean-?up) of duplicates|tolerat\w* duplicates|duplicates? (?:are|is) (?:acceptable|tolerated|possible)/i;

/** Effectively-once said in words: "rerunning any hour is idempotent: … never duplicate rows". */
const IDEMPOTENT_NO_DUPLICATES = /idempoten\w*[^.]{0,100}(?:never duplicat|no duplicat|without duplicat|same (?:result|tables|rows|output))|(?:never|no) duplicat\w*[^.]{0,60}idempoten/i;

export interface SemanticsStatement extends Commitment {
  strength: 'exactly' | 'at-least';
}

/** Lines that state a delivery guarantee, with the guarantee they state for what they are about. */
export const semanticsStatements = perDocument((doc): readonly SemanticsStatement[] => {
  const out: SemanticsStatement[] = [];
  for (const c of commitmentLines(doc)) {
    const exactly = EXACTLY.test(c.text) || IDEMPOTENT_NO_DUPLICATES.test(c.text);
    const atLeast = AT_LEAST.test(c.text);
    const admits = ADMITS_DUPLICATES.test(c.text);
    if (!exactly && !atLeast && !admits) continue;
    const weak = admits || (atLeast && !exactly && !MADE_SAFE.test(c.text));
    out.push({ ...c, strength: weak ? 'at-least' : 'exactly' });
  }
  return out;
});

const STOP = new Set(['with', 'from', 'into', 'each', 'every', 'that', 'this', 'than', 'then', 'must', 'have', 'does', 'when', 'updates', 'update', 'data', 'events', 'event', 'exactly', 'once', 'least', 'because', 'only', 'alone', 'would', 'tolerate', 'posted', 'loaded', 'drive', 'drives', 'real', 'time', 'near', 'daily', 'nightly', 'hourly', 'reports', 'report', 'under', 'within', 'their', 'there', 'where', 'which', 'being', 'missing', 'entry', 'entries', 'problem', 'money', 'duplicate', 'figures', 'correctly', 'approximate', 'may', 'the', 'and', 'for', 'per', 'are', 'both', 'idempotent', 'runnable', 'batches', 'financial']);

/** Word stems naming a path or sink ("fraud scoring per authorization" → fraud, scori, autho). */
export function pathStems(text: string): string[] {
  const words = text.toLowerCase().split(/[^\p{L}]+/u).filter((w) => w.length >= 4 && !STOP.has(w));
  return [...new Set(words.map((w) => w.slice(0, 5)))];
}

/** Is this line (or the heading it sits under) about the path the stems name? */
export function aboutPath(doc: Document, c: Commitment, stems: string[]): boolean {
  if (!stems.length) return false;
  const lower = c.text.toLowerCase();
  if (stems.some((s) => lower.includes(s))) return true;
  const section = sectionAt(doc, c.line);
  return Boolean(section && stems.some((s) => section.key.includes(s)));
}

/** The words of the scenario's sentences that ask for exactly-once: the sinks that need it. */
export function exactlyOnceSinks(texts: string[]): string[] {
  const sentences = texts.flatMap((t) => t.split(/(?<=[.;:])\s+|,\s+(?=and |then )/));
  return [...new Set(sentences.filter((s) => /exactly[- ]once|duplicate/i.test(s)).flatMap(pathStems))];
}

const RELAXED = /\brelax|loosen|cannot (?:be )?(?:met|achiev|meet)|not (?:achievable|feasible|possible)|instead of (?:the )?(?:sub-|under|<)|trade (?:latency|freshness)|propose[sd]? (?:a )?(?:relaxed|looser|new target)/i;

/** A line that openly relaxes the latency of this path: a named conflict, not a silent weakening. */
export function relaxedOpenly(doc: Document, stems: string[]): Commitment | undefined {
  for (const { line, text } of searchable(doc, { prose: true })) {
    if (!RELAXED.test(text)) continue;
    const lower = text.toLowerCase();
    if (/latenc|second|minute|\d\s*(?:s|ms|min)\b/.test(lower) && (stems.some((s) => lower.includes(s)) || /latenc/.test(lower))) return { line, text };
  }
  return undefined;
}
