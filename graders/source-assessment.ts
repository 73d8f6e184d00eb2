// source-assessment — the prompt's first step: "SOURCE ASSESSMENT: Document data sources,
// volumes, formats, and SLAs with ingestion patterns". A design that does not say how much
// arrives, in what shape, when, and how it is taken in cannot be checked against its sources.
//
// The sources are read from a sources table (a table whose first header, or a header naming
// the source, says Source / System / Feed / Input / Origin; each row a source), else from a
// section about sources (its key says source, input, inventory, origin or "comes from": its top-level list
// items, else its paragraphs that open with a bold name, else its subsections). For each
// source, its row, item, paragraph or subsection should state:
//   volume    a number with a unit of size or rate (50 GB/day, 10K events/s, 2M rows, 40M/month)
//   format    JSON, Avro, Parquet, CSV, XML, Protobuf, HL7, FHIR, EDI, binlog/WAL, REST, SQL tables…
//   arrival   an SLA or arrival pattern: daily, hourly, nightly, real-time, continuous, streaming,
//             every N, by 6 AM, on upload, SLA…
//   pattern   an ingestion pattern: CDC, batch, streaming, micro-batch, pull/push, polling,
//             webhook, incremental, full load, file drop, a connector (Airbyte, Fivetran, Debezium…)
// The ingestion pattern may also be stated elsewhere, on a line that names the source ("Debezium
// captures ClaimCenter's Oracle redo log"); an interface the source is read through (REST API,
// SFTP, webhook, a Kafka topic, change streams, a bucket share) is its pattern.
// What the sources table's own section says in prose about all of them states their format and
// pattern. In a sources table, a filled cell of a column named for an aspect states it ("Ingestion
// pattern: MQTT → EMQX → Kafka", "Transport: Kafka", "Freshness SLO: < 2 s").
// Passes: at least one source, and on average at least 3 of the 4 stated per source with every
// source giving its volume and ingestion pattern. Score = the mean share per source; 0 without
// a source assessment. Weight 1, not hard: a step of the task rather than a deliverable of the
// output specification, and the sources are often already fixed by the user's message.

import { at, defineGrader, grade, type Location } from './core.ts';
import { linesText, searchable, sectionAt, type Document, type Section } from './document.ts';
import { withoutTitle } from './sections.ts';

const SOURCE_HEADER = /^(?:data )?(?:sources?|systems?|feeds?|inputs?|origins?|producers?)\b/i;
const SOURCE_SECTION = /\bsources?\b|\binputs?\b|inventory|origins?\b|source assessment|what (?:comes|arrives)|comes? from/;
const ASPECTS: ReadonlyArray<{ name: string; re: RegExp }> = [
  { name: 'volume', re: /\d[\d,.]*\s*(?:[kmbKMB]\b|[kKmMgGtTpP]i?B\b|bytes?|events?|records?|rows?|messages?|msgs?|files?|requests?|transactions?|tx|calls?|documents?|objects?|authori[sz]ations?|orders?|devices?|readings?|users?|million|billion|thousand)|\d+\s*(?:\/s|\/sec|per (?:second|minute|hour|day|month))|\b(?:tiny|small|large|high|low)[- ]volume\b|\d[\d,.]*\s*(?:tps|qps|rps|eps)\b|\d[\d,.]*\s*[kKmMbB]?\s+(?:[a-z-]+\s+)?(?!(?:ms|seconds?|minutes?|hours?|days?|weeks?|months?|years?)\b)[a-z-]{3,}s\b/i },
  { name: 'format', re: /\b(?:json|avro|parquet|csv|tsv|xml|protobuf|proto|hl7|fhir|edi|x12|binlog|wal|oplog|rest|graphql|soap|sql|tables?|rows?|logs?|ndjson|jsonl|excel|xlsx|fixed[- ]width|orc|delta|iceberg|events?|messages?|files?|payloads?|documents?|postgres(?:ql)?|mysql|oracle|sql server|db2|mongodb|dynamodb|cassandra|relational)\b/i },
  { name: 'arrival', re: /\b(?:daily|hourly|nightly|weekly|monthly|real[- ]?time|near[- ]real[- ]time|continuous(?:ly)?|streaming|every\s+\d*\s*\w+|by \d|\d{1,2}(?::\d{2})?\s*(?:am|pm|utc)\b|\d{2}:\d{2}|on upload|on arrival|sla|slo|latency|batch(?:es)?|intraday|end of day|eod|per (?:second|minute|hour|day)|\/s\b|tps|qps|rps|eps|ad[- ]hoc|on demand|event[- ]driven|arrives?|lands?|delivered|as (?:they|it) happens?)\b/i },
  { name: 'pattern', re: /\b(?:cdc|change data capture|debezium|batch|stream(?:ing|ed)?|micro-?batch|pull(?:ed)?|push(?:ed)?|poll(?:ing|ed)?|webhooks?|incremental|full (?:load|extract|refresh|snapshot)|snapshot|file drop|sftp|s3 (?:event|drop|upload)|airbyte|fivetran|kafka connect|connectors?|snowpipe|auto ?loader|dms|datastream|stitch|meltano|dlt|nifi|fluentd|fluent bit|logstash|vector|kinesis|firehose|pub\/sub|event hubs?|consumer|subscri(?:be|ption)|replicat(?:ion|ed)|extract(?:ed)?|ingest(?:ed|ion)? (?:via|with|by|through)|copy into|bulk (?:load|export)|api (?:pull|polling|calls?)|apis?|sftp|ftp|webhooks?|topics?|change streams?|odbc|jdbc|shares?|exports?|feeds?|queues?|buckets?|collector|mqtt|https?|uploads?|s3|gcs|blob|kafka|kinesis|pulsar|event ?hubs?|rabbitmq|published to|files? (?:drop|land|arriv|deliver|upload))\b/i },
];

