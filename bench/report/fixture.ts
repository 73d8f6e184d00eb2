// Synthetic runs for the report's tests and its render check: a real plan (the registry's prompt
// versions × the dataset's scenarios × two models × samples, with real store keys and requests),
// whose outputs are real full-length documents (the calibration set) chosen by a seeded model of
// quality — newer versions and the first model score higher — and graded by the real graders.
// Optional extras: an XSS payload in one output, and truncated, refused and errored cells.

import { mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createHash } from 'node:crypto';
import { parseDocument, type Document } from '../../graders/document.ts';
import { DEFAULT_POLICY, gradeDocument } from '../../graders/grade.ts';
import { loadScenarios } from '../../src/dataset/load.ts';
import { costUsd, priceOf } from '../../src/providers/prices.ts';
import { registryOrThrow } from '../../src/registry/load.ts';
import { planCells, type Cell } from '../../src/runner/plan.ts';
import type { CellResult } from '../../src/runner/results.ts';
import { buildResults, writeResults, writeRunMeta, type RunMeta } from '../../src/runner/run.ts';
import { FsStore } from '../../src/runner/store.ts';
import type { ModelConfig, Suite } from '../../src/suite/schema.ts';
import { rng } from '../../src/report/stats.ts';

const ROOT = join(import.meta.dirname, '../..');
export const XSS = ['<script>window.__xss = "script"</script>', '<img src=x onerror="window.__xss = \'onerror\'">', '</script><script>window.__xss = "breakout"</script>', '<svg onload="window.__xss = \'svg\'"></svg>'];

export interface SyntheticOptions {
  /** A folder holding runs/ and store/. */
  root: string;
  runId?: string;
  versions?: string[];
  scenarios?: number;
  samples?: number;
  models?: ModelConfig[];
  seed?: string;
  /** Make every document unique (word order and numbers changed), as real outputs are. */
  distinct?: boolean;
  /** An XSS payload in one output, truncated/refused/errored cells, the references. */
  extras?: boolean;
  /** Added to every version's quality (a negative value makes the run worse). */
  shift?: number;
}

export interface SyntheticRun {
  dir: string;
  runsDir: string;
  storeDir: string;
  runId: string;
  xssCell: string | null;
}

const MODELS: ModelConfig[] = [
  { provider: 'anthropic', model: 'claude-sonnet-5-5', label: 'Claude Sonnet 5.5' },
  { provider: 'openai', model: 'gpt-5.6-terra', label: 'GPT-5.6 Terra', api: 'responses' },
];

interface Pool {
  docs: { name: string; text: string; doc: Document; quality: number }[];
  refusal: string;
}

let pool: Pool | null = null;

function calibrationPool(): Pool {
  if (pool) return pool;
  const dir = join(ROOT, 'datasets/calibration');
  const docs = readdirSync(dir)
    .filter((f) => f.endsWith('.md') && f !== 'refusal.md')
    .sort()
    .map((name) => {
      const text = readFileSync(join(dir, name), 'utf8');
      const doc = parseDocument(text);
      return { name, text, doc, quality: gradeDocument(doc).score };
    })
    .sort((a, b) => a.quality - b.quality || a.name.localeCompare(b.name));
  pool = { docs, refusal: readFileSync(join(dir, 'refusal.md'), 'utf8') };
  return pool;
}

