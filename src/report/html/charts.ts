// The report's charts as inline SVG, drawn here rather than in the browser: the report opens
// from disk with no library and no network, the charts are there before any script runs, and a
// chart is plain markup a test can measure. Every label is escaped (labels come from config).

import { cellRef } from '../compare.ts';
import { groupName, score as fmtScore, usd } from '../format.ts';
import type { Group } from '../model.ts';
import { esc, html, raw, type Raw } from './escape.ts';
import { decimalsOf, niceTicks, placeLabels } from './scale.ts';

const PALETTE = ['#3b6fd8', '#e0792b', '#2a9d8f', '#9b59b6', '#c0392b', '#6d7b8a', '#b8860b', '#1f7a4d'];
export const REFERENCE_COLOUR = '#555555';

/** One colour per model, the same in every chart. */
export function colours(groups: Group[]): Map<string, string> {
  const keys = [...new Set(groups.filter((g) => !g.reference).map((g) => g.modelKey))].sort();
  return new Map(keys.map((k, i) => [k, PALETTE[i % PALETTE.length]!]));
}

const y01 = (v: number, top: number, h: number) => top + h * (1 - Math.min(1, Math.max(0, v)));

function yAxis(left: number, top: number, h: number, width: number): string {
  return [0, 0.2, 0.4, 0.6, 0.8, 1]
    .map((t) => {
      const y = y01(t, top, h).toFixed(1);
      return `<line x1="${left}" x2="${left + width}" y1="${y}" y2="${y}" class="grid"/><text x="${left - 6}" y="${y}" class="tick" text-anchor="end" dominant-baseline="middle">${t.toFixed(1)}</text>`;
    })
    .join('');
}

/** Mean score per version × model with 95% CI whiskers; bars grouped by version (and run). */
export function scoreChart(groups: Group[], palette: Map<string, string>): Raw {
  const clusters = new Map<string, Group[]>();
  for (const g of groups) {
    const k = g.reference ? 'reference' : `${g.side}|${g.version}`;
    clusters.set(k, [...(clusters.get(k) ?? []), g]);
  }
  const bar = 34;
  const gap = 30;
  const left = 48;
  const top = 16;
  const h = 220;
  const widths = [...clusters.values()].map((gs) => gs.length * bar + gap);
  const width = left + widths.reduce((s, w) => s + w, 0) + 10;
  let x = left + gap / 2;
  const parts: string[] = [yAxis(left, top, h, width - left - 10)];
  for (const [k, gs] of clusters) {
    const start = x;
    for (const g of gs) {
      const m = g.agg.meanScore;
      const fill = g.reference ? REFERENCE_COLOUR : palette.get(g.modelKey)!;
      const opacity = g.side === 'compared' ? ' fill-opacity="0.45"' : '';
      if (m !== null) {
        const yTop = y01(m, top, h);
        parts.push(`<rect x="${x + 3}" y="${yTop.toFixed(1)}" width="${bar - 6}" height="${(top + h - yTop).toFixed(1)}" fill="${fill}"${opacity}${target(g)}><title>${esc(`${groupName(g)}${g.side === 'compared' ? ` (${g.runTitle})` : ''}: ${fmtScore(m)}${g.ci ? ` [95% CI ${g.ci.lo.toFixed(2)}, ${g.ci.hi.toFixed(2)}]` : ''}`)}</title></rect>`);
      }
      if (g.ci) {
        const [lo, hi] = [y01(g.ci.lo, top, h), y01(g.ci.hi, top, h)];
        const cx = x + bar / 2;
        parts.push(`<path d="M${cx} ${hi.toFixed(1)}V${lo.toFixed(1)}M${cx - 5} ${hi.toFixed(1)}h10M${cx - 5} ${lo.toFixed(1)}h10" class="whisker"/>`);
      }
      x += bar;
    }
    // A second line for "(compared)": on one line it is wider than a cluster of two bars.
    const cx = (start + (x - start) / 2).toFixed(1);
    const label = k === 'reference' ? 'hand-written' : gs[0]!.version;
    const second = gs[0]!.side === 'compared' && k !== 'reference' ? `<tspan x="${cx}" dy="13">(compared)</tspan>` : '';
    parts.push(`<text x="${cx}" y="${top + h + 16}" class="label" text-anchor="middle">${esc(label)}${second}</text>`);
    x += gap;
  }
  return svg('score-chart', 'Mean score by prompt version and model, with 95% confidence intervals', width, top + h + 44, parts.join(''), legend(groups, palette));
}