/** Columns of a sources table that state an aspect for every row: a filled cell there states it. */
const ASPECT_HEADERS: Record<string, RegExp> = {
  volume: /volume|\brate\b|size|throughput|\brows\b|records|events|\bpeak\b|scale|count/i,
  format: /format|schema|encoding|\btype\b|shape|payload|protocol|\btables?\b/i,
  arrival: /arrival|\bsla|\bslo|fresh|frequency|cadence|schedule|latency|timing|\bwhen\b|delivery|update/i,
  pattern: /ingest|pattern|transport|method|mechanism|\bhow\b|connector|integration|channel|\bvia\b|\btool|capture|extraction|\bpath\b|load/i,
};
const EMPTY = /^(?:|-+|—|–|n\/a|none|tbd|\?|unknown)$/i;

interface Source {
  name: string;
  line: number;
  text: string;
  /** Aspects stated by a filled cell of a column named for them. */
  stated?: string[];
}

export default defineGrader({
  id: 'source-assessment',
  description: 'Each source with its volume, format, SLA or arrival pattern, and ingestion pattern',
  weight: 1,
  grade(doc) {
    const sources = readSources(doc);
    if (!sources.length) return grade(false, 0, 'no source assessment (a sources table or a section about the sources)', []);
    const assessed = sources.map((s) => ({ ...s, missing: ASPECTS.filter((a) => !s.stated?.includes(a.name) && !a.re.test(s.text) && !(a.name === 'pattern' && ingestedElsewhere(doc, s))).map((a) => a.name) }));
    const mean = assessed.reduce((sum, s) => sum + (4 - s.missing.length) / 4, 0) / assessed.length;
    const thin = assessed.filter((s) => s.missing.includes('volume') || s.missing.includes('pattern'));
    const pass = mean >= 0.75 && !thin.length;
    const incomplete = assessed.filter((s) => s.missing.length);
    const reason = incomplete.length
      ? `${sources.length} sources; ${incomplete.map((s) => `${s.name} lacks ${s.missing.join(', ')}`).join('; ')}`
      : `${sources.length} sources, each with volume, format, arrival and ingestion pattern`;
    const evidence: Location[] = assessed.map((s) => at(s.line, s.missing.length ? `${s.name}: no ${s.missing.join(', ')}` : `${s.name}: assessed`));
    return grade(pass, mean, reason, evidence.slice(0, 20), { sources: sources.length, incomplete: incomplete.length });
  },
});

