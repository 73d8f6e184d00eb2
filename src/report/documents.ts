// What the HTML drill-down shows per cell: the document as the model wrote it (from the response
// store; the hand-written references from datasets/references/) and its grades with the lines
// each grader pointed at. results.json keeps only pass/score/reason; the evidence lines come from
// the grade cache beside the store (written when the run graded the document), and a document
// missing from it (a cache cleaned, graders changed since) is graded again here. The grades
// shown stay the run's own.

import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { createHash } from 'node:crypto';
import { once } from 'node:events';
import { finished } from 'node:stream/promises';
import { createGzip } from 'node:zlib';
import { gradersVersion } from '../../graders/version.ts';
import { loadScenarios } from '../dataset/load.ts';
import type { Scenario } from '../dataset/schema.ts';
import { redactSecrets } from '../redact.ts';
import { FsGradeCache, gradeKey, type CachedGrade, type GradeCache } from '../runner/grade-cache.ts';
import { gradeOutput } from '../runner/grade-worker.ts';
import { versionKey, type CellResult } from '../runner/results.ts';
import { referenceFile } from '../runner/run.ts';
import { FsStore } from '../runner/store.ts';
import { cellRef } from './compare.ts';
import { isReference, modelKeyOf, type RunData } from './load.ts';
import type { ReportModel } from './model.ts';
import { previousTurnCell, turnScenarios, withPrevious } from '../dataset/turns.ts';

export interface CellView {
  ref: string;
  side: 'current' | 'compared';
  runId: string;
  version: string;
  scenario: string;
  label: string;
  /** provider:model ("reference:hand-written" for the references): the side-by-side's key. */
  modelKey: string;
  reference: boolean;
  sample: number;
  status: CellResult['status'];
  error: string | null;
  stopReason: string | null;
  score: number | null;
  pass: boolean | null;
  costUsd: number | null;
  latencyMs: number | null;
  tokens: { input: number; output: number };
  /** Key into `docs`; null when the document is not available (with `docNote` saying why). */
  doc: string | null;
  docNote: string | null;
  grades: { id: string; pass: boolean; score: number; reason: string; hard: boolean; at: [number, string][] }[];
}

export interface DrillData {
  cells: Record<string, CellView>;
  docs: Record<string, string>;
  note: string | null;
}

export interface DocumentOptions {
  referencesDir?: string;
  scenariosDir?: string;
  /** Grade caches already open, by store folder (eval passes the one it graded into). */
  gradeCaches?: Map<string, GradeCache>;
}

/**
 * Documents embedded (with their evidence lines) per report: enough for a full
 * suite (2 versions × 16 scenarios × 2 models × 3 samples = 192), bounded so that a 10,000-cell
 * run still writes its report in seconds and megabytes — flips and failures come first.
 */
export const MAX_EMBEDDED_DOCUMENTS = 600;

export function drillData(model: ReportModel, current: RunData, compared: RunData | null, opts: DocumentOptions = {}): DrillData {
  const scenarios = scenarioMap(opts.scenariosDir ?? 'datasets/scenarios');
  const docs: Record<string, string> = {};
  const cells: Record<string, CellView> = {};
  const version = gradersVersion();
  const caches = new Map([...(opts.gradeCaches ?? [])].map(([dir, cache]) => [resolve(dir), cache]));
  const cacheOf = (dir: string) => caches.get(resolve(dir)) ?? caches.set(resolve(dir), new FsGradeCache(join(dir, 'grades'), version)).get(resolve(dir))!;
  // Graded here (missing from the cache), by grade key: a document in many cells is graded once.
  const regraded = new Map<string, CachedGrade>();
  const order = (id: string) => (model.graderIds.includes(id) ? model.graderIds.indexOf(id) : model.graderIds.length);
  const wanted = new Set(model.flips.flatMap((f) => [f.before.cellId, f.after.cellId]));
  const sides: [RunData, 'current' | 'compared'][] = [[current, 'current'], ...(compared ? [[compared, 'compared'] as [RunData, 'compared']] : [])];
  const embedded = embeddedRefs(sides, wanted);
  for (const [run, side] of sides) {
    const store = new FsStore(run.storeDir);
    const cache = cacheOf(run.storeDir);
    const keyOf = new Map(run.results.cells.map((c) => [c.id, c.storeKey]));
    for (const c of run.results.cells) {
      const ref = cellRef(side, c);
      if (side === 'compared' && !wanted.has(ref)) continue;
      const { text, note } = embedded.has(ref)
        ? documentOf(c, store, opts.referencesDir ?? 'datasets/references')
        : { text: null, note: `not embedded: this report embeds ${MAX_EMBEDDED_DOCUMENTS} documents (flips and failures first); the document is in the response store under ${c.storeKey ?? 'no key'}` };
      // Keyed by content: a document stored under several keys is embedded once.
      const hash = text === null ? null : createHash('sha256').update(text).digest('hex');
      const key = hash?.slice(0, 20) ?? null;
      if (key && text !== null) docs[key] = text;
      let at: Record<string, [number, string][]> = {};
      if (text !== null && c.status !== 'error') {
        // A later turn was graded with the answer it revises (dataset/turns.ts): the same here.
        const before = keyOf.get(previousTurnCell(c.id) ?? '');
        const job = { text, scenario: withPrevious(scenarios.get(c.scenario) ?? null, before ? store.get(before)?.completion.text : undefined), policy: run.policy };
        const gradedAs = gradeKey({ ...job, gradersVersion: version });
        const graded = cache.get(gradedAs) ?? regraded.get(gradedAs) ?? regraded.set(gradedAs, gradeOutput(job)).get(gradedAs)!;
        at = Object.fromEntries(Object.entries(graded.grades).map(([id, g]) => [id, g.at]));
      }
      cells[ref] = {
        ref,
        side,
        runId: run.results.runId,
        version: versionKey(c),
        scenario: c.scenario,
        label: isReference(c) ? 'Hand-written reference' : c.label,
        modelKey: modelKeyOf(c),
        reference: isReference(c),
        sample: c.sample,
        status: c.status,
        error: c.error ?? null,
        stopReason: c.stopReason,
        score: c.score,
        pass: c.pass,
        costUsd: c.costUsd,
        latencyMs: c.latencyMs,
        tokens: { input: c.usage.input + c.usage.cacheRead + c.usage.cacheWrite, output: c.usage.output },
        doc: text !== null ? key : null,
        docNote: note,
        grades: Object.entries(c.grades)
          .sort(([a], [b]) => order(a) - order(b) || a.localeCompare(b))
          .map(([id, g]) => ({ id, ...g, hard: run.policy.hard.includes(id), at: at[id] ?? [] })),
      };
    }
  }
  const differs = [current, compared].filter((r) => r && r.results.gradersVersion !== gradersVersion());
  const note = differs.length ? `Evidence lines come from the current graders (${gradersVersion()}); the grades shown are the run's own (graders ${differs.map((r) => r!.results.gradersVersion).join(', ')}), so a few highlights may not match a reason.` : null;
  return { cells, docs, note };
}