/** Cost per cell against mean score, one point per version × model: up and left is better. */
export function costChart(groups: Group[], palette: Map<string, string>): Raw {
  const pts = groups.filter((g) => !g.reference && g.costPerCell !== null && g.agg.meanScore !== null);
  const left = 56;
  const top = 16;
  const w = 460;
  const h = 220;
  const x = niceTicks(0, Math.max(...pts.map((g) => g.costPerCell!)), 4);
  const digits = decimalsOf(x.step);
  const xOf = (v: number) => left + (w * (v - x.lo)) / (x.hi - x.lo);
  // The score axis spans the points (a little more), not 0–1: versions a few hundredths apart
  // would otherwise sit on top of each other in a band at the top of an empty chart.
  const scores = pts.map((g) => g.agg.meanScore!);
  const y = niceTicks(Math.max(0, Math.min(...scores) - 0.04), Math.min(1, Math.max(...scores) + 0.04), 5);
  const yOf = (v: number) => top + (h * (y.hi - v)) / (y.hi - y.lo);
  const parts: string[] = y.values.map((t) => `<line x1="${left}" x2="${left + w}" y1="${yOf(t).toFixed(1)}" y2="${yOf(t).toFixed(1)}" class="grid"/><text x="${left - 6}" y="${yOf(t).toFixed(1)}" class="tick" text-anchor="end" dominant-baseline="middle">${t.toFixed(decimalsOf(y.step))}</text>`);
  parts.push(`<text transform="translate(14 ${top + h / 2}) rotate(-90)" class="label" text-anchor="middle">mean score</text>`);
  for (const v of x.values) parts.push(`<text x="${xOf(v).toFixed(1)}" y="${top + h + 16}" class="tick" text-anchor="middle">${esc(v === 0 ? '$0' : `$${v.toFixed(digits)}`)}</text>`);
  parts.push(`<text x="${left + w / 2}" y="${top + h + 34}" class="label" text-anchor="middle">cost per cell (USD)</text>`);
  const points = pts
    .map((g) => ({ g, x: xOf(g.costPerCell!), y: yOf(g.agg.meanScore!), r: 7, text: `${g.version}${g.side === 'compared' ? ' (compared)' : ''}` }))
    .sort((a, b) => a.y - b.y || a.x - b.x);
  const labels = placeLabels(points, { x: left + 2, y: top, w: w + 56, h });
  const dots: string[] = [];
  const texts: string[] = [];
  points.forEach((p, i) => {
    const fill = palette.get(p.g.modelKey)!;
    const tip = `<title>${esc(`${groupName(p.g)}${p.g.side === 'compared' ? ` (${p.g.runTitle})` : ''}: ${fmtScore(p.g.agg.meanScore)} for ${usd(p.g.costPerCell)} per cell`)}</title>`;
    dots.push(`<g${target(p.g)}><circle cx="${p.x.toFixed(1)}" cy="${p.y.toFixed(1)}" r="${p.r}" fill="${fill}"${p.g.side === 'compared' ? ' fill-opacity="0.45"' : ''}/>${tip}</g>`);
    const l = labels[i];
    if (!l) return;
    if (l.leader) texts.push(`<line x1="${p.x.toFixed(1)}" y1="${p.y.toFixed(1)}" x2="${l.leader.x.toFixed(1)}" y2="${l.leader.y.toFixed(1)}" class="leader"/>`);
    texts.push(`<text x="${l.x.toFixed(1)}" y="${l.y.toFixed(1)}" class="label point-label" dominant-baseline="middle">${esc(p.text)}</text>`);
  });
  const dropped = labels.filter((l) => !l).length;
  const note = dropped ? `<p class="muted">${dropped} label${dropped > 1 ? 's' : ''} left out where ${dropped > 1 ? 'they' : 'it'} would overlap another; hover a point for its values.</p>` : '';
  return svg('cost-chart', 'Mean score against cost per cell', left + w + 60, top + h + 42, [...parts, ...dots, ...texts].join(''), legend(pts, palette) + note);
}

function legend(groups: Group[], palette: Map<string, string>): string {
  const seen = new Map<string, [string, string]>();
  for (const g of groups) seen.set(g.reference ? 'reference' : g.modelKey, [g.reference ? 'Hand-written reference' : g.label, g.reference ? REFERENCE_COLOUR : palette.get(g.modelKey)!]);
  return `<ul class="legend">${[...seen.values()].map(([label, colour]) => html`<li><svg class="swatch" width="12" height="12" aria-hidden="true"><rect width="12" height="12" rx="2" fill="${colour}"/></svg>${label}</li>`.html).join('')}</ul>`;
}

function svg(id: string, title: string, width: number, height: number, body: string, after = ''): Raw {
  return raw(`<figure class="chart"><svg id="${id}" role="img" aria-label="${esc(title)}" width="${Math.ceil(width)}" height="${Math.ceil(height)}" viewBox="0 0 ${Math.ceil(width)} ${Math.ceil(height)}" xmlns="http://www.w3.org/2000/svg"><title>${esc(title)}</title>${body}</svg>${after}</figure>`);
}

/** ` data-cell="…"`: the drill-down target for a group (and scenario), its first sample. Only
 * the reported run's cells are all in the drill-down, so the compared run's bars open nothing. */
function target(g: Group, scenario?: string): string {
  if (g.side === 'compared') return '';
  const c = [...g.cells].filter((c) => !scenario || c.scenario === scenario).sort((a, b) => a.sample - b.sample)[0];
  return c ? ` data-cell="${esc(cellRef(g.side, c))}"` : '';
}
