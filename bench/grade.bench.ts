// `npm run bench`: what grading costs next to the markdown parse it cannot avoid.
// (a) the bare markdown parse (graders/document.ts markdownProcessor: remark + GFM), (b) the
// document model plus every grader, on the same realistic documents in the same run, interleaved
// so that both see the same machine state.
// Target: (b) / (a) ≤ 1.5 — the graders and the model cost less than half of the parse.
// Exits 1 when the target is missed. (c) splits one document's cost into parse and graders, for
// a short answer and for the full-length documents (reported, no target).

import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { markdownProcessor, parseDocument, type Document } from '../graders/document.ts';
import { gradeDocument } from '../graders/grade.ts';
import { graders } from '../graders/index.ts';
import { resolveScenario } from '../src/dataset/load.ts';

const TARGET = 1.5;
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 40);
const dir = join(import.meta.dirname, '../datasets/calibration');
// Scenario-aware graders run against the seed's own scenario.
const scenario = resolveScenario('ecommerce-hybrid', join(import.meta.dirname, '../datasets/scenarios'));

// Realistic, full-length documents: the calibration documents of 1,500 words or more.
const docs = readdirSync(dir)
  .filter((f) => f.endsWith('.md'))
  .map((f) => ({ name: f, text: readFileSync(join(dir, f), 'utf8') }))
  .map((d) => ({ ...d, words: parseDocument(d.text).words.prose }))
  .filter((d) => d.words >= 1500);

const time = (fn: () => unknown) => {
  const start = process.hrtime.bigint();
  fn();
  return Number(process.hrtime.bigint() - start) / 1e6;
};
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

for (let i = 0; i < 5; i++) for (const d of docs) (markdownProcessor.parse(d.text), gradeDocument(d.text));

const parse: number[] = [];
const full: number[] = [];
for (let r = 0; r < ROUNDS; r++) {
  for (const d of docs) {
    const scale = 2500 / d.words; // per 2,500-word document
    parse.push(time(() => markdownProcessor.parse(d.text)) * scale);
    full.push(time(() => gradeDocument(d.text, { scenario })) * scale);
  }
}

// Where (b) - (a) goes: each grader alone over an already parsed document — a fresh copy each
// time, since what graders derive from a document is kept with it (cost tables, the stack).
const perGrader = graders.map((g) => {
  const parsed = docs.map((d) => ({ doc: parseDocument(d.text), scale: 2500 / d.words }));
  const times = parsed.flatMap((p) =>
    Array.from({ length: 10 }, () => {
      const doc = structuredClone(p.doc);
      return time(() => g.grade(doc, { scenario })) * p.scale;
    }),
  );
  return { id: g.id, ms: median(times) };
});

// (c) Per document, as a run grades it: parseDocument (the parse plus the model), then every
// grader over that fresh model (per-document caches start empty). Short answers show the fixed
// cost of a call; the full-length documents above show what grows with length.
const shortAnswer = (i: number) =>
  `# Pipeline design ${i}\n\n## Summary\n\nAn answer to: "Design an order pipeline (${i})".\n\n` +
  'Orders land in object storage every few minutes as JSON files, are validated against a schema and deduplicated by order id, ' +
  'then loaded hourly into the warehouse, where dbt models build daily revenue tables for finance and marketing; failed records ' +
  'go to a quarantine table for review, and alerts fire on freshness when the newest order is more than two hours old.\n\n' +
  '## Monitoring\n\nDashboards track lag, error rates and cost per day; every alert links to a runbook naming the owner and the first three steps.\n\n' +
  `## Costs\n\n| Item | Monthly |\n|---|---|\n| Warehouse | $${400 + i} |\n`;
const shorts = Array.from({ length: 20 }, (_, i) => shortAnswer(i));
const split = (texts: string[], rounds: number) => {
  const parseMs: number[] = [];
  const gradersMs: number[] = [];
  for (let r = 0; r < rounds; r++) {
    for (const text of texts) {
      let doc!: Document;
      const p = time(() => (doc = parseDocument(text)));
      const g = time(() => gradeDocument(doc, { scenario }));
      if (r > 0 || rounds === 1) (parseMs.push(p), gradersMs.push(g));
    }
  }
  return { parse: median(parseMs), graders: median(gradersMs), total: median(parseMs.map((p, i) => p + gradersMs[i]!)) };
};
for (let i = 0; i < 20; i++) for (const t of shorts) gradeDocument(t, { scenario });
const short = split(shorts, ROUNDS * 5);
const long = split(docs.map((d) => d.text), Math.max(1, Math.ceil(ROUNDS / 4)));
const shortWords = parseDocument(shorts[0]!).words.prose;

const a = median(parse);
const b = median(full);
const ratio = b / a;
const words = docs.reduce((s, d) => s + d.words, 0) / docs.length;
console.log(`grading bench: ${docs.length} documents (mean ${Math.round(words)} prose words), ${ROUNDS} rounds, node ${process.version}`);
console.log(`(a) remark + GFM parse              ${a.toFixed(2)} ms per 2,500-word document (median)`);
console.log(`(b) parse + model + all ${graders.length} graders (with a scenario)  ${b.toFixed(2)} ms per 2,500-word document (median)`);
console.log(`    graders alone: ${perGrader.map((g) => `${g.id} ${g.ms.toFixed(2)}`).join(', ')} ms`);
console.log(`(b) / (a) = ${ratio.toFixed(2)} (target ≤ ${TARGET}): ${ratio <= TARGET ? 'met' : 'MISSED'}`);
console.log('(c) per document (median): parseDocument (parse + model), then all graders on the fresh model, with a scenario');
const row = (label: string, r: typeof short) => `    ${label}: parse ${r.parse.toFixed(3)} ms + graders ${r.graders.toFixed(3)} ms = ${r.total.toFixed(3)} ms`;
console.log(row(`short answer (${shortWords} words, ${shorts[0]!.length} bytes)`, short));
console.log(row(`the ${docs.length} documents above (mean ${Math.round(words)} words)`, long));
process.exitCode = ratio <= TARGET ? 0 : 1;
