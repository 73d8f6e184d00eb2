// Number and label formatting shared by the markdown, HTML and JUnit renderers, so that a figure
// reads the same in a pull-request comment as in the HTML report.

import type { Interval } from './stats.ts';
import type { Group } from './model.ts';

export const score = (x: number | null | undefined) => (x === null || x === undefined ? '–' : x.toFixed(2));
export const pct = (x: number | null | undefined) => (x === null || x === undefined ? '–' : `${Math.round(x * 100)}%`);
export const ci = (i: Interval | null) => (i ? `[${i.lo.toFixed(2)}, ${i.hi.toFixed(2)}]` : '');

/** USD with enough digits to tell cheap cells apart; null is "unknown", never $0. */
export function usd(x: number | null | undefined): string {
  if (x === null || x === undefined) return 'unknown';
  if (x === 0) return '$0';
  const digits = x < 0.01 ? 4 : x < 1 ? 3 : 2;
  return `$${x.toFixed(digits)}`;
}

export function seconds(ms: number | null | undefined): string {
  if (ms === null || ms === undefined) return '–';
  return ms < 10_000 ? `${(ms / 1000).toFixed(2)} s` : `${(ms / 1000).toFixed(1)} s`;
}

export function duration(ms: number): string {
  const s = Math.round(ms / 1000);
  if (s < 60) return `${s}s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m}m ${String(s % 60).padStart(2, '0')}s`;
  return `${Math.floor(m / 60)}h ${String(m % 60).padStart(2, '0')}m`;
}

export function tokens(n: number): string {
  if (n >= 1e6) return `${(n / 1e6).toFixed(2)}M`;
  if (n >= 1e4) return `${Math.round(n / 1e3)}k`;
  return String(n);
}

export const when = (iso: string) => iso.replace('T', ' ').replace(/:\d\d(\.\d+)?Z$/, ' UTC');

/** "1.2.0 · Claude Sonnet 5.5"; the references are always named as hand-written. */
export const groupName = (g: Pick<Group, 'reference' | 'version' | 'label'>) => (g.reference ? 'Hand-written reference' : `${g.version} · ${g.label}`);

/** ▲/▼ with a signed delta, or '' when the change rounds to nothing. */
export function delta(now: number, before: number | undefined, kind: 'pp' | 'score'): string {
  if (before === undefined) return '';
  const d = now - before;
  if (kind === 'pp') {
    const pp = Math.round(d * 100);
    return pp === 0 ? '' : `${pp > 0 ? '▲' : '▼'}${pp > 0 ? '+' : '-'}${Math.abs(pp)}pp`;
  }
  const r = Math.round(d * 100) / 100;
  return r === 0 ? '' : `${r > 0 ? '▲' : '▼'}${r > 0 ? '+' : '-'}${Math.abs(r).toFixed(2)}`;
}

/** Heat colour for a score in [0, 1]: red (0) through amber (0.6) to green (1). */
export function heat(x: number | null): string {
  if (x === null) return '#d9d9d9';
  const stops: [number, [number, number, number]][] = [
    [0, [196, 47, 47]],
    [0.6, [232, 176, 46]],
    [0.8, [160, 200, 80]],
    [1, [40, 150, 80]],
  ];
  const v = Math.min(1, Math.max(0, x));
  let i = 0;
  while (i < stops.length - 2 && v > stops[i + 1]![0]) i++;
  const [a, ca] = stops[i]!;
  const [b, cb] = stops[i + 1]!;
  const t = (v - a) / (b - a);
  const mix = ca.map((c, k) => Math.round(c + (cb[k]! - c) * t));
  return `#${mix.map((c) => c.toString(16).padStart(2, '0')).join('')}`;
}

/** A coloured square for markdown, where colours are not available. */
export const square = (x: number | null) => (x === null ? '⬜' : x >= 0.8 ? '🟩' : x >= 0.6 ? '🟨' : x >= 0.4 ? '🟧' : '🟥');
