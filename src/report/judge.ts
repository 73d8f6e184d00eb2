// The model judge in the reports: when `promptgate judge` left a judge.json in the run folder,
// report.md and report.html show its pass rates per rubric × version × model with their cost,
// labelled as a model's opinion — apart from the graders, and never part of a verdict.

import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { JudgeSummaryRow } from '../judge/run.ts';
import { html, type Raw } from './html/escape.ts';
import { sortable } from './html/summary.ts';
import { mdCell } from './md-escape.ts';

export interface JudgeSection {
  judges: string[];
  rows: JudgeSummaryRow[];
  costUsd: number | null;
}

/** judge.json's summary, or null when there is none (or it is not one promptgate wrote). */
export function loadJudgeSection(runDir: string): JudgeSection | null {
  const file = join(runDir, 'judge.json');
  if (!existsSync(file)) return null;
  try {
    const data = JSON.parse(readFileSync(file, 'utf8')) as { judges?: unknown; summary?: unknown; costUsd?: unknown };
    if (!Array.isArray(data.summary) || !Array.isArray(data.judges)) return null;
    const rows = (data.summary as JudgeSummaryRow[]).filter((r) => typeof r?.rubric === 'string' && typeof r.model === 'string' && typeof r.version === 'string' && Number.isInteger(r.judged));
    return { judges: data.judges.filter((j): j is string => typeof j === 'string'), rows, costUsd: typeof data.costUsd === 'number' ? data.costUsd : null };
  } catch {
    return null;
  }
}

const pct = (x: number | null) => (x === null ? '–' : `${Math.round(x * 100)}%`);
const usd = (x: number | null) => (x === null ? 'unknown' : `$${x.toFixed(3)}`);
const NOTE = (j: JudgeSection) => `A model's opinion (judges: ${j.judges.join(', ')}), not a grader: not part of any score, verdict or the gate. Total ${usd(j.costUsd)}.`;

export function judgeMarkdown(j: JudgeSection): string[] {
  const rows = j.rows.map((r) => `| ${mdCell(r.rubric)} | ${mdCell(r.version)} | ${mdCell(r.model)} | ${r.judged} | ${pct(r.passRate)} | ${r.errors || ''} | ${usd(r.costUsd)} |`);
  return ['### Model judge (opinions, not gated)', '', `_${mdCell(NOTE(j))}_`, '', '| rubric | version | model | judged | pass rate | errors | cost |', '|---|---|---|---:|---:|---:|---:|', ...rows, ''];
}

export function judgeHtml(j: JudgeSection | null | undefined): Raw {
  if (!j || !j.rows.length) return html``;
  const rows = j.rows.map((r) => [{ html: r.rubric }, { html: r.version }, { html: r.model }, { html: String(r.judged), v: r.judged }, { html: pct(r.passRate), v: r.passRate }, { html: r.errors ? String(r.errors) : '', v: r.errors }, { html: usd(r.costUsd), v: r.costUsd }]);
  return html`<section id="judge"><h2>Model judge (opinions, not gated)</h2><p class="muted">${NOTE(j)}</p>${sortable('judge-table', ['rubric', 'version', 'model', 'judged', 'pass rate', 'errors', 'cost'], rows)}</section>`;
}
