// The report's charts as inline SVG, drawn here rather than in the browser: the report opens
// from disk with no library and no network, the charts are there before any script runs, and a
// chart is plain markup a test can measure. Every label is escaped (labels come from config).

import { cellRef } from '../compare.ts';
import { groupName, heat, score as fmtScore, usd } from '../format.ts';
import type { Group } from '../model.ts';
import { esc, html, raw, type Raw } from './escape.ts';

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
    const label = k === 'reference' ? 'hand-written' : `${gs[0]!.version}${gs[0]!.side === 'compared' ? ' (compared)' : ''}`;
    parts.push(`<text x="${(start + (x - start) / 2).toFixed(1)}" y="${top + h + 16}" class="label" text-anchor="middle">${esc(label)}</text>`);
    x += gap;
  }
  return svg('score-chart', 'Mean score by prompt version and model, with 95% confidence intervals', width, top + h + 30, parts.join(''), legend(groups, palette));
}

/** Scenario × (version, model): one square per pair, coloured by the mean score of its samples. */
export function heatMap(groups: Group[], scenarios: string[]): Raw {
  const cw = 74;
  const ch = 22;
  const left = Math.min(260, 8 + Math.max(...scenarios.map((s) => s.length), 8) * 6.6);
  const top = 92;
  const width = left + groups.length * cw + 150; // room for the last rotated label
  const parts: string[] = [];
  groups.forEach((g, j) => {
    const cx = left + j * cw + cw / 2;
    parts.push(`<text transform="translate(${cx.toFixed(1)} ${top - 8}) rotate(-30)" class="label">${esc(groupName(g))}</text>`);
  });
  scenarios.forEach((s, i) => {
    const y = top + i * ch;
    parts.push(`<text x="${left - 6}" y="${y + ch / 2}" class="label" text-anchor="end" dominant-baseline="middle">${esc(s)}</text>`);
    groups.forEach((g, j) => {
      const v = g.scenarioMeans[s] ?? null;
      parts.push(
        `<g class="heat"${target(g, s)}><rect x="${left + j * cw + 1}" y="${y + 1}" width="${cw - 2}" height="${ch - 2}" fill="${heat(v)}"/><text x="${left + j * cw + cw / 2}" y="${y + ch / 2}" text-anchor="middle" dominant-baseline="middle" class="${v !== null && v < 0.5 ? 'value light' : 'value'}">${v === null ? '–' : fmtScore(v)}</text><title>${esc(`${s} · ${groupName(g)}: ${v === null ? 'no graded sample' : fmtScore(v)}`)}</title></g>`,
      );
    });
  });
  return svg('heat-map', 'Mean score per scenario and version × model', width, top + scenarios.length * ch + 8, parts.join(''));
}

/** Cost per cell against mean score, one point per version × model: up and left is better. */
export function costChart(groups: Group[], palette: Map<string, string>): Raw {
  const pts = groups.filter((g) => !g.reference && g.costPerCell !== null && g.agg.meanScore !== null);
  const left = 56;
  const top = 16;
  const w = 460;
  const h = 220;
  const max = niceMax(Math.max(0.0001, ...pts.map((g) => g.costPerCell!)));
  const parts: string[] = [yAxis(left, top, h, w)];
  for (let i = 0; i <= 4; i++) {
    const x = left + (w * i) / 4;
    parts.push(`<text x="${x}" y="${top + h + 16}" class="tick" text-anchor="middle">${esc(usd((max * i) / 4))}</text>`);
  }
  parts.push(`<text x="${left + w / 2}" y="${top + h + 34}" class="label" text-anchor="middle">cost per cell (USD)</text>`);
  for (const g of pts) {
    const x = left + (w * g.costPerCell!) / max;
    const y = y01(g.agg.meanScore!, top, h);
    const fill = palette.get(g.modelKey)!;
    parts.push(
      `<g${target(g)}><circle cx="${x.toFixed(1)}" cy="${y.toFixed(1)}" r="7" fill="${fill}"${g.side === 'compared' ? ' fill-opacity="0.45"' : ''}/><text x="${(x + 10).toFixed(1)}" y="${y.toFixed(1)}" class="label" dominant-baseline="middle">${esc(g.version)}${g.side === 'compared' ? ' (compared)' : ''}</text><title>${esc(`${groupName(g)}: ${fmtScore(g.agg.meanScore)} for ${usd(g.costPerCell)} per cell`)}</title></g>`,
    );
  }
  return svg('cost-chart', 'Mean score against cost per cell', left + w + 60, top + h + 42, parts.join(''), legend(pts, palette));
}

function legend(groups: Group[], palette: Map<string, string>): string {
  const seen = new Map<string, [string, string]>();
  for (const g of groups) seen.set(g.reference ? 'reference' : g.modelKey, [g.reference ? 'Hand-written reference' : g.label, g.reference ? REFERENCE_COLOUR : palette.get(g.modelKey)!]);
  return `<ul class="legend">${[...seen.values()].map(([label, colour]) => html`<li><svg class="swatch" width="12" height="12" aria-hidden="true"><rect width="12" height="12" rx="2" fill="${colour}"/></svg>${label}</li>`.html).join('')}</ul>`;
}

function svg(id: string, title: string, width: number, height: number, body: string, after = ''): Raw {
  return raw(`<figure class="chart"><svg id="${id}" role="img" aria-label="${esc(title)}" width="${Math.ceil(width)}" height="${Math.ceil(height)}" viewBox="0 0 ${Math.ceil(width)} ${Math.ceil(height)}" xmlns="http://www.w3.org/2000/svg"><title>${esc(title)}</title>${body}</svg>${after}</figure>`);
}

function niceMax(x: number): number {
  const p = 10 ** Math.floor(Math.log10(x));
  const n = x / p;
  return (n <= 1 ? 1 : n <= 2 ? 2 : n <= 2.5 ? 2.5 : n <= 5 ? 5 : 10) * p;
}

/** ` data-cell="…"`: the drill-down target for a group (and scenario), its first sample. Only
 * the reported run's cells are all in the drill-down, so the compared run's bars open nothing. */
function target(g: Group, scenario?: string): string {
  if (g.side === 'compared') return '';
  const c = [...g.cells].filter((c) => !scenario || c.scenario === scenario).sort((a, b) => a.sample - b.sample)[0];
  return c ? ` data-cell="${esc(cellRef(g.side, c))}"` : '';
}