const PATTERN = ASPECTS.find((a) => a.name === 'pattern')!.re;
const GENERIC = new Set(['data', 'database', 'events', 'event', 'files', 'file', 'system', 'service', 'source', 'sources', 'table', 'tables', 'feed', 'feeds', 'internal', 'platform', 'reports', 'report', 'records', 'master']);

/**
 * How a source is ingested is often said where the design takes it in ("Debezium captures the
 * orders database"), not in the assessment row: a prose line outside the row that names the
 * source by a distinctive word and an ingestion pattern states it.
 */
function ingestedElsewhere(doc: Document, source: Source): boolean {
  const words = source.name.toLowerCase().split(/[^\p{L}\p{N}]+/u).filter((w) => w.length >= 4 && !GENERIC.has(w));
  if (!words.length) return false;
  return searchable(doc, { prose: true }).some(({ line, text }) => {
    if (line === source.line) return false;
    const lower = text.toLowerCase();
    return words.some((w) => lower.includes(w)) && PATTERN.test(text);
  });
}

function readSources(doc: Document): Source[] {
  const table = doc.tables.find((t) => SOURCE_HEADER.test(t.header[0] ?? '') && t.rows.length >= 1);
  if (table) {
    // What the table's own section says in prose about all its sources ("Avro-encoded envelopes",
    // "loaded with Debezium's incremental snapshot") states their format and pattern.
    const section = sectionAt(doc, table.line);
    const around = section ? searchable(doc, { prose: true }).filter((l) => l.line > section.line && l.line <= section.endLine && (l.line < table.line || l.line > table.endLine)).map((l) => l.text).join('\n') : '';
    const shared = ASPECTS.filter((a) => (a.name === 'format' || a.name === 'pattern') && a.re.test(around)).map((a) => a.name);
    return table.rows
      .filter((r) => (r.cells[0] ?? '').trim())
      .map((r) => ({
        name: clean(r.cells[0]!),
        line: r.line,
        text: `${r.cells.join(' | ')} | ${headerHints(table.header)}`,
        stated: [...shared, ...Object.keys(ASPECT_HEADERS).filter((a) => table.header.some((h, i) => i > 0 && ASPECT_HEADERS[a]!.test(h) && !EMPTY.test((r.cells[i] ?? '').trim())))],
      }));
  }
  const section = withoutTitle(doc.sections).find((s) => SOURCE_SECTION.test(s.key) && !/design|architecture|stack/.test(s.key));
  return section ? sourcesIn(doc, section) : [];
}

/** A header that states a pattern for every row ("Daily batch files", "CDC sources") applies to each row. */
function headerHints(header: string[]): string {
  return header.filter((h) => /cdc|batch|stream|daily|hourly/i.test(h)).join(' ');
}

function sourcesIn(doc: Document, section: Section): Source[] {
  const inside = (line: number) => line > section.line && line <= section.endLine;
  const items = doc.items.filter((i) => inside(i.line));
  const top = Math.min(...items.map((i) => i.level));
  const fromItems = items.filter((i) => i.level === top).map((i) => ({ name: clean(i.bold ?? i.lead), line: i.line, text: i.text }));
  if (fromItems.length) return fromItems;
  const fromParagraphs: Source[] = [];
  for (let line = section.line + 1; line <= section.endLine; line++) {
    const m = /^\s{0,3}\*\*([^*\n]{2,80})\*\*/.exec(doc.lines[line - 1]!);
    if (!m || doc.inCode[line]) continue;
    let end = line;
    while (end < section.endLine && doc.lines[end]!.trim() !== '') end++;
    fromParagraphs.push({ name: clean(m[1]!), line, text: linesText(doc, line, end) });
    line = end;
  }
  if (fromParagraphs.length) return fromParagraphs;
  const index = doc.sections.indexOf(section);
  return doc.sections.filter((s) => s.parent === index).map((s) => ({ name: clean(s.title), line: s.line, text: linesText(doc, s.line, s.endLine) }));
}

function clean(text: string): string {
  return text.replace(/[*`]|(?<!\w)_|_(?!\w)/g, '').split(/\s[—–-]\s|:\s/)[0]!.trim().slice(0, 50);
}