export function syntheticRun(o: SyntheticOptions): SyntheticRun {
  const runId = o.runId ?? '2026-11-20T09-00-00Z-synth';
  const seed = o.seed ?? runId;
  const runsDir = join(o.root, 'runs');
  const storeDir = join(o.root, 'store');
  mkdirSync(runsDir, { recursive: true });
  const versions = registryOrThrow(join(ROOT, 'prompts')).filter((v) => (o.versions ?? ['1.1.0', '1.2.0']).includes(v.meta.version));
  // One turn each: the report tests (and the checks) describe a 16-scenario single-turn run.
  const scenarios = loadScenarios(join(ROOT, 'datasets/scenarios')).scenarios.slice(0, o.scenarios ?? 16).map(({ followUps: _, ...s }) => s);
  const suite: Suite = { description: 'Synthetic run for the report tests', prompt: 'pipeline-design-architect', versions: versions.map((v) => v.meta.version), models: o.models ?? MODELS, scenarios: scenarios.map((s) => s.id), samples: o.samples ?? 3, store: storeDir, out: runsDir };
  const cells = planCells(suite, versions, scenarios);
  const meta: RunMeta = { runId, suiteFile: 'evals/synthetic.yaml', suite, startedAt: '2026-11-20T09:00:00.000Z', versions: suite.versions as string[], scenarios: scenarios.map((s) => s.id), cells };
  writeRunMeta(join(runsDir, runId), meta);

  const { docs, refusal } = calibrationPool();
  const random = rng(seed);
  const scenarioEffect = new Map(scenarios.map((s) => [s.id, (random() - 0.5) * 0.4]));
  const store = new FsStore(storeDir);
  const extras = o.extras ?? true;
  const special = extras ? specialCells(cells) : new Map<string, 'xss' | 'truncated' | 'refused' | 'error'>();
  const graded = new Map<string, ReturnType<typeof gradeDocument>>();
  const scenarioById = new Map(scenarios.map((s) => [s.id, s]));
  let clock = Date.parse(meta.startedAt);
  const results: CellResult[] = cells.map((cell) => {
    const vi = versions.findIndex((v) => v.meta.version === cell.version);
    const q = 0.45 + 0.22 * vi + (cell.model.provider === 'anthropic' ? 0.1 : 0) + (o.shift ?? 0) + scenarioEffect.get(cell.scenario)! + (random() - 0.5) * 0.5;
    const pick = docs[Math.round(Math.min(1, Math.max(0, q)) * (docs.length - 1))]!;
    const kind = special.get(cell.id);
    clock += 1500;
    const base = { id: cell.id, promptId: cell.promptId, version: cell.version, promptSha256: cell.promptSha256, scenario: cell.scenario, provider: cell.model.provider, model: cell.model.model, label: cell.model.label, sample: cell.sample, storeKey: cell.storeKey, cached: false, finishedAt: new Date(clock).toISOString() };
    if (kind === 'error') return { ...base, status: 'error', error: `overloaded (HTTP 529): the gateway answered ${XSS[0]}, after 6 attempts`, stopReason: null, usage: { input: 0, output: 0, cacheRead: 0, cacheWrite: 0 }, costUsd: 0, latencyMs: null, score: null, pass: null, grades: {} };
    let text = kind === 'refused' ? refusal : o.distinct ? perturb(pick.text, random) : pick.text;
    if (kind === 'xss') text = `${XSS.join('\n')}\n\n${text}\n\n${XSS[0]}`;
    if (kind === 'truncated') text = text.slice(0, Math.floor(text.length * 0.6));
    const usage = { input: Math.ceil((cell.request.system.length + cell.request.user.length) / 4), output: Math.ceil(text.length / 4), cacheRead: 0, cacheWrite: 0 };
    const latencyMs = Math.round(20_000 + random() * 70_000 * (cell.model.provider === 'openai' ? 0.7 : 1));
    const stopReason = kind === 'truncated' ? 'max_tokens' : kind === 'refused' ? 'refusal' : 'end_turn';
    store.putSync({ key: cell.storeKey, provider: cell.model.provider, model: cell.model.model, sample: cell.sample, completion: { text, stopReason: kind === 'truncated' ? 'max_tokens' : kind === 'refused' ? 'refusal' : 'end', rawStopReason: stopReason, usage, model: cell.model.model, latencyMs }, storedAt: base.finishedAt });
    const gkey = `${createHash('sha256').update(text).digest('hex')}|${cell.scenario}`;
    const g = graded.get(gkey) ?? gradeDocument(text === pick.text ? pick.doc : text, { scenario: scenarioById.get(cell.scenario)! }, DEFAULT_POLICY);
    graded.set(gkey, g);
    const grades = Object.fromEntries(Object.entries(g.graders).map(([id, x]) => [id, { pass: x.pass, score: x.score, reason: x.reason }]));
    // Graders quote documents in their reasons, so a reason can carry a payload too.
    if (kind === 'xss' && grades['trade-offs']) grades['trade-offs'].reason += ` (uncovered: ${XSS[1]})`;
    return {
      ...base,
      status: kind === 'truncated' ? 'truncated' : kind === 'refused' ? 'refused' : 'ok',
      stopReason,
      usage,
      costUsd: costUsd(usage, priceOf(cell.model.model)),
      latencyMs,
      score: g.score,
      pass: g.pass,
      grades,
    } satisfies CellResult;
  });
  const references = extras ? referenceCells(scenarios.map((s) => s.id), runId) : [];
  const all = [...results, ...references];
  const out = buildResults(meta, all, 0, 'complete', all.reduce((s, c) => s + (c.costUsd ?? 0), 0));
  out.finishedAt = new Date(clock).toISOString();
  writeResults(runsDir, out);
  return { dir: join(runsDir, runId), runsDir, storeDir, runId, xssCell: [...special].find(([, k]) => k === 'xss')?.[0] ?? null };
}

/** One cell of each special kind, at fixed places so tests can find them. */
function specialCells(cells: Cell[]): Map<string, 'xss' | 'truncated' | 'refused' | 'error'> {
  const last = cells.at(-1)!;
  const pickAt = (i: number) => cells[Math.min(cells.length - 1, i)]!.id;
  return new Map([
    [last.id, 'xss'],
    [pickAt(7), 'truncated'],
    [pickAt(20), 'refused'],
    [pickAt(33), 'error'],
  ]);
}

function referenceCells(scenarios: string[], runId: string): CellResult[] {
  const dir = join(ROOT, 'datasets/references');
  const have = new Set(readdirSync(dir).map((f) => f.replace(/\.md$/, '')));
  const loaded = loadScenarios(join(ROOT, 'datasets/scenarios')).scenarios;
  return scenarios.filter((s) => have.has(s)).map((id) => {
    const g = gradeDocument(readFileSync(join(dir, `${id}.md`), 'utf8'), { scenario: loaded.find((s) => s.id === id)! });
    return { id: `reference|${id}`, promptId: 'pipeline-design-architect', version: 'reference', promptSha256: null, scenario: id, provider: 'reference', model: 'hand-written', label: 'Hand-written reference', sample: 0, status: 'ok', stopReason: null, usage: { input: 0, output: 0, cacheRead: 0, cacheWrite: 0 }, costUsd: 0, latencyMs: null, storeKey: null, cached: true, score: g.score, pass: g.pass, grades: Object.fromEntries(Object.entries(g.graders).map(([k, x]) => [k, { pass: x.pass, score: x.score, reason: x.reason }])), finishedAt: `${runId.slice(0, 10)}T09:00:00.000Z` } satisfies CellResult;
  });
}

/** A document made unique the way two real outputs differ: other numbers, other word order. */
function perturb(text: string, random: () => number): string {
  return text
    .split('\n')
    .map((line) => {
      const digits = line.replace(/\d/g, () => String(Math.floor(random() * 10)));
      if (/^\s*(#|\||```|[-*+] |\d+\.)/.test(digits) || digits.length < 40) return digits;
      const words = digits.split(' ');
      const k = 1 + Math.floor(random() * (words.length - 1));
      return [...words.slice(k), ...words.slice(0, k)].join(' ');
    })
    .join('\n');
}