/** The cells whose documents are embedded: flips, then failed or failing cells, then the rest. */
function embeddedRefs(sides: [RunData, 'current' | 'compared'][], flips: Set<string>): Set<string> {
  const rank = (ref: string, c: CellResult) => (flips.has(ref) ? 0 : c.status !== 'ok' || c.pass === false ? 1 : 2);
  const all = sides.flatMap(([run, side]) => run.results.cells.map((c) => ({ ref: cellRef(side, c), c })).filter(({ ref }) => side === 'current' || flips.has(ref)));
  return new Set(all.sort((a, b) => rank(a.ref, a.c) - rank(b.ref, b.c)).slice(0, MAX_EMBEDDED_DOCUMENTS).map(({ ref }) => ref));
}

function documentOf(c: CellResult, store: FsStore, referencesDir: string): { text: string | null; note: string | null } {
  if (c.status === 'error') return { text: null, note: `no document: the cell failed (${c.error ?? 'error'})` };
  if (isReference(c)) {
    const file = referenceFile(referencesDir, c.promptId, c.scenario);
    return existsSync(file) ? { text: readFileSync(file, 'utf8'), note: null } : { text: null, note: `${file} is no longer there` };
  }
  if (!c.storeKey) return { text: null, note: 'no document: none was recorded for this cell' };
  const entry = store.get(c.storeKey);
  return entry ? { text: entry.completion.text, note: null } : { text: null, note: `not in the response store (${store.dir}); it may have been cleaned` };
}

function scenarioMap(dir: string): Map<string, Scenario> {
  try {
    return existsSync(dir) ? turnScenarios(loadScenarios(dir).scenarios) : new Map();
  } catch {
    return new Map();
  }
}

/**
 * Above this many cells the data is compressed at zlib's level 1, not its default 6: the page
 * waits for the compressor. On a 10,000-cell run's 48 MB of drill-down JSON, level 6 took
 * 684 ms for 6.2 MB, level 1 242 ms for 8.1 MB (level 9: 835 ms, 2% smaller than 6). A run of
 * a few hundred cells packs in milliseconds at either level, so it keeps the smaller page.
 */
export const FAST_PACK_CELLS = 2000;

/**
 * The drill-down data as gzip + base64 (model documents compress about 3:1). Written into the
 * compressor a few hundred cells at a time: for a 10,000-cell run the data is ~38 MB of JSON,
 * which as one string (two bytes a character once a document holds a "€") plus its UTF-8 copy
 * was the biggest thing the whole run held in memory.
 */
export async function packDrillData(data: DrillData): Promise<string> {
  const gzip = createGzip({ level: Object.keys(data.cells).length > FAST_PACK_CELLS ? 1 : 6 });
  const out: Buffer[] = [];
  gzip.on('data', (chunk: Buffer) => out.push(chunk));
  const done = finished(gzip);
  const write = async (text: string) => {
    // Compressed, a key would hide from the check on the finished page: masked before.
    if (!gzip.write(redactSecrets(text))) await once(gzip, 'drain');
  };
  const members = async (name: string, record: Record<string, unknown>) => {
    const entries = Object.entries(record);
    await write(`${JSON.stringify(name)}:{`);
    for (let i = 0; i < entries.length; i += 200) {
      await write(entries.slice(i, i + 200).map(([k, v], j) => `${i + j ? ',' : ''}${JSON.stringify(k)}:${JSON.stringify(v)}`).join(''));
    }
    await write('}');
  };
  await write('{');
  await members('cells', data.cells);
  await write(',');
  await members('docs', data.docs);
  await write(`,"note":${JSON.stringify(data.note)}}`);
  gzip.end();
  await done;
  return Buffer.concat(out).toString('base64');
}
