// What went wrong in a run, for the summary eval prints: failed cells grouped by model and
// reason with counts, and the models none of whose cells succeeded. A run in which a model
// produced nothing is not "done": eval exits 1 for it (README, `eval --help`), so that a CI job
// with a revoked key or a broken gateway does not pass with an empty report.

import type { CellResult } from './results.ts';

export interface ErrorReason {
  label: string;
  reason: string;
  cells: number;
}

/** Longest reason shown; the full text of each is in results.json. */
const MAX_REASON = 200;

/** Failed cells by model and reason, most frequent first. */
export function errorReasons(cells: CellResult[]): ErrorReason[] {
  const groups = new Map<string, ErrorReason>();
  for (const c of cells) {
    if (c.status !== 'error' || c.provider === 'reference') continue;
    const reason = reasonOf(c.error ?? 'unknown error');
    const key = `${c.label}\u0000${reason}`;
    const group = groups.get(key);
    if (group) group.cells++;
    else groups.set(key, { label: c.label, reason, cells: 1 });
  }
  return [...groups.values()].sort((a, b) => b.cells - a.cells || a.label.localeCompare(b.label) || a.reason.localeCompare(b.reason));
}

/** Labels of the models that ran at least one cell and got no usable answer for any. */
export function failedModels(cells: CellResult[]): string[] {
  const byModel = new Map<string, { label: string; ok: boolean }>();
  for (const c of cells) {
    if (c.provider === 'reference') continue;
    const key = `${c.provider}:${c.model}`;
    const m = byModel.get(key) ?? { label: c.label, ok: false };
    m.ok ||= c.status !== 'error';
    byModel.set(key, m);
  }
  return [...byModel.values()].filter((m) => !m.ok).map((m) => m.label).sort((a, b) => a.localeCompare(b));
}

/** A reason without what differs per request (request ids), so that equal failures group together. */
function reasonOf(error: string): string {
  const r = error.replace(/\s*\((?:x-)?request[- ]id:? [^)]*\)/gi, '').replace(/\s+/g, ' ').trim();
  return r.length > MAX_REASON ? `${r.slice(0, MAX_REASON - 1)}…` : r;
}
