// Plain-text rendering shared by commands: fixed-width tables that read well in a terminal and
// in CI logs (no colour codes, so logs stay greppable).

import type { GradeReport } from '../graders/schema.ts';
import { oneLine } from './text.ts';

export function table(header: string[], cells: string[][]): string {
  // Values can come from a provider (an error reason, a model id): one line each, and no ESC
  // that could rewrite the terminal.
  const rows = cells.map((r) => r.map(oneLine));
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]) => cells.map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i]!))).join('  ').trimEnd();
  return [line(header), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)].join('\n') + '\n';
}

export function gradeTable(report: Pick<GradeReport, 'score' | 'pass' | 'graders'>): string {
  const rows = Object.entries(report.graders).map(([id, g]) => [id, g.pass ? 'pass' : 'FAIL', g.score.toFixed(2), g.reason]);
  const verdict = `overall ${report.score.toFixed(2)} — ${report.pass ? 'pass' : 'FAIL'}`;
  return `${table(['grader', 'verdict', 'score', 'reason'], rows)}${verdict}\n`;
}
